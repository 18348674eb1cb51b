"""Learning events, appended xAPI-shaped in the transaction of what they record.

Each event is also queued in `xapi_outbox`, in the same transaction, for `xapi forward`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from course.domain.xapi import ACTIVITY_TYPES, VERBS

from .array_inserts import ArrayRows
from .models import Event, XapiOutbox, table

# Built once: building a statement costs more than running it.
_INSERT_EVENTS = insert(table(Event)).returning(table(Event).c.id)
_INSERT_OUTBOX = insert(table(XapiOutbox))
# On PostgreSQL, the events and their outbox rows in one statement of arrays (array_inserts).
_EVENT_ROWS = ArrayRows(
    table(Event), ("user_id", "verb", "object_type", "object_id", "result", "timestamp")
)
_INSERT_EVENTS_AND_OUTBOX_PG = _EVENT_ROWS.statement(
    "WITH new AS (INSERT INTO events (user_id, verb, object_type, object_id, result, timestamp) "
    "{rows} RETURNING id) "
    "INSERT INTO xapi_outbox (event_id, tries, last_error) SELECT id, 0, '' FROM new"
)


def record(
    db: Session,
    user_id: int,
    verb: str,
    object_type: str,
    object_id: str,
    *,
    now: datetime,
    result: dict[str, Any] | None = None,
) -> Event:
    """Append one learning event."""
    if verb not in VERBS or object_type not in ACTIVITY_TYPES:
        raise ValueError(f"unknown verb or object type: {verb} {object_type}")
    event = Event(
        user_id=user_id,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        result=result,
        timestamp=now,
    )
    db.add(event)
    db.add(XapiOutbox(event=event))  # forwarded to the LRS later, if one is configured
    return event


def record_many(db: Session, rows: list[dict[str, Any]]) -> None:
    """Append many events at once (user_id, verb, object_type, object_id, result, timestamp)."""
    for row in rows:
        if row["verb"] not in VERBS or row["object_type"] not in ACTIVITY_TYPES:
            raise ValueError(f"unknown verb or object type: {row['verb']} {row['object_type']}")
    if not rows:
        return
    if db.get_bind().dialect.name == "postgresql":
        db.execute(_INSERT_EVENTS_AND_OUTBOX_PG, _EVENT_ROWS.params(rows))
        return
    # Through Core, two statements in all: the ORM's bulk path costs more than the SQL.
    ids = db.execute(_INSERT_EVENTS, rows).scalars().all()
    db.execute(_INSERT_OUTBOX, [{"event_id": i} for i in ids])
