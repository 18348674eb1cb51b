"""Which attempts count: first, last, best (highest grade, earliest of equals) or all."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from course.domain.selection import Selection, parse_selection, select_attempts


@dataclass(frozen=True)
class Taken:
    user_id: int
    quiz_id: str
    number: int
    grade: float | None


ATTEMPTS = [
    Taken(1, "q1", 1, 0.4),
    Taken(1, "q1", 2, 0.9),
    Taken(1, "q1", 3, 0.9),  # ties with attempt 2: the earlier one is the best
    Taken(1, "q1", 4, 0.5),
    Taken(1, "q2", 1, -0.5),  # a CBM grade may be negative
    Taken(1, "q2", 2, -1.0),
    Taken(2, "q1", 2, 0.7),  # numbers need not start at 1
]


@pytest.mark.parametrize(
    ("selection", "kept"),
    [
        (Selection.FIRST, {(1, "q1", 1), (1, "q2", 1), (2, "q1", 2)}),
        (Selection.LAST, {(1, "q1", 4), (1, "q2", 2), (2, "q1", 2)}),
        (Selection.BEST, {(1, "q1", 2), (1, "q2", 1), (2, "q1", 2)}),
        (Selection.ALL, {(a.user_id, a.quiz_id, a.number) for a in ATTEMPTS}),
    ],
)
def test_each_selection_keeps_one_attempt_per_learner_and_quiz(
    selection: Selection, kept: set[tuple[int, str, int]]
) -> None:
    chosen = select_attempts(reversed(ATTEMPTS), selection)  # the input order does not matter
    assert {(a.user_id, a.quiz_id, a.number) for a in chosen} == kept


def test_an_attempt_without_a_grade_is_never_the_best() -> None:
    chosen = select_attempts([Taken(1, "q", 1, None), Taken(1, "q", 2, 0.0)], Selection.BEST)
    assert [a.number for a in chosen] == [2]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("best", Selection.BEST),
        ("last", Selection.LAST),
        ("all", Selection.ALL),
        (None, Selection.FIRST),
        ("worst", Selection.FIRST),
        ("", Selection.FIRST),
    ],
)
def test_a_query_string_value_is_read_safely(value: str | None, expected: Selection) -> None:
    assert parse_selection(value) is expected
