"""The xAPI outbox: every event is queued in its own transaction; sent ones leave; failures wait."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from course.content import load_course
from course.domain.xapi import Activities, Site
from course.services import events, xapi
from course.services.models import Event, User, XapiOutbox
from tests.conftest import FIXTURE_COURSE, now

SITE = Site("https://parcours.example")


def activities() -> Activities:
    course, problems = load_course(FIXTURE_COURSE)
    assert course is not None, problems
    return Activities(SITE, course)


def test_each_event_is_queued_with_it(db: Session, learner: User) -> None:
    queued_at_registration = xapi.queued(db)
    events.record(db, learner.id, "completed", "step", "m1-intro", now=now())
    events.record_many(
        db,
        [
            {
                "user_id": learner.id,
                "verb": "attempted",
                "object_type": "quiz",
                "object_id": "m1-quiz",
                "result": None,
                "timestamp": now(),
            }
        ]
        * 3,
    )
    db.commit()
    assert queued_at_registration == 1  # the registration's own event
    assert xapi.queued(db) == 5


def test_an_event_rolled_back_is_not_queued(db: Session, learner: User) -> None:
    before = xapi.queued(db)
    events.record(db, learner.id, "completed", "step", "m1-intro", now=now())
    db.rollback()
    assert xapi.queued(db) == before


def test_delivered_events_leave_and_failed_ones_wait_longer_each_time(
    db: Session, learner: User
) -> None:
    events.record(db, learner.id, "completed", "step", "m1-intro", now=now())
    db.commit()
    due = xapi.due(db, now=now())
    assert len(due) == 2
    first, second = (e.id for e in due)
    xapi.postponed(db, [second], error="LRS unreachable", now=now())
    xapi.delivered(db, [first])
    db.commit()
    assert xapi.due(db, now=now()) == []
    assert [e.id for e in xapi.due(db, now=now() + timedelta(seconds=2))] == [second]
    xapi.postponed(db, [second], error="LRS unreachable", now=now())
    row = db.scalar(select(XapiOutbox).where(XapiOutbox.event_id == second))
    assert row is not None
    assert (row.tries, row.next_try_at, row.last_error) == (
        2,
        now() + timedelta(seconds=4),
        "LRS unreachable",
    )


@pytest.mark.parametrize(
    ("tries", "seconds"), [(1, 2), (2, 4), (5, 32), (9, 512), (10, 600), (50, 600)]
)
def test_the_back_off_doubles_up_to_ten_minutes(tries: int, seconds: int) -> None:
    assert xapi.backoff(tries) == timedelta(seconds=seconds)


def test_the_export_gives_every_event_once_in_order_from_a_date(db: Session, learner: User) -> None:
    for minutes in (10, 20, 30):
        events.record(
            db, learner.id, "completed", "step", "m1-intro", now=now() + timedelta(minutes=minutes)
        )
    db.commit()
    everything = list(xapi.export(db, activities()))
    assert len(everything) == 4
    assert len({s["id"] for s in everything}) == 4
    later = list(xapi.export(db, activities(), since=now() + timedelta(minutes=15)))
    assert [s["timestamp"] for s in later] == [
        (now() + timedelta(minutes=m)).isoformat() for m in (20, 30)
    ]


def test_many_events_keep_their_fields_and_are_each_queued(db: Session, learner: User) -> None:
    """On PostgreSQL, record_many writes one statement of arrays: nothing may change on the way."""
    at = now()
    before = db.scalar(select(func.max(Event.id))) or 0
    rows = [
        {
            "user_id": learner.id,
            "verb": "answered",
            "object_type": "question",
            "object_id": f"m1-quiz/q{n}",
            "result": {"success": n % 2 == 0, "score": {"scaled": 0.5 * n}},
            "timestamp": at + timedelta(seconds=n),
        }
        for n in range(3)
    ] + [{**_attempted(learner), "timestamp": at}]
    events.record_many(db, rows)
    db.commit()
    stored = db.scalars(select(Event).where(Event.id > before).order_by(Event.id)).all()
    assert [(e.verb, e.object_id, e.result, e.timestamp) for e in stored] == [
        (r["verb"], r["object_id"], r["result"], r["timestamp"]) for r in rows
    ]
    queued = set(db.scalars(select(XapiOutbox.event_id)))
    assert {e.id for e in stored} <= queued


def _attempted(learner: User) -> dict[str, object]:
    return {
        "user_id": learner.id,
        "verb": "attempted",
        "object_type": "quiz",
        "object_id": "m1-quiz",
        "result": None,
    }
