"""Learning events, appended xAPI-shaped in the transaction of what they record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from .models import Event

VERBS = {
    "registered": "http://adlnet.gov/expapi/verbs/registered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "waived": "https://w3id.org/xapi/adl/verbs/waived",
}
ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "step": "http://adlnet.gov/expapi/activities/lesson",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
}


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
    return event


def record_many(db: Session, rows: list[dict[str, Any]]) -> None:
    """Append many events at once (user_id, verb, object_type, object_id, result, timestamp)."""
    for row in rows:
        if row["verb"] not in VERBS or row["object_type"] not in ACTIVITY_TYPES:
            raise ValueError(f"unknown verb or object type: {row['verb']} {row['object_type']}")
    if rows:
        db.execute(insert(Event), rows)


def as_statement(event: Event, base_url: str) -> dict[str, Any]:
    """Return the event as an xAPI statement (actor, verb, object, result, timestamp)."""
    statement: dict[str, Any] = {
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": base_url, "name": str(event.user_id)},
        },
        "verb": {"id": VERBS[event.verb], "display": {"fr-FR": event.verb}},
        "object": {
            "objectType": "Activity",
            "id": f"{base_url}/{event.object_type}/{event.object_id}",
            "definition": {"type": ACTIVITY_TYPES[event.object_type]},
        },
        "timestamp": event.timestamp.isoformat(),
    }
    if event.result is not None:
        statement["result"] = event.result
    return statement
