"""Read a learner's submitted answers, and cohorts' first attempts, in one query each."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, func, select
from sqlalchemy.orm import Session

from course.domain.history import Answered

from .models import AnswerRow, Attempt, CertaintyScore, Submission


def load_answers(db: Session, user_id: int) -> list[Answered]:
    """Return every answer the learner submitted, oldest first."""
    rows = db.execute(
        select(
            Attempt.quiz_id,
            AnswerRow.question_id,
            Attempt.number,
            AnswerRow.fraction,
            AnswerRow.confidence,
            Submission.submitted_at,
            AnswerRow.response,
        )
        .join(Submission, Submission.attempt_id == Attempt.id)
        .join(AnswerRow, AnswerRow.attempt_id == Submission.attempt_id)
        .where(Attempt.user_id == user_id)
        .order_by(Submission.submitted_at, Attempt.number, AnswerRow.id)
    )
    return [Answered(*row) for row in rows]


def submitted_attempts(who: Any, pick: Callable[[Any], Any]) -> Subquery:
    """Return each learner's first (`func.min`) or latest (`func.max`) submitted attempt number
    per quiz, for the learners `who` (ids, or a select of ids)."""
    return (
        select(Attempt.user_id, Attempt.quiz_id, pick(Attempt.number).label("number"))
        .join(Submission, Submission.attempt_id == Attempt.id)
        .where(Attempt.user_id.in_(who))
        .group_by(Attempt.user_id, Attempt.quiz_id)
        .subquery()
    )


def is_attempt(chosen: Subquery) -> ColumnElement[bool]:
    """Join condition: the attempt is the one `submitted_attempts` chose."""
    return and_(
        chosen.c.user_id == Attempt.user_id,
        chosen.c.quiz_id == Attempt.quiz_id,
        chosen.c.number == Attempt.number,
    )


def first_attempts(
    db: Session, user_ids: Collection[int]
) -> dict[int, dict[str, dict[str, float]]]:
    """Return, per learner, each quiz's first submitted attempt: quiz -> question -> fraction."""
    first = submitted_attempts(user_ids, func.min)
    rows = db.execute(
        select(Attempt.user_id, Attempt.quiz_id, AnswerRow.question_id, AnswerRow.fraction)
        .join(first, is_attempt(first))
        .join(AnswerRow, AnswerRow.attempt_id == Attempt.id)
    )
    found: dict[int, dict[str, dict[str, float]]] = {user_id: {} for user_id in user_ids}
    for user_id, quiz_id, question_id, fraction in rows:
        found[user_id].setdefault(quiz_id, {})[question_id] = fraction
    return found


def certainty_score(db: Session, attempt_id: int) -> float | None:
    """Return the stored CBM score of a submission (`scoring: cbm` quizzes only)."""
    return db.scalar(select(CertaintyScore.score).where(CertaintyScore.attempt_id == attempt_id))
