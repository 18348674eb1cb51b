"""DriverQuery: a hot read run on the driver's cursor returns what SQLAlchemy's execute returns
(issue 15), on both engines, and the statement logs still see it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    Table,
    bindparam,
    cast,
    func,
    literal,
    select,
)
from sqlalchemy.exc import DBAPIError

from course.services.db import Database
from course.services.driver_queries import DriverQuery
from course.services.models import Event, LoginSession, User
from course.services.statement_log import recorded
from tests.conftest import BACKENDS

SEEN = datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=UTC)

# Dates, a boolean, JSON, a float, NULLs, a parameter used twice and a constant bound by
# the statement itself ("learner"): what the login session's and progress's queries hold.
QUERY = (
    select(
        User.id,
        User.email,
        LoginSession.remember,
        LoginSession.last_seen_at,
        Event.result,
        cast(Event.id, Float) / 4,
        literal("fixed"),
    )
    .join(LoginSession, LoginSession.user_id == User.id)
    .outerjoin(Event, Event.user_id == User.id)
    .where(User.id >= bindparam("first"), User.role == "learner")
    .where(LoginSession.id >= bindparam("first"))
    .order_by(User.id, Event.id)
)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.create_all()
    session = database.session(writer=True)
    for n, remember in ((1, True), (2, False)):
        user = User(
            email=f"u{n}@example.org",
            display_name=f"U{n}",
            password_hash="x",
            role="learner",
            created_at=SEEN,
        )
        session.add(user)
        session.flush()
        session.add(
            LoginSession(
                user_id=user.id,
                secret_hash="s",
                remember=remember,
                browser="b",
                created_at=SEEN,
                last_seen_at=SEEN,
                expires_at=SEEN,
            )
        )
        if n == 1:  # the second learner has no event: NULLs
            session.add(
                Event(
                    user_id=user.id,
                    verb="answered",
                    object_type="question",
                    object_id="q",
                    result={"success": True, "score": {"scaled": 0.5}},
                    timestamp=SEEN,
                )
            )
    session.commit()
    session.close()
    yield database
    database.dispose()


def test_rows_are_what_sqlalchemy_returns(database: Database) -> None:
    with database.pooled.connect() as connection:
        expected = [tuple(row) for row in connection.execute(QUERY, {"first": 1})]
        found = DriverQuery(QUERY).rows(connection, {"first": 1})
    assert found == expected
    assert [type(v) for v in found[0]] == [type(v) for v in expected[0]]
    assert found[0][2:5] == (True, SEEN, {"success": True, "score": {"scaled": 0.5}})
    assert found[1][4] is None


def test_first_gives_one_row_or_none(database: Database) -> None:
    query = DriverQuery(QUERY)
    with database.pooled.connect() as connection:
        assert query.first(connection, {"first": 2}) == tuple(
            connection.execute(QUERY, {"first": 2}).one()
        )
        assert query.first(connection, {"first": 99}) is None


def test_the_statement_logs_see_the_query(database: Database) -> None:
    with database.pooled.connect() as connection, recorded(database.pooled) as statements:
        DriverQuery(QUERY).rows(connection, {"first": 1})
    assert len(statements) == 1
    assert statements[0].startswith("SELECT users.id")


def test_a_parameter_the_driver_cannot_take_as_it_is_is_refused(tmp_path: Path) -> None:
    # SQLite's driver takes dates as text that SQLAlchemy formats: not a DriverQuery's to do.
    at = bindparam("at", type_=LoginSession.last_seen_at.type)
    dated = select(func.count()).where(LoginSession.last_seen_at < at)
    database = Database(f"sqlite:///{tmp_path / 'dated.sqlite'}")
    database.create_all()
    with database.pooled.connect() as connection, pytest.raises(ValueError, match="as they are"):
        DriverQuery(dated).rows(connection, {"at": SEEN})
    database.dispose()


def test_a_driver_error_is_sqlalchemy_s(database: Database) -> None:
    missing = Table("missing", MetaData(), Column("id", Integer))
    with database.pooled.connect() as connection, pytest.raises(DBAPIError, match="missing"):
        DriverQuery(select(missing.c.id)).rows(connection, {})


@pytest.mark.parametrize("database_url", [b for b in BACKENDS if b == "postgresql"], indirect=True)
def test_a_lost_connection_is_invalidated(database: Database) -> None:
    """A connection that the server dropped is invalidated, so the pool does not hand it out
    again, as when SQLAlchemy runs the query."""
    with database.pooled.connect() as connection:
        with database.pooled.connect() as other:
            backend = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            other.exec_driver_sql(f"SELECT pg_terminate_backend({backend})")
        with pytest.raises(DBAPIError) as raised:
            DriverQuery(QUERY).rows(connection, {"first": 1})
        assert raised.value.connection_invalidated
        assert connection.invalidated
