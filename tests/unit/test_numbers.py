"""French numbers: one way to write decimals and percentages on every page."""

from __future__ import annotations

import pytest

from course.domain.numbers import decimal, percent, score

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("value", "digits", "trim", "expected"),
    [
        (0.24, 2, False, "0,24"),
        (81.25, 1, False, "81,2"),  # half to even, like round()
        (81.0, 1, False, "81,0"),
        (81.0, 1, True, "81"),
        (2.5, 6, True, "2,5"),
        (12345, 0, False, f"12{NNBSP}345"),
        (-0.3, 2, False, "-0,30"),
        (None, 2, False, "—"),
    ],
)
def test_decimal_writes_a_comma_and_french_grouping(
    value: float | None, digits: int, trim: bool, expected: str
) -> None:
    assert decimal(value, digits, trim=trim) == expected


@pytest.mark.parametrize(
    ("value", "digits", "of", "expected"),
    [
        (0.75, 0, 1, f"75{NBSP}%"),
        (0.8125, 1, 1, f"81,2{NBSP}%"),
        (81.2, 0, 100, f"81{NBSP}%"),
        (81.25, 1, 100, f"81,2{NBSP}%"),
        (-2, 0, 1, f"-200{NBSP}%"),
        (None, 0, 1, "—"),
    ],
)
def test_percent_writes_a_french_percentage(
    value: float | None, digits: int, of: float, expected: str
) -> None:
    assert percent(value, digits, of=of) == expected


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (12.67 / 17, "74\u00a0%"),  # 74.5 %: under a 75 % pass mark, never « 75 % »
        (0.75, "75\u00a0%"),
        (0.7, "70\u00a0%"),  # 0.7 * 100 is 70.00000000000001
        (0.29, "29\u00a0%"),  # 0.29 * 100 is 28.999999999999996
        (1.0, "100\u00a0%"),
        (0.0, "0\u00a0%"),
        (None, "—"),
    ],
)
def test_a_score_is_rounded_down_so_it_never_reaches_a_mark_it_missed(
    value: float | None, shown: str
) -> None:
    assert score(value) == shown
