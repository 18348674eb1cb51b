"""Whole numbers typed by people or forged in URLs: read only when plain and in range."""

from __future__ import annotations

# The largest id either engine stores in an INTEGER column (PostgreSQL's int4; SQLite's is larger).
MAX_ID = 2**31 - 1


def bounded_int(text: str | None, maximum: int = MAX_ID, minimum: int = 0) -> int | None:
    """Return the ASCII decimal number in `text` if it lies within the bounds, else None."""
    if not text or len(text) > len(str(maximum)) or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None
