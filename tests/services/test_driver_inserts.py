"""DriverInsert: rows inserted on the driver's cursor are stored as SQLAlchemy's insert stores
them (issue 15), on both engines; the statement logs and SQLite's write lock see the insert, a
reader cannot write with it, and a driver's error is SQLAlchemy's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from course.services import events
from course.services.db import Database, ReaderWrites
from course.services.driver_inserts import DriverInsert
from course.services.models import Event, User, XapiOutbox, table
from course.services.statement_log import recorded

AT = datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=UTC)
COLUMNS = ("user_id", "verb", "object_type", "object_id", "result", "timestamp")


def rows(user_id: int | None) -> list[dict[str, Any]]:
    """Events holding what the hot inserts write: JSON (nested, with quotes and accents, a
    float, None), dates, NULLs."""
    same = {"success": True, "score": {"scaled": 0.1 + 0.2}}
    results: list[Any] = [
        same,
        {"response": ['dit « "oui" »', "l'élu\\n"], "n": [1, 2.5, None]},
        None,
        same,  # a value the row before did not hold, after one it did
    ]
    return [
        {
            "user_id": user_id if n else None,
            "verb": "answered",
            "object_type": "question",
            "object_id": f"quiz/q{n}",
            "result": result,
            "timestamp": AT,
        }
        for n, result in enumerate(results)
    ]


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.create_all()
    yield database
    database.dispose()


@pytest.fixture
def user_id(database: Database) -> int:
    session = database.session(writer=True)
    user = User(
        email="u@example.org", display_name="U", password_hash="x", role="learner", created_at=AT
    )
    session.add(user)
    session.commit()
    found = user.id
    session.close()
    return found


def stored(database: Database, object_ids: list[str]) -> list[tuple[Any, ...]]:
    """The events' columns and their JSON's own SQL NULL-ness, read back through SQLAlchemy."""
    events_table = table(Event)
    query = (
        select(*(events_table.c[c] for c in COLUMNS), events_table.c.result.is_(None))
        .where(events_table.c.object_id.in_(object_ids))
        .order_by(events_table.c.object_id)
    )
    with database.pooled.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def test_rows_are_stored_as_sqlalchemy_stores_them(database: Database, user_id: int) -> None:
    session = database.session(writer=True)
    expected = rows(user_id)
    session.execute(insert(table(Event)), expected)
    ids = DriverInsert(table(Event), COLUMNS, returning="id").run(
        session, [{**r, "object_id": f"driver/{r['object_id']}"} for r in expected]
    )
    session.commit()
    session.close()
    by_sqlalchemy = stored(database, [r["object_id"] for r in expected])
    by_driver = stored(database, [f"driver/{r['object_id']}" for r in expected])
    assert [row[:3] + row[4:] for row in by_driver] == [row[:3] + row[4:] for row in by_sqlalchemy]
    assert by_driver[1][4] == {"response": ['dit « "oui" »', "l'élu\\n"], "n": [1, 2.5, None]}
    assert by_driver[0][5] == AT
    with database.pooled.connect() as connection:
        new = connection.scalars(
            select(Event.id).where(Event.object_id.like("driver/%")).order_by(Event.id)
        ).all()
    assert sorted(ids) == list(new)
    assert len(ids) == 4


def test_no_rows_write_nothing(database: Database) -> None:
    session = database.session(writer=True)
    with recorded(database.pooled) as statements:
        assert DriverInsert(table(Event), COLUMNS).run(session, []) == []
    session.close()
    assert statements == []


def test_the_statement_logs_see_the_insert(database: Database, user_id: int) -> None:
    session = database.session(writer=True)
    session.connection()
    with recorded(database.pooled) as statements:
        DriverInsert(table(Event), COLUMNS).run(session, rows(user_id))
    session.rollback()
    session.close()
    assert [s.split(" (")[0] for s in statements if "events" in s] == ["INSERT INTO events"]


def test_a_reader_cannot_write(database: Database, user_id: int) -> None:
    session = database.session(writer=False)
    with pytest.raises(ReaderWrites):
        DriverInsert(table(Event), COLUMNS).run(session, rows(user_id))
    session.close()


def test_a_driver_error_is_sqlalchemy_s_and_writes_nothing(
    database: Database, user_id: int
) -> None:
    session = database.session(writer=True)
    events.record_many(session, rows(user_id)[:1])
    session.commit()
    event_id = session.scalar(select(func.max(Event.id)))
    outbox = DriverInsert(table(XapiOutbox), ("event_id", "tries", "last_error"))
    with pytest.raises(IntegrityError):  # already queued
        outbox.run(session, [{"event_id": event_id, "tries": 0, "last_error": ""}])
    session.rollback()
    assert session.scalar(select(func.count()).select_from(XapiOutbox)) == 1
    session.close()


def test_each_event_is_queued_with_it(database: Database, user_id: int) -> None:
    """On SQLite two inserts, on PostgreSQL one statement: every new event has its outbox row."""
    session = database.session(writer=True)
    with recorded(database.pooled) as statements:
        events.record_many(session, rows(user_id))
    session.commit()
    queued = session.execute(
        select(XapiOutbox.event_id, XapiOutbox.tries, XapiOutbox.last_error).order_by(
            XapiOutbox.event_id
        )
    ).all()
    recorded_ids = session.scalars(select(Event.id).order_by(Event.id)).all()
    session.close()
    assert [row[0] for row in queued] == list(recorded_ids)
    assert len(queued) == 4
    assert {tuple(row[1:]) for row in queued} == {(0, "")}  # the model's defaults
    writes = [s for s in statements if s.startswith(("INSERT", "WITH"))]
    assert len(writes) == (1 if database.url.startswith("postgresql") else 2)


def test_a_row_that_conflicts_is_skipped_when_asked(database: Database, user_id: int) -> None:
    session = database.session(writer=True)
    events.record_many(session, rows(user_id)[:1])
    event_id = session.scalar(select(Event.id))
    outbox = DriverInsert(
        table(XapiOutbox),
        ("event_id", "tries", "last_error"),
        returning="event_id",
        skip_conflicts=True,
    )
    queued = {"event_id": event_id, "tries": 5, "last_error": "again"}
    assert outbox.run(session, [queued]) == []  # already queued: left as it was
    session.commit()
    assert session.scalar(select(XapiOutbox.tries)) == 0
    session.execute(delete(XapiOutbox))
    assert outbox.run(session, [queued]) == [event_id]
    session.commit()
    assert session.scalar(select(XapiOutbox.tries)) == 5
    session.close()
