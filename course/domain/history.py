"""A learner's submitted answers, as the self-assessment rules read them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from course.content.model import Course, QuestionBase
from course.domain.selection import Selection, select_attempts

from .scoring import is_right

# quiz id -> question id -> fraction earned, for one attempt per quiz.
QuizAnswers = Mapping[str, Mapping[str, float]]


@dataclass(frozen=True)
class Answered:
    """One stored answer: where it was given, what it earned, how sure the learner was."""

    quiz_id: str
    question_id: str
    attempt_number: int
    fraction: float
    confidence: int | None
    submitted_at: datetime
    response: Any = None

    @property
    def right(self) -> bool:
        """Tell whether the answer earned every point."""
        return is_right(self.fraction)


def question_of(course: Course, answer: Answered) -> QuestionBase | None:
    """Return the question an answer was given to, if the course still has it."""
    quiz = course.quizzes.get(answer.quiz_id)
    return quiz.question(answer.question_id) if quiz is not None else None


@dataclass(frozen=True)
class _Taken:
    """One of a learner's submitted attempts, as `select_attempts` reads it."""

    user_id: int
    quiz_id: str
    number: int
    grade: float | None = None  # not needed for the first attempt


def first_attempts(answers: Iterable[Answered]) -> dict[str, dict[str, float]]:
    """Return each quiz's answers in its first submitted attempt: quiz -> question -> fraction."""
    answers = list(answers)
    taken = {_Taken(0, a.quiz_id, a.attempt_number) for a in answers}
    kept = {(t.quiz_id, t.number) for t in select_attempts(taken, Selection.FIRST)}
    found: dict[str, dict[str, float]] = {}
    for answer in answers:
        if (answer.quiz_id, answer.attempt_number) in kept:
            found.setdefault(answer.quiz_id, {})[answer.question_id] = answer.fraction
    return found


def latest_answers(answers: Iterable[Answered]) -> dict[tuple[str, str], Answered]:
    """Return the latest answer to each question, keyed by (quiz id, question id)."""
    latest: dict[tuple[str, str], Answered] = {}
    for answer in sorted(answers, key=lambda a: (a.submitted_at, a.attempt_number)):
        latest[(answer.quiz_id, answer.question_id)] = answer
    return latest
