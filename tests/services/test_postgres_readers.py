"""PostgreSQL's pooled connections stay in autocommit, as readers use them; writers switch."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from course.services.db import Database


def test_pooled_connections_stay_in_autocommit_and_a_writer_switches_its_own(
    postgres_url: str,
) -> None:
    database = Database(postgres_url)
    reader = database.session(writer=False)
    reader.execute(text("SELECT 1"))
    assert _autocommit(reader)
    reader.close()
    writer = database.session(writer=True)
    writer.execute(text("SELECT 1"))
    assert not _autocommit(writer)  # a transaction, READ COMMITTED
    assert writer.execute(text("SHOW transaction_isolation")).scalar_one() == "read committed"
    writer.close()
    pooled = database.pooled.raw_connection()  # the one connection, back in the pool
    try:
        assert pooled.driver_connection.autocommit  # type: ignore[union-attr]
    finally:
        pooled.close()
    assert database.engine.pool is database.pooled.pool
    database.dispose()


def _autocommit(session: Session) -> bool:
    return bool(session.connection().connection.driver_connection.autocommit)  # type: ignore[union-attr]


def test_a_reader_sees_each_commit_at_its_next_statement(postgres_url: str) -> None:
    database = Database(postgres_url)
    reader = database.session(writer=False)
    before = reader.execute(text("SELECT count(*) FROM cohorts")).scalar_one()
    with database.engine.begin() as other:
        other.execute(
            text(
                "INSERT INTO users (email, display_name, password_hash, role, created_at)"
                " VALUES ('r@example.org', 'R', 'x', 'trainer', now())"
            )
        )
        other.execute(
            text(
                "INSERT INTO cohorts (name, join_code, created_by, created_at)"
                " SELECT 'G', 'CODE1234', id, now() FROM users WHERE email = 'r@example.org'"
            )
        )
    assert reader.execute(text("SELECT count(*) FROM cohorts")).scalar_one() == before + 1
    reader.close()
    with database.engine.begin() as other:  # the database is the run's: leave it as found
        other.execute(text("DELETE FROM cohorts WHERE join_code = 'CODE1234'"))
        other.execute(text("DELETE FROM users WHERE email = 'r@example.org'"))
    database.dispose()
