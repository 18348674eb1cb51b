"""Read submitted answers, and the attempts a selection keeps (first, last, best, all), in SQL."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Subquery, func, select
from sqlalchemy.orm import Session

from course.content.model import Quiz
from course.domain.calibration import certainty_review
from course.domain.history import Answered
from course.domain.selection import Selection

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


def grade() -> ColumnElement[float]:
    """The score an attempt counts for: its CBM score on a `scoring: cbm` quiz, else its score."""
    return func.coalesce(CertaintyScore.score, Submission.score)


def _order(selection: Selection) -> tuple[ColumnElement[Any], ...]:
    """The SQL form of `selection.rank`: the chosen attempt sorts first."""
    if selection is Selection.LAST:
        return (Attempt.number.desc(),)
    if selection is Selection.BEST:
        return (grade().desc(), Attempt.number.asc())
    return (Attempt.number.asc(),)


def selected_attempts(who: Any, selection: Selection, quiz_id: str | None = None) -> Subquery:
    """Return the submitted attempts a selection keeps (`attempt_id`, `user_id`, `quiz_id`),
    for the learners `who` (ids, or a select of ids), at one quiz or at all of them."""
    ranked = (
        select(
            Attempt.id.label("attempt_id"),
            Attempt.user_id,
            Attempt.quiz_id,
            func.row_number()
            .over(partition_by=(Attempt.user_id, Attempt.quiz_id), order_by=_order(selection))
            .label("rank"),
        )
        .join(Submission, Submission.attempt_id == Attempt.id)
        .outerjoin(CertaintyScore, CertaintyScore.attempt_id == Attempt.id)
        .where(Attempt.user_id.in_(who))
    )
    if quiz_id is not None:
        ranked = ranked.where(Attempt.quiz_id == quiz_id)
    inner = ranked.subquery()
    chosen = select(inner.c.attempt_id, inner.c.user_id, inner.c.quiz_id)
    if selection is not Selection.ALL:
        chosen = chosen.where(inner.c.rank == 1)
    return chosen.subquery()


def selected_answers(
    db: Session, user_ids: Collection[int], selection: Selection
) -> dict[int, dict[str, dict[str, float]]]:
    """Return, per learner, each quiz's selected attempt: quiz -> question -> fraction
    (for `all`, later attempts overwrite earlier ones)."""
    chosen = selected_attempts(user_ids, selection)
    rows = db.execute(
        select(chosen.c.user_id, chosen.c.quiz_id, AnswerRow.question_id, AnswerRow.fraction)
        .join(AnswerRow, AnswerRow.attempt_id == chosen.c.attempt_id)
        .order_by(chosen.c.attempt_id)
    )
    found: dict[int, dict[str, dict[str, float]]] = {user_id: {} for user_id in user_ids}
    for user_id, quiz_id, question_id, fraction in rows:
        found[user_id].setdefault(quiz_id, {})[question_id] = fraction
    return found


def certainty_score(db: Session, attempt_id: int) -> float | None:
    """Return the stored CBM score of a submission (`scoring: cbm` quizzes only)."""
    return db.scalar(select(CertaintyScore.score).where(CertaintyScore.attempt_id == attempt_id))


@dataclass(frozen=True)
class PastAttempt:
    """One of a learner's attempts at a quiz, as the history page lists it."""

    attempt_id: int
    number: int
    started_at: datetime
    submitted_at: datetime | None
    score: float | None
    passed: bool | None
    certainty: float | None

    @property
    def submitted(self) -> bool:
        """Tell whether the attempt was submitted (else it is still open)."""
        return self.submitted_at is not None


def quiz_attempts(db: Session, user_id: int, quiz: Quiz) -> list[PastAttempt]:
    """Return the learner's attempts at a quiz, the latest first, with scores (two queries)."""
    rows = db.execute(
        select(
            Attempt.id,
            Attempt.number,
            Attempt.started_at,
            Submission.submitted_at,
            Submission.score,
            Submission.passed,
            CertaintyScore.score,
        )
        .outerjoin(Submission, Submission.attempt_id == Attempt.id)
        .outerjoin(CertaintyScore, CertaintyScore.attempt_id == Attempt.id)
        .where(Attempt.user_id == user_id, Attempt.quiz_id == quiz.id)
        .order_by(Attempt.number.desc())
    ).all()
    computed = _certainty_scores(db, user_id, quiz) if quiz.confidence else {}
    return [
        PastAttempt(
            attempt_id,
            number,
            started,
            submitted,
            score,
            passed,
            stored or computed.get(attempt_id),
        )
        for attempt_id, number, started, submitted, score, passed, stored in rows
    ]


def _certainty_scores(db: Session, user_id: int, quiz: Quiz) -> dict[int, float]:
    """Return each submitted attempt's CBM score, read from its answers as the review reads it."""
    rows = db.execute(
        select(
            AnswerRow.attempt_id,
            AnswerRow.question_id,
            AnswerRow.fraction,
            AnswerRow.points,
            AnswerRow.confidence,
            AnswerRow.response,
        )
        .join(Attempt, Attempt.id == AnswerRow.attempt_id)
        .where(Attempt.user_id == user_id, Attempt.quiz_id == quiz.id)
    )
    by_attempt: dict[int, list[Any]] = {}
    for row in rows:
        by_attempt.setdefault(row.attempt_id, []).append(row)
    found = {a: certainty_review(quiz, answers).cbm for a, answers in by_attempt.items()}
    return {a: cbm for a, cbm in found.items() if cbm is not None}
