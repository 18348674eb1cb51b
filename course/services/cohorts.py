"""Cohorts: created by trainers, joined by learners with a code, seen by their trainers."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from course.domain.permissions import Actor, can_co_train, can_view_cohort, can_view_learner

from . import cohort_tallies, first_sums, snapshots
from .accounts import normalize_email
from .models import Cohort, CohortMembership, CohortTrainer, User

# No 0/O, 1/I/L: codes are read aloud and copied from slides.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class CodeTaken(Exception):
    """A freshly drawn join code was already in use."""


def normalize_code(code: str) -> str:
    """Return a join code as stored: upper case, without spaces or dashes."""
    return "".join(c for c in code.upper() if c.isalnum())


def display_code(code: str) -> str:
    """Return a join code as shown, in two groups of four ("ABCD-2345")."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def new_code() -> str:
    """Draw a join code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def create_cohort(db: Session, name: str, trainer_id: int, *, now: datetime) -> Cohort:
    """Create a cohort with a fresh join code; its creator becomes its trainer."""
    cohort = next(filter(None, (_insert(db, name, trainer_id, now) for _ in range(5))), None)
    if cohort is None:
        raise CodeTaken(name)
    db.add(CohortTrainer(cohort_id=cohort.id, user_id=trainer_id, added_at=now))
    db.flush()
    return cohort


def _insert(db: Session, name: str, trainer_id: int, now: datetime) -> Cohort | None:
    cohort = Cohort(name=name.strip(), join_code=new_code(), created_by=trainer_id, created_at=now)
    try:
        with db.begin_nested():
            db.add(cohort)
    except IntegrityError:
        return None
    return cohort


def find_by_code(db: Session, code: str) -> Cohort | None:
    """Return the cohort a join code opens, if any."""
    normalized = normalize_code(code)
    if not normalized:
        return None
    return db.scalar(select(Cohort).where(Cohort.join_code == normalized))


def join(db: Session, cohort: Cohort, user_id: int, *, now: datetime) -> bool:
    """Add a learner to a cohort, counted in its tallies; return False if already in it."""
    snapshots.hold(db, now)
    with cohort_tallies.changing(db, _membership(cohort.id, user_id)):
        try:
            with db.begin_nested():
                db.add(CohortMembership(cohort_id=cohort.id, user_id=user_id, joined_at=now))
        except IntegrityError:
            return False
    first_sums.joined(db, cohort.id, user_id)
    return True


def leave(db: Session, cohort: Cohort, user_id: int, *, now: datetime) -> bool:
    """Take a learner out of a cohort and its tallies; return False if they were not in it."""
    snapshots.hold(db, now)
    with cohort_tallies.changing(db, _membership(cohort.id, user_id)):
        gone = db.execute(delete(CohortMembership).where(_membership(cohort.id, user_id)))
    first_sums.joined(db, cohort.id, user_id)  # their first attempts no longer count here
    return bool(gone.rowcount)  # type: ignore[attr-defined]


def _membership(cohort_id: int, user_id: int) -> ColumnElement[bool]:
    return and_(CohortMembership.cohort_id == cohort_id, CohortMembership.user_id == user_id)


def trainer_ids(db: Session, cohort_id: int) -> set[int]:
    """Return the ids of a cohort's trainers."""
    rows = db.scalars(select(CohortTrainer.user_id).where(CohortTrainer.cohort_id == cohort_id))
    return set(rows)


def visible_cohort(db: Session, actor: Actor, cohort_id: int) -> Cohort | None:
    """Return a cohort if this person may see it (its trainers, admins); None otherwise."""
    cohort = db.get(Cohort, cohort_id)
    if cohort is None or not can_view_cohort(actor, trainer_ids(db, cohort_id)):
        return None
    return cohort


def visible_learner(db: Session, actor: Actor, cohort: Cohort, user_id: int) -> User | None:
    """Return a learner of a cohort this person may see, or None (strangers are not found)."""
    member = db.get(CohortMembership, (cohort.id, user_id)) is not None
    if not can_view_learner(actor, trainer_ids(db, cohort.id), member):
        return None
    return db.get(User, user_id)


@dataclass(frozen=True)
class CohortCard:
    """A cohort in a list: its name, code and number of learners."""

    cohort: Cohort
    learners: int


def cohorts_for(db: Session, actor: Actor) -> list[CohortCard]:
    """Return the cohorts someone follows (every cohort for an admin), with their sizes."""
    sizes = (
        select(CohortMembership.cohort_id, func.count().label("n"))
        .group_by(CohortMembership.cohort_id)
        .subquery()
    )
    query = (
        select(Cohort, func.coalesce(sizes.c.n, 0))
        .outerjoin(sizes, sizes.c.cohort_id == Cohort.id)
        .order_by(Cohort.created_at.desc(), Cohort.id.desc())
    )
    if actor.role != "admin":
        query = query.join(CohortTrainer, CohortTrainer.cohort_id == Cohort.id).where(
            CohortTrainer.user_id == actor.id
        )
    return [CohortCard(cohort, count) for cohort, count in db.execute(query)]


def memberships(db: Session, user_id: int, *, seen_by: Actor | None = None) -> list[Cohort]:
    """Return the cohorts a learner belongs to; with `seen_by`, only those this person trains."""
    query = (
        select(Cohort)
        .join(CohortMembership, CohortMembership.cohort_id == Cohort.id)
        .where(CohortMembership.user_id == user_id)
        .order_by(Cohort.name)
    )
    if seen_by is not None and seen_by.role != "admin":
        query = query.join(CohortTrainer, CohortTrainer.cohort_id == Cohort.id).where(
            CohortTrainer.user_id == seen_by.id
        )
    return list(db.scalars(query))


def trainers(db: Session, cohort_id: int) -> list[User]:
    """Return a cohort's trainers, by name."""
    return list(
        db.scalars(
            select(User)
            .join(CohortTrainer, CohortTrainer.user_id == User.id)
            .where(CohortTrainer.cohort_id == cohort_id)
            .order_by(User.display_name)
        )
    )


class NotATrainer(Exception):
    """The person to add as a trainer has no account, or not a trainer's role."""


def add_trainer(db: Session, cohort: Cohort, email: str, *, now: datetime) -> User:
    """Add a trainer (or admin) to a cohort's trainers; adding one twice is harmless."""
    user = db.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None or not can_co_train(user):
        raise NotATrainer(email)
    if db.get(CohortTrainer, (cohort.id, user.id)) is None:
        db.add(CohortTrainer(cohort_id=cohort.id, user_id=user.id, added_at=now))
        db.flush()
    return user


def joined_at(db: Session, cohort_id: int, user_ids: list[int]) -> dict[int, datetime]:
    """Return when each of these learners joined the cohort (one query, even for none)."""
    rows = db.execute(
        select(CohortMembership.user_id, CohortMembership.joined_at).where(
            CohortMembership.cohort_id == cohort_id, CohortMembership.user_id.in_(user_ids)
        )
    ).tuples()
    return dict(rows.all())
