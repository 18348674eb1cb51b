"""PostgreSQL's readers: an engine of their own, whose connections stay in autocommit."""

from __future__ import annotations

from sqlalchemy import text

from course.services.db import Database


def test_a_readers_pooled_connection_stays_in_autocommit_between_requests(
    postgres_url: str,
) -> None:
    database = Database(postgres_url)
    for writer in (False, True):  # as a page's request, then a form's
        session = database.session(writer=writer)
        session.execute(text("SELECT 1"))
        session.close()
    reader = database.reading.raw_connection()  # the readers' pooled connection, as left
    writer = database.engine.raw_connection()
    try:
        assert reader.driver_connection.autocommit  # type: ignore[union-attr]
        assert not writer.driver_connection.autocommit  # type: ignore[union-attr]
    finally:
        reader.close()
        writer.close()
    assert len(database.engines) == 2
    database.dispose()


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
