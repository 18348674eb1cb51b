"""Reminders: at most one per learner per 24 hours (the database decides), each one recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select, update
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
    """Remind each of the cohort's learners named (others are ignored), in three steps.

    The slots are claimed and the letters written in one short transaction, committed before
    any mail leaves, so a slow mail server never holds the write lock; the mails go out; then
    a second short transaction records each reminder sent and gives back the slot of each mail
    that failed, so that learner can be reminded again at once.
    """
    outcome = Outcome()
    pending: list[tuple[User, str, str]] = []
    for user in _members(db, cohort_id, learner_ids):
        if not claim(db, user.id, now=now):
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
        pending.append((user, fill(letter.subject, values), fill(letter.message, values)))
    db.commit()
    left = [mail(user.email, subject, body) for user, subject, body in pending]
    for (user, subject, _body), went in zip(pending, left, strict=True):
        if went:
            record(db, user.id, letter.trainer_id, subject, cohort_id=cohort_id, now=now)
            outcome.sent.append(user.display_name)
        else:
            give_back(db, user.id, now=now)
            outcome.failed.append(user.display_name)
    db.commit()
    return outcome


def give_back(db: Session, user_id: int, *, now: datetime) -> None:
    """Free the slot claimed at `now` for a reminder that did not leave."""
    db.execute(
        delete(ReminderMark)
        .where(ReminderMark.user_id == user_id, ReminderMark.sent_at == now)
        .execution_options(synchronize_session=False)
    )


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
