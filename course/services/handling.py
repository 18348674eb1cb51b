"""Needs-help signals a trainer has handled: for which facts, by whom and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from . import cohort_tallies, snapshots
from .models import CohortMembership, HandledHelp, User

Handled = tuple[str, str | None, datetime]  # the facts' key, who handled them, when


def mark_handled(
    db: Session, cohort_id: int, user_id: int, help_key: str, trainer_id: int, *, now: datetime
) -> None:
    """Record that a trainer handled a learner's signals as the facts stood (`help_key`)."""
    snapshots.hold(db, now)
    membership = and_(CohortMembership.cohort_id == cohort_id, CohortMembership.user_id == user_id)
    with cohort_tallies.changing(db, membership):
        _record(db, cohort_id, user_id, help_key, trainer_id, now)


def _record(
    db: Session, cohort_id: int, user_id: int, help_key: str, trainer_id: int, now: datetime
) -> None:
    found = db.get(HandledHelp, (cohort_id, user_id), with_for_update=True)
    if found is None:
        db.add(
            HandledHelp(
                cohort_id=cohort_id,
                user_id=user_id,
                help_key=help_key,
                handled_by=trainer_id,
                handled_at=now,
            )
        )
    else:
        found.help_key, found.handled_by, found.handled_at = help_key, trainer_id, now
    db.flush()


def handled_in(db: Session, cohort_id: int, user_ids: list[int]) -> dict[int, Handled]:
    """Return what was handled of these learners in a cohort (one query, even for none)."""
    rows = db.execute(
        select(HandledHelp.user_id, HandledHelp.help_key, User.display_name, HandledHelp.handled_at)
        .outerjoin(User, User.id == HandledHelp.handled_by)
        .where(HandledHelp.cohort_id == cohort_id, HandledHelp.user_id.in_(user_ids))
    )
    return {uid: (key, name, at) for uid, key, name, at in rows}
