"""Scoring: one pure rule per question type."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from course.content.model import Question
from course.domain.scoring import passed, score_attempt, score_question

QUESTION = TypeAdapter(Question)


def make(type_: str, **fields: Any) -> Any:
    return QUESTION.validate_python(
        {"id": "q", "type": type_, "prompt": "?", "objective": "o", **fields}
    )


SINGLE = make(
    "single", choices=[{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}]
)
CHOICES = [
    {"id": "a", "text": "A", "correct": True},
    {"id": "b", "text": "B", "correct": True},
    {"id": "c", "text": "C"},
    {"id": "d", "text": "D"},
]
MULTIPLE = make("multiple", choices=CHOICES)
MULTIPLE_PARTIAL = make("multiple", choices=CHOICES, partial=True)
TRUE_FALSE = make("true_false", answer=False)
NUMERIC = make("numeric", answer=69, tolerance=0.5)
TEXT = make("text", accept=["Catalyse territoriale", "catalyse"])
ITEMS = [{"id": "x", "text": "X"}, {"id": "y", "text": "Y"}, {"id": "z", "text": "Z"}]
ORDERING = make("ordering", items=ITEMS)
ORDERING_PARTIAL = make("ordering", items=ITEMS, partial=True)
PAIRS = [
    {"id": "p1", "left": "L1", "right": "R1"},
    {"id": "p2", "left": "L2", "right": "R2"},
    {"id": "p3", "left": "L3", "right": "R3"},
    {"id": "p4", "left": "L4", "right": "R4"},
]
MATCHING = make("matching", pairs=PAIRS)
MATCHING_PARTIAL = make("matching", pairs=PAIRS, partial=True)


@pytest.mark.parametrize(
    ("question", "answer", "fraction"),
    [
        (SINGLE, "a", 1.0),
        (SINGLE, "b", 0.0),
        (SINGLE, None, 0.0),
        (SINGLE, ["a"], 0.0),
        (MULTIPLE, ["a", "b"], 1.0),
        (MULTIPLE, ["b", "a"], 1.0),
        (MULTIPLE, ["a"], 0.0),
        (MULTIPLE, ["a", "b", "c"], 0.0),
        (MULTIPLE, None, 0.0),
        (MULTIPLE_PARTIAL, ["a"], 0.5),
        (MULTIPLE_PARTIAL, ["a", "b"], 1.0),
        (MULTIPLE_PARTIAL, ["a", "b", "c"], 0.5),
        (MULTIPLE_PARTIAL, ["a", "c", "d"], 0.0),
        (MULTIPLE_PARTIAL, ["c"], 0.0),
        (TRUE_FALSE, False, 1.0),
        (TRUE_FALSE, True, 0.0),
        (TRUE_FALSE, None, 0.0),
        (TRUE_FALSE, "false", 0.0),
        (NUMERIC, 69.0, 1.0),
        (NUMERIC, 69.5, 1.0),
        (NUMERIC, 68.5, 1.0),
        (NUMERIC, 69.51, 0.0),
        (NUMERIC, None, 0.0),
        (NUMERIC, True, 0.0),
        (NUMERIC, "69", 0.0),
        (TEXT, "catalyse territoriale", 1.0),
        (TEXT, "  CATALYSE   Territoriale ", 1.0),
        (TEXT, "Catalysé", 1.0),
        (TEXT, "catalyses", 0.0),
        # Punctuation, typographic apostrophes and dashes, non-breaking spaces do not count.
        (TEXT, "catalyse territoriale.", 1.0),
        (TEXT, "« Catalyse\u00a0territoriale »", 1.0),
        (TEXT, "catalyse—territoriale", 1.0),
        (TEXT, "catalyse-territoriale !", 1.0),
        (TEXT, "catalyse terri-toriale", 0.0),
        (TEXT, None, 0.0),
        (ORDERING, ["x", "y", "z"], 1.0),
        (ORDERING, ["y", "x", "z"], 0.0),
        (ORDERING, ["x", "y"], 0.0),
        (ORDERING, None, 0.0),
        # Partial ordering: the share of item pairs in the right relative order.
        (ORDERING_PARTIAL, ["x", "z", "y"], 2 / 3),  # (x, y) and (x, z) kept, (y, z) swapped
        (ORDERING_PARTIAL, ["z", "x", "y"], 1 / 3),  # only (x, y) kept, though none is in place
        (ORDERING_PARTIAL, ["z", "y", "x"], 0.0),
        (ORDERING_PARTIAL, ["x", "y", "z"], 1.0),
        (ORDERING_PARTIAL, ["x", "y"], 0.0),  # not every item: no credit
        (ORDERING_PARTIAL, None, 0.0),
        (MATCHING, {"p1": "p1", "p2": "p2", "p3": "p3", "p4": "p4"}, 1.0),
        (MATCHING, {"p1": "p2", "p2": "p1", "p3": "p3", "p4": "p4"}, 0.0),
        (MATCHING, None, 0.0),
        (MATCHING_PARTIAL, {"p1": "p1", "p2": "p2", "p3": "p4", "p4": "p3"}, 0.5),
        (MATCHING_PARTIAL, {"p1": "p1"}, 0.25),
    ],
)
def test_score_question(question: Any, answer: Any, fraction: float) -> None:
    result = score_question(question, answer)
    assert result.fraction == pytest.approx(fraction)
    assert result.points == pytest.approx(fraction * question.points)
    assert result.correct is (fraction == 1.0)


def test_points_weight_the_attempt_score() -> None:
    heavy = make("true_false", answer=True, points=3)
    light = make("numeric", answer=1)
    light = light.model_copy(update={"id": "light"})
    result = score_attempt([heavy, light], {"q": True, "light": 2.0})
    assert result.points == 3
    assert result.max_points == 4
    assert result.score == pytest.approx(0.75)


def test_unanswered_questions_count_as_wrong() -> None:
    result = score_attempt([SINGLE], {})
    assert result.score == 0
    assert result.max_points == 1


@pytest.mark.parametrize(
    ("score", "mark", "expected"),
    [(0.8, 0.8, True), (0.7999999999, 0.8, True), (0.79, 0.8, False), (1.0, 1.0, True)],
)
def test_passed_compares_with_the_mark(score: float, mark: float, expected: bool) -> None:
    assert passed(score, mark) is expected
