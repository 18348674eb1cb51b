"""A test-wise guesser who never read the course scores at most 40 % on every graded quiz.

The guesser plays the classic tricks: the longest choice of a `single` question, every choice
but the absolute ones (« toujours », « jamais », « seul », « uniquement », « aucun ») of a
`multiple` question, « vrai » for a `true_false` one, and nothing for the other types. Its
reverse twin, who bets that authors make the right choice short, picks the shortest choice of a
`single` question and « faux » for a `true_false` one (the rest alike). Their answers are scored
by the engine's own rules, so the figures are what they would really get.
Run `pytest tests/unit/test_guesser.py -s` to print each quiz's figure (README: "Quizzes that
measure").
"""

from __future__ import annotations

import re

import pytest

from course.content import load_course
from course.content.model import (
    Course,
    MultipleQuestion,
    QuestionBase,
    SingleQuestion,
    TrueFalseQuestion,
)
from course.content.textfold import fold
from course.domain.scoring import Answer, score_attempt
from tests.conftest import REPO_ROOT

GUESSER_CEILING = 0.40
ABSOLUTE = re.compile(r"\b(toujours|jamais|seule?s?|uniquement|aucune?s?)\b")


GUESSERS = ["longest", "shortest"]


def guess(question: QuestionBase, guesser: str = "longest") -> Answer:
    """Answer one question the test-wise way (`longest` or `shortest`), without knowing anything."""
    if isinstance(question, SingleQuestion):
        pick = max if guesser == "longest" else min
        return pick(question.choices, key=lambda c: len(c.text)).id
    if isinstance(question, MultipleQuestion):
        return [c.id for c in question.choices if not ABSOLUTE.search(fold(c.text))]
    if isinstance(question, TrueFalseQuestion):
        return guesser == "longest"
    return None


def guesser_score(course: Course, quiz_id: str, guesser: str = "longest") -> float:
    """Return the fraction of a quiz's points the guesser earns."""
    questions = course.quizzes[quiz_id].questions
    return score_attempt(questions, {q.id: guess(q, guesser) for q in questions}).score


@pytest.fixture(scope="module")
def course() -> Course:
    loaded, _ = load_course(REPO_ROOT)
    assert loaded is not None
    return loaded


def test_the_guesser_plays_the_tricks() -> None:
    single = SingleQuestion.model_validate(
        {
            "id": "q",
            "type": "single",
            "prompt": "?",
            "objective": "o",
            "choices": [
                {"id": "a", "text": "court", "correct": True},
                {"id": "b", "text": "nettement plus long"},
            ],
        }
    )
    multiple = MultipleQuestion.model_validate(
        {
            "id": "q",
            "type": "multiple",
            "prompt": "?",
            "objective": "o",
            "choices": [
                {"id": "a", "text": "Une idée nuancée", "correct": True},
                {"id": "b", "text": "Il faut toujours agir seul"},
                {"id": "c", "text": "Aucune structure ne compte"},
            ],
        }
    )
    true_false = TrueFalseQuestion.model_validate(
        {"id": "q", "type": "true_false", "prompt": "?", "objective": "o", "answer": False}
    )
    assert guess(single) == "b"
    assert guess(single, "shortest") == "a"
    assert guess(multiple) == ["a"]
    assert guess(multiple, "shortest") == ["a"]
    assert guess(true_false) is True
    assert guess(true_false, "shortest") is False


QUIZZES = ["m1-quiz", "m2-quiz", "m3-quiz", "m4-quiz"]


@pytest.mark.parametrize("guesser", GUESSERS)
@pytest.mark.parametrize("quiz_id", QUIZZES)
def test_a_test_wise_guesser_scores_at_most_40_percent(
    course: Course, quiz_id: str, guesser: str
) -> None:
    assert course.quizzes[quiz_id].kind == "quiz"
    score = guesser_score(course, quiz_id, guesser)
    print(f"\n{quiz_id}: the {guesser}-choice guesser scores {score:.0%}")
    assert score <= GUESSER_CEILING, f"{quiz_id}: the {guesser}-choice guesser scores {score:.0%}"


def test_every_graded_quiz_is_covered(course: Course) -> None:
    graded = sorted(q.id for q in course.quizzes.values() if q.kind == "quiz")
    assert graded == QUIZZES
