"""What a learner's « Mes progrès » page shows, read in a handful of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from course.content.model import Course
from course.domain.activity import time_spent
from course.domain.calibration import Bar, Level, calibration, chart_bars
from course.domain.gain import ModuleGain, learner_gains
from course.domain.history import first_attempts
from course.domain.mastery import Mastery, objective_mastery
from course.domain.progression import ModuleStatus, Progress, course_status, unlocked_tools
from course.domain.xapi import NOT_BY_LEARNER

from . import certificates
from .history import load_answers
from .models import Certificate, Event, ToolEntry, User
from .progress import load_progress


@dataclass(frozen=True)
class ToolUse:
    """How much a learner worked on a tool: versions saved and when the last was."""

    versions: int
    saved_at: datetime


def tool_uses(db: Session, user_id: int) -> dict[str, ToolUse]:
    """Return, per tool the learner saved work on, the number of versions and the last date."""
    rows = db.execute(
        select(ToolEntry.tool_id, func.count(ToolEntry.id), func.max(ToolEntry.saved_at))
        .where(ToolEntry.user_id == user_id)
        .group_by(ToolEntry.tool_id)
    )
    return {tool_id: ToolUse(count, saved_at) for tool_id, count, saved_at in rows}


@dataclass(frozen=True)
class LearnerReport:
    """A learner's progress, mastery, gains, calibration, time spent and certificate."""

    learner_id: int
    learner_name: str
    progress: Progress
    statuses: list[ModuleStatus]
    mastery: list[Mastery]
    gains: list[ModuleGain]
    calibration: tuple[Level, ...]
    chart: tuple[Bar, ...]
    time_spent: timedelta
    unlocked_tools: frozenset[str]
    tool_entries: dict[str, ToolUse]
    certificate: Certificate | None


def learner_report(db: Session, course: Course, user_id: int) -> LearnerReport | None:
    """Gather the learner's report; None if there is no such learner."""
    user = db.get(User, user_id)
    if user is None:
        return None
    progress = load_progress(db, user_id)
    answers = load_answers(db, user_id)
    levels = calibration(answers)
    moments = db.scalars(
        select(Event.timestamp).where(Event.user_id == user_id, Event.verb.not_in(NOT_BY_LEARNER))
    )
    return LearnerReport(
        learner_id=user.id,
        learner_name=user.display_name,
        progress=progress,
        statuses=course_status(course, progress),
        mastery=objective_mastery(course, answers),
        gains=learner_gains(course, first_attempts(answers)),
        calibration=levels,
        chart=chart_bars(levels),
        time_spent=time_spent(moments),
        unlocked_tools=unlocked_tools(course, progress),
        tool_entries=tool_uses(db, user_id),
        certificate=certificates.for_user(db, user_id),
    )
