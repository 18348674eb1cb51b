"""Waivers: a trainer lifts a module's lock for one learner; who and when are kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import events
from .models import User, Waiver


def waive(
    db: Session,
    learner_id: int,
    module_id: str,
    trainer_id: int,
    *,
    reason: str = "",
    now: datetime,
) -> bool:
    """Record a waiver, its reason and its "waived" event; False if the lock was already waived."""
    try:
        with db.begin_nested():
            db.add(
                Waiver(
                    user_id=learner_id,
                    module_id=module_id,
                    waived_by=trainer_id,
                    reason=reason,
                    created_at=now,
                )
            )
    except IntegrityError:
        return False
    events.record(
        db,
        learner_id,
        "waived",
        "module",
        module_id,
        now=now,
        result={"extensions": {"waived_by": trainer_id, "reason": reason}},
    )
    return True


def waivers_of(db: Session, learner_id: int) -> dict[str, tuple[str | None, datetime, str]]:
    """Return a learner's waivers: module id -> (who waived it, when, why)."""
    rows = db.execute(
        select(Waiver.module_id, User.display_name, Waiver.created_at, Waiver.reason)
        .outerjoin(User, User.id == Waiver.waived_by)
        .where(Waiver.user_id == learner_id)
    )
    return {module_id: (name, when, why) for module_id, name, when, why in rows}
