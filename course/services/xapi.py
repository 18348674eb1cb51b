"""Learning events read back as xAPI statements: the export, and the outbox the forwarder drains."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from course.domain.xapi import Activities, EventFacts, statement

from .models import Cohort, CohortMembership, Event, XapiOutbox

BATCH = 500
MAX_BACKOFF = timedelta(minutes=10)


def facts(event: Event) -> EventFacts:
    """Return what an event row says, for the statement builder."""
    return EventFacts(
        id=event.id,
        user_id=event.user_id,
        verb=event.verb,
        object_type=event.object_type,
        object_id=event.object_id,
        result=event.result,
        timestamp=event.timestamp,
    )


def cohorts_of(db: Session, user_ids: Iterable[int | None]) -> dict[int, list[tuple[int, str]]]:
    """Return each learner's cohorts (id, name), in one query."""
    wanted = {u for u in user_ids if u is not None}
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if not wanted:
        return found
    rows = db.execute(
        select(CohortMembership.user_id, Cohort.id, Cohort.name)
        .join(Cohort, Cohort.id == CohortMembership.cohort_id)
        .where(CohortMembership.user_id.in_(wanted))
        .order_by(Cohort.id)
    )
    for user_id, cohort_id, name in rows:
        found[user_id].append((cohort_id, name))
    return found


def statements(
    db: Session, activities: Activities, events: Sequence[Event]
) -> list[dict[str, Any]]:
    """Return the events as statements (their learners' cohorts read in one query)."""
    cohorts = cohorts_of(db, (e.user_id for e in events))
    return [statement(facts(e), activities, cohorts.get(e.user_id or 0, ())) for e in events]


def export(
    db: Session, activities: Activities, *, since: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """Yield every event (from `since`, if given) as a statement, oldest first, in batches."""
    last_id = 0
    while True:
        query = select(Event).where(Event.id > last_id).order_by(Event.id).limit(BATCH)
        if since is not None:
            query = query.where(Event.timestamp >= since)
        batch = list(db.scalars(query))
        if not batch:
            return
        yield from statements(db, activities, batch)
        last_id = batch[-1].id


def due(db: Session, *, now: datetime, limit: int = BATCH) -> list[Event]:
    """Return the queued events due for sending, oldest first."""
    query = (
        select(Event)
        .join(XapiOutbox, XapiOutbox.event_id == Event.id)
        .where((XapiOutbox.next_try_at.is_(None)) | (XapiOutbox.next_try_at <= now))
        .order_by(Event.id)
        .limit(limit)
    )
    return list(db.scalars(query))


def delivered(db: Session, event_ids: Sequence[int]) -> None:
    """Take events the LRS has stored off the queue."""
    db.execute(delete(XapiOutbox).where(XapiOutbox.event_id.in_(event_ids)))


def backoff(tries: int) -> timedelta:
    """Return how long to wait after `tries` failures: doubling from 2 s, at most 10 minutes."""
    return min(timedelta(seconds=2 ** min(tries, 10)), MAX_BACKOFF)


def postponed(db: Session, event_ids: Sequence[int], *, error: str, now: datetime) -> None:
    """Keep events queued after a failure, each retried later and later."""
    rows = db.scalars(select(XapiOutbox).where(XapiOutbox.event_id.in_(event_ids)))
    for row in rows:
        row.tries += 1
        row.next_try_at = now + backoff(row.tries)
        row.last_error = error[:500]
    db.flush()


def queued(db: Session) -> int:
    """Return how many events wait in the outbox."""
    return db.scalar(select(func.count()).select_from(XapiOutbox)) or 0
