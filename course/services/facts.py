"""Load what the cohort metrics need, for many learners at once, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session

from course.domain.distractors import TOP_CONFIDENCE
from course.domain.metrics import LearnerFacts
from course.domain.progression import Progress, QuizRecord
from course.domain.scoring import RIGHT_FROM
from course.domain.selection import Selection

from .history import grade, selected_attempts
from .models import (
    AnswerRow,
    Attempt,
    CertaintyScore,
    CohortMembership,
    StepCompletion,
    Submission,
    User,
    Waiver,
)

Who = Select[Any] | Sequence[int]  # a query of user ids, or the ids themselves


def members(cohort_id: int) -> Select[Any]:
    """Return a query of the ids of a cohort's learners."""
    return select(CohortMembership.user_id).where(CohortMembership.cohort_id == cohort_id)


def load_facts(db: Session, who: Who, *, cohort_id: int | None = None) -> list[LearnerFacts]:
    """Return the facts of the learners `who` names (a query of ids, or ids) in 6 queries.

    With a cohort, `joined_at` is when they joined it; without, when they registered.
    """
    learners = db.execute(_people(who, cohort_id)).all()
    done = _group(db.execute(_steps(who)))
    waived = _group(db.execute(_waivers(who)))
    activity: defaultdict[int, dict[str, datetime]] = defaultdict(dict)
    for user_id, module_id, last in db.execute(_step_activity(who)):
        activity[user_id][module_id] = last
    records: defaultdict[int, dict[str, QuizRecord]] = defaultdict(dict)
    failures: defaultdict[int, dict[str, int]] = defaultdict(dict)
    for row in db.execute(_quiz_records(who)):
        records[row.user_id][row.quiz_id] = QuizRecord(row.attempts, row.best, bool(row.passed))
        failures[row.user_id][row.quiz_id] = row.failed or 0
        activity[row.user_id][row.quiz_id] = max(filter(None, (row.started, row.submitted)))
    sure: defaultdict[int, dict[str, int]] = defaultdict(dict)
    wrong: defaultdict[int, dict[str, tuple[tuple[str, bool], ...]]] = defaultdict(dict)
    for user_id, quiz_id, question_id, confidence in db.execute(_latest_wrong(who)):
        top = (confidence or 0) >= TOP_CONFIDENCE
        wrong[user_id][quiz_id] = (*wrong[user_id].get(quiz_id, ()), (question_id, top))
        sure[user_id][quiz_id] = sure[user_id].get(quiz_id, 0) + top
    return [
        LearnerFacts(
            user_id=uid,
            name=name,
            email=email,
            joined_at=joined_at,
            progress=Progress(frozenset(done[uid]), records[uid], frozenset(waived[uid])),
            failures=failures[uid],
            confident_wrong=sure[uid],
            activity=activity[uid],
            wrong=wrong[uid],
        )
        for uid, name, email, joined_at in learners
    ]


def _people(who: Who, cohort_id: int | None) -> Select[Any]:
    if cohort_id is None:
        query = select(User.id, User.display_name, User.email, User.created_at)
    else:
        query = select(User.id, User.display_name, User.email, CohortMembership.joined_at).join(
            CohortMembership,
            and_(CohortMembership.user_id == User.id, CohortMembership.cohort_id == cohort_id),
        )
    return query.where(User.id.in_(who)).order_by(User.id)


def _group(rows: Iterable[Any]) -> defaultdict[int, list[str]]:
    grouped: defaultdict[int, list[str]] = defaultdict(list)
    for user_id, value in rows:
        grouped[user_id].append(value)
    return grouped


def _steps(who: Who) -> Select[Any]:
    query = select(StepCompletion.user_id, StepCompletion.step_id)
    return query.where(StepCompletion.user_id.in_(who))


def _waivers(who: Who) -> Select[Any]:
    return select(Waiver.user_id, Waiver.module_id).where(Waiver.user_id.in_(who))


def _step_activity(who: Who) -> Select[Any]:
    return (
        select(
            StepCompletion.user_id, StepCompletion.module_id, func.max(StepCompletion.completed_at)
        )
        .where(StepCompletion.user_id.in_(who))
        .group_by(StepCompletion.user_id, StepCompletion.module_id)
    )


def _quiz_records(who: Who) -> Select[Any]:
    """Per learner and quiz, what load_progress reads, plus failures and the last activity."""
    submitted = Submission.attempt_id.is_not(None)
    query = (
        select(
            Attempt.user_id,
            Attempt.quiz_id,
            func.count(Attempt.id).label("attempts"),
            # The score that counts, as load_progress reads it: CBM for `scoring: cbm` quizzes.
            func.max(grade()).label("best"),
            func.max(case((Submission.passed.is_(True), 1), else_=0)).label("passed"),
            func.sum(case((and_(submitted, Submission.passed.is_(False)), 1), else_=0)).label(
                "failed"
            ),
            func.max(Attempt.started_at).label("started"),
            func.max(Submission.submitted_at).label("submitted"),
        )
        .outerjoin(Submission, Submission.attempt_id == Attempt.id)
        .outerjoin(CertaintyScore, CertaintyScore.attempt_id == Attempt.id)
        .where(Attempt.user_id.in_(who))
        .group_by(Attempt.user_id, Attempt.quiz_id)
    )
    return query


def _latest_wrong(who: Who) -> Select[Any]:
    """Every wrong answer of each learner's latest submitted attempt at each quiz."""
    latest = selected_attempts(who, Selection.LAST)
    return (
        select(latest.c.user_id, latest.c.quiz_id, AnswerRow.question_id, AnswerRow.confidence)
        .join(AnswerRow, AnswerRow.attempt_id == latest.c.attempt_id)
        # `fraction < RIGHT_FROM`: not scoring.is_right, in SQL.
        .where(AnswerRow.fraction < RIGHT_FROM)
        .order_by(AnswerRow.id)
    )
