"""Numbers from URLs and forms are read only when plain ASCII digits within bounds."""

from __future__ import annotations

import pytest

from course.domain.integers import MAX_ID, bounded_int


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("42", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 5000, None),
        ("", None),
        (None, None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1.0", None),
        ("²", None),
        ("٣", None),
    ],
)
def test_bounded_int(text: str | None, expected: int | None) -> None:
    assert bounded_int(text) == expected


def test_bounds_are_inclusive() -> None:
    assert bounded_int("3", 3, minimum=3) == 3
    assert bounded_int("2", 3, minimum=3) is None
    assert bounded_int("4", 3) is None
