"""Read a learner's submitted answers, and cohorts' first attempts, in one query each."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import and_, func, select
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


def first_attempts(
    db: Session, user_ids: Collection[int]
) -> dict[int, dict[str, dict[str, float]]]:
    """Return, per learner, each quiz's first submitted attempt: quiz -> question -> fraction."""
    first = (
        select(Attempt.user_id, Attempt.quiz_id, func.min(Attempt.number).label("number"))
        .join(Submission, Submission.attempt_id == Attempt.id)
        .where(Attempt.user_id.in_(user_ids))
        .group_by(Attempt.user_id, Attempt.quiz_id)
        .subquery()
    )
    rows = db.execute(
        select(Attempt.user_id, Attempt.quiz_id, AnswerRow.question_id, AnswerRow.fraction)
        .join(
            first,
            and_(
                first.c.user_id == Attempt.user_id,
                first.c.quiz_id == Attempt.quiz_id,
                first.c.number == Attempt.number,
            ),
        )
        .join(AnswerRow, AnswerRow.attempt_id == Attempt.id)
    )
    found: dict[int, dict[str, dict[str, float]]] = {user_id: {} for user_id in user_ids}
    for user_id, quiz_id, question_id, fraction in rows:
        found[user_id].setdefault(quiz_id, {})[question_id] = fraction
    return found


def certainty_score(db: Session, attempt_id: int) -> float | None:
    """Return the stored CBM score of a submission (`scoring: cbm` quizzes only)."""
    return db.scalar(select(CertaintyScore.score).where(CertaintyScore.attempt_id == attempt_id))
