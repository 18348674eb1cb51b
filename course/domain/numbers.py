"""French numbers, the one way every page, chart and message writes them (Babel, fr_FR)."""

from __future__ import annotations

import math
from functools import lru_cache

from babel.numbers import format_decimal, format_percent

LOCALE = "fr_FR"
MISSING = "—"


def _digits(digits: int, trim: bool) -> str:
    return ("." + ("#" if trim else "0") * digits) if digits > 0 else ""


@lru_cache(maxsize=4096)
def decimal(value: float | None, digits: int = 0, *, trim: bool = False) -> str:
    """Write a number the French way: "0,24", "1 234"; `trim` drops trailing zeros."""
    if value is None:
        return MISSING
    return format_decimal(value, format="#,##0" + _digits(digits, trim), locale=LOCALE)


# A page writes the same few numbers again and again (a dashboard page: ~300 percentages, nearly
# all whole ones), and Babel reads its pattern on every call: remember the written forms.
@lru_cache(maxsize=4096)
def percent(value: float | None, digits: int = 0, *, of: float = 1) -> str:
    """Write a share as a French percentage: 0.812 -> "81 %"; `of=100` reads 81.2 as a percent."""
    if value is None:
        return MISSING
    pattern = "#,##0" + _digits(digits, trim=False) + "\u00a0%"
    return format_percent(value / of, format=pattern, locale=LOCALE)


def whole_percent(score: float) -> int:
    """Return a score in whole percent, rounded down: a score just under a pass mark never
    reads as the mark (0.745 is « 74 % » beside « il faut 75 % », not « 75 % »)."""
    return math.floor(score * 100 + 1e-9)


def score(value: float | None) -> str:
    """Write a quiz score as a French percentage, rounded down (`whole_percent`): « 74 % »."""
    if value is None:
        return MISSING
    return percent(whole_percent(value), of=100)
