"""Reminders: at most one per learner per 24 hours (the database decides), each one recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from course.content.model import Course
from course.domain.progression import NextAction, next_action
from course.domain.reminders import WINDOW, fill, where_stopped

from . import events
from .models import CohortMembership, ReminderMark, User
from .progress import load_progress


def claim(db: Session, user_id: int, *, now: datetime) -> bool:
    """Take a learner's reminder slot, unless a reminder went out in the last 24 hours.

    The database decides, so two trainers (or two workers) never both remind the same learner:
    a conditional UPDATE moves an old mark, or the primary key refuses a second new one.
    """
    moved = db.execute(
        update(ReminderMark)
        .where(ReminderMark.user_id == user_id, ReminderMark.sent_at <= now - WINDOW)
        .values(sent_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(moved, "rowcount", 0):
        return True
    try:
        with db.begin_nested():
            db.add(ReminderMark(user_id=user_id, sent_at=now))
    except IntegrityError:
        return False
    return True


def record(
    db: Session, user_id: int, trainer_id: int, subject: str, *, cohort_id: int, now: datetime
) -> None:
    """Append the reminder to the learner's learning events (xAPI-shaped, shown in the timeline)."""
    events.record(
        db,
        user_id,
        "reminded",
        "course",
        "course",
        now=now,
        result={"extensions": {"reminded_by": trainer_id, "cohort": cohort_id, "subject": subject}},
    )


@dataclass
class Outcome:
    """What a batch of reminders did, learner by learner (names)."""

    sent: list[str] = field(default_factory=list)
    recent: list[str] = field(default_factory=list)  # reminded less than 24 hours ago
    failed: list[str] = field(default_factory=list)  # the mail could not be sent


def send(
    db: Session,
    course: Course,
    cohort_id: int,
    learner_ids: Iterable[int],
    letter: Letter,
    *,
    mail: Callable[[str, str, str], bool],
    resume_url: Callable[[NextAction], str],
    now: datetime,
) -> Outcome:
    """Remind each of the cohort's learners named (others are ignored); the caller commits.

    A learner's slot is claimed, the mail sent, the event recorded; a mail that fails gives
    the slot back, so the learner can be reminded again at once.
    """
    outcome = Outcome()
    for user in _members(db, cohort_id, learner_ids):
        savepoint = db.begin_nested()
        if not claim(db, user.id, now=now):
            savepoint.rollback()
            outcome.recent.append(user.display_name)
            continue
        action = next_action(course, load_progress(db, user.id))
        values = {
            "nom": user.display_name,
            "cours": course.info.title,
            "etape": where_stopped(course, action),
            "lien": resume_url(action),
            "formateur": letter.signature,
        }
        subject = fill(letter.subject, values)
        if not mail(user.email, subject, fill(letter.message, values)):
            savepoint.rollback()
            outcome.failed.append(user.display_name)
            continue
        record(db, user.id, letter.trainer_id, subject, cohort_id=cohort_id, now=now)
        savepoint.commit()
        outcome.sent.append(user.display_name)
    return outcome


@dataclass(frozen=True)
class Letter:
    """The reminder as the trainer wrote it, placeholders unfilled, and who sends it."""

    subject: str
    message: str
    trainer_id: int
    signature: str


def _members(db: Session, cohort_id: int, learner_ids: Iterable[int]) -> list[User]:
    ids = sorted(set(learner_ids))
    return list(
        db.scalars(
            select(User)
            .join(CohortMembership, CohortMembership.user_id == User.id)
            .where(CohortMembership.cohort_id == cohort_id, User.id.in_(ids))
            .order_by(User.display_name, User.id)
        )
    )
