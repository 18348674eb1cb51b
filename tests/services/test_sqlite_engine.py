"""The embedded SQLite engine: WAL, busy timeout, foreign keys, BEGIN IMMEDIATE for writers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from course.services.db import SQLITE_BUSY_TIMEOUT_MS, Database


@pytest.fixture
def database(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'e.sqlite'}")
    db.create_all()
    return db


def test_every_connection_is_tuned(database: Database) -> None:
    with database.session(writer=False) as session:
        pragma = lambda name: session.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("busy_timeout") == SQLITE_BUSY_TIMEOUT_MS
        assert pragma("foreign_keys") == 1
    database.dispose()


def test_a_writer_takes_the_write_lock_at_once_and_readers_go_on(
    database: Database, tmp_path: Path
) -> None:
    writer = database.session(writer=True)
    writer.execute(text("SELECT 1"))  # a read, yet the transaction already holds the write lock
    other = sqlite3.connect(tmp_path / "e.sqlite", timeout=0.1, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        other.execute("BEGIN IMMEDIATE")
    reader = database.session(writer=False)
    assert reader.execute(text("SELECT count(*) FROM users")).scalar() == 0
    reader.close()
    writer.rollback()
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    other.close()
    writer.close()
    database.dispose()


def test_foreign_keys_are_enforced(database: Database) -> None:
    with database.session(writer=True) as session, pytest.raises(IntegrityError):
        session.execute(
            text(
                "INSERT INTO step_completions (user_id, module_id, step_id, completed_at) "
                "VALUES (42, 'm', 's', '2026-01-01')"
            )
        )
    database.dispose()


def test_a_reader_opens_no_transaction(database: Database) -> None:
    reader = database.session(writer=False)
    reader.execute(text("SELECT count(*) FROM users"))
    # No BEGIN: the reader holds no snapshot between statements (as READ COMMITTED).
    assert reader.connection().connection.driver_connection.in_transaction is False
    reader.close()
    database.dispose()
