"""A learner's progress: read once for the rules, and step completions recorded."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CompoundSelect,
    Float,
    Integer,
    ScalarSelect,
    Select,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from course.content.model import Course, Module, Step
from course.domain.progression import Progress, QuizRecord, State, module_status

from . import events
from .driver_queries import DriverQuery
from .history import grade
from .models import Attempt, CertaintyScore, StepCompletion, StepOpening, Submission, Waiver


def _progress_query() -> CompoundSelect:
    """Build, once, the union that reads a learner's steps, quiz records, waivers, openings."""
    user_id = bindparam("user_id", type_=Integer)
    # Typed NULLs and inline labels, so PostgreSQL can type every column of the union, and the
    # first select's names, the union's, so that it can be read as a subquery (`as_json`).
    nothing = (
        cast(null(), Integer).label("count"),
        cast(null(), Float).label("best"),
        cast(null(), Integer).label("passed"),
    )
    steps = select(
        literal_column("'step'").label("kind"), StepCompletion.step_id.label("key"), *nothing
    ).where(StepCompletion.user_id == user_id)
    quizzes: Select[Any] = (
        select(
            literal_column("'quiz'"),
            Attempt.quiz_id,
            func.count(Attempt.id),
            # The score that counts: the certainty-based one for `scoring: cbm` quizzes.
            func.max(grade()),
            func.max(case((Submission.passed.is_(True), 1), else_=0)),
        )
        .outerjoin(Submission, Submission.attempt_id == Attempt.id)
        .outerjoin(CertaintyScore, CertaintyScore.attempt_id == Attempt.id)
        .where(Attempt.user_id == user_id)
        .group_by(Attempt.quiz_id)
    )
    waivers = select(literal_column("'waiver'"), Waiver.module_id, *nothing).where(
        Waiver.user_id == user_id
    )
    opened = select(literal_column("'opened'"), StepOpening.step_id, *nothing).where(
        StepOpening.user_id == user_id
    )
    return union_all(steps, quizzes, waivers, opened)


_PROGRESS = _progress_query()
_PROGRESS_QUERY = DriverQuery(_PROGRESS)


def load_progress(db: Session, user_id: int) -> Progress:
    """Read what the rules need of one learner, in one round trip."""
    return progress_of(_PROGRESS_QUERY.rows(db.connection(), {"user_id": user_id}))


def progress_of(rows: Iterable[Sequence[Any]]) -> Progress:
    """Return the progress that rows of the progress union hold (kind, key, count, best,
    passed), read by `load_progress` or as JSON with the login session (`as_json`)."""
    keys: dict[str, set[str]] = {"step": set(), "waiver": set(), "opened": set()}
    records = {}
    for kind, key, count, best, passed in rows:
        if kind == "quiz":
            score = None if best is None else float(best)
            records[key] = QuizRecord(attempts=count, best_score=score, passed=bool(passed))
        else:
            keys[kind].add(key)
    return Progress(
        frozenset(keys["step"]),
        records,
        frozenset(keys["waiver"]),
        opened_steps=frozenset(keys["opened"]),
    )


def as_json(dialect_name: str) -> ScalarSelect[Any]:
    """Return the progress union of the learner `:user_id` as one JSON array of its rows, to
    read along with another query (the login session's: `login_sessions.signed_in`)."""
    rows = _PROGRESS.subquery()
    if dialect_name == "postgresql":
        together = func.json_agg(func.json_build_array(*rows.c), type_=JSON)
    else:
        together = func.json_group_array(func.json_array(*rows.c), type_=JSON)
    return select(together).scalar_subquery()


def open_step(db: Session, user_id: int, module: Module, step: Step, *, now: datetime) -> bool:
    """Record the first opening of a step and its 'experienced' event; False if already open."""
    try:
        with db.begin_nested():
            db.add(
                StepOpening(user_id=user_id, module_id=module.id, step_id=step.id, opened_at=now)
            )
    except IntegrityError:
        return False
    events.record(db, user_id, "experienced", "step", step.id, now=now)
    return True


def complete_step(
    db: Session, course: Course, user_id: int, module: Module, step: Step, *, now: datetime
) -> bool:
    """Mark a step done (once); record the events. Return False if it was already done."""
    before = module_status(course, module, load_progress(db, user_id)).state
    try:
        with db.begin_nested():
            db.add(
                StepCompletion(
                    user_id=user_id, module_id=module.id, step_id=step.id, completed_at=now
                )
            )
    except IntegrityError:
        return False
    events.record(db, user_id, "completed", "step", step.id, now=now)
    record_module_completion(db, course, user_id, module, before, now=now)
    return True


def record_module_completion(
    db: Session, course: Course, user_id: int, module: Module, before: State, *, now: datetime
) -> bool:
    """Append a 'completed' event when the module has just become completed; tell if it did."""
    after = module_status(course, module, load_progress(db, user_id)).state
    if before is not State.COMPLETED and after is State.COMPLETED:
        events.record(db, user_id, "completed", "module", module.id, now=now)
        return True
    return False
