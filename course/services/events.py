"""Learning events, appended xAPI-shaped in the transaction of what they record.

Each event is also queued in `xapi_outbox`, in the same transaction, for `xapi forward`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from course.domain.xapi import ACTIVITY_TYPES, VERBS

from .driver_inserts import DriverInsert
from .models import Event, XapiOutbox, table

_COLUMNS = ("user_id", "verb", "object_type", "object_id", "result", "timestamp")
# Each in one statement on the driver's cursor (driver_inserts): through SQLAlchemy's
# executemany, events cost a quarter of a quiz submission. On SQLite, the events, then their
# outbox rows; on PostgreSQL both at once.
_INSERT_EVENTS = DriverInsert(table(Event), _COLUMNS, returning="id")
_INSERT_OUTBOX = DriverInsert(table(XapiOutbox), ("event_id", "tries", "last_error"))
_INSERT_EVENTS_AND_OUTBOX_PG = DriverInsert(
    table(Event),
    _COLUMNS,
    returning="id",
    within="WITH new AS ({insert}) "
    "INSERT INTO xapi_outbox (event_id, tries, last_error) SELECT id, 0, '' FROM new",
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
        _INSERT_EVENTS_AND_OUTBOX_PG.run(db, rows)
        return
    ids = _INSERT_EVENTS.run(db, rows)
    _INSERT_OUTBOX.run(db, [{"event_id": i} for i in ids])  # tries and error: the model's
