"""One rule names the misconceptions of a wrong answer, whoever asks (review, analytics)."""

from __future__ import annotations

from typing import Any

import pytest

from course.content.model import Quiz
from course.domain.calibration import insight
from course.domain.distractors import ResponseTally, tagged_responses
from course.domain.misconceptions import misconception_tags
from course.domain.scoring import RIGHT_FROM, TOLERANCE, is_right, score_question

from .test_scoring import make

SINGLE = make(
    "single",
    misconception="idee-recue",
    choices=[
        {"id": "a", "text": "A", "correct": True},
        {"id": "b", "text": "B", "misconception": "perimetre-administratif"},
        {"id": "c", "text": "C"},
    ],
)
MULTIPLE = make(
    "multiple",
    partial=True,
    choices=[
        {"id": "a", "text": "A", "correct": True},
        {"id": "b", "text": "B", "correct": True},
        {"id": "c", "text": "C", "misconception": "idee-c"},
        {"id": "d", "text": "D", "misconception": "idee-d"},
    ],
)
TRUE_FALSE = make("true_false", answer=False, misconception="ciel-vert")


def quiz_of(question: Any) -> Quiz:
    return Quiz.model_validate(
        {"id": "z", "module": "m", "title": "Z", "pass_mark": 0.5, "questions": [question]}
    )


CASES = [
    (SINGLE, "b", ("perimetre-administratif",)),
    (SINGLE, "c", ("idee-recue",)),  # an untagged wrong choice: the question's tag
    (SINGLE, None, ()),  # no answer: wrong, but it shows no idea to name
    (SINGLE, "a", ()),
    (MULTIPLE, ["a", "b"], ()),
    (MULTIPLE, ["a", "c"], ("idee-c",)),  # partly right: the wrong choice's tag
    (MULTIPLE, ["a", "c", "d"], ("idee-c", "idee-d")),
    (MULTIPLE, ["a"], ()),  # no tagged wrong choice, no question tag
    (TRUE_FALSE, True, ("ciel-vert",)),
    (TRUE_FALSE, False, ()),
]


@pytest.mark.parametrize(("question", "response", "expected"), CASES)
def test_the_tags_of_an_answer(question: Any, response: Any, expected: tuple[str, ...]) -> None:
    fraction = score_question(question, response).fraction
    assert misconception_tags(question, response, fraction) == expected


@pytest.mark.parametrize(("question", "response", "expected"), CASES)
def test_the_review_and_the_analytics_name_the_same_tags(
    question: Any, response: Any, expected: tuple[str, ...]
) -> None:
    fraction = score_question(question, response).fraction
    review = insight(question, fraction, 3, response).misconceptions
    tally = ResponseTally(question.id, "k", response, fraction, 1, 1)
    analytics = tagged_responses(quiz_of(question), [tally]).get((question.id, "k"), ())
    assert review == analytics == expected


@pytest.mark.parametrize(
    ("fraction", "right"),
    [(1.0, True), (1 - TOLERANCE / 2, True), (2 / 3 + 1 / 3, True), (0.9999, False), (0.0, False)],
)
def test_one_rule_says_whether_an_answer_is_right(fraction: float, right: bool) -> None:
    assert is_right(fraction) is right
    assert (fraction >= RIGHT_FROM) is right  # the SQL form
