"""The embedded SQLite engine: WAL, busy timeout, foreign keys, a writer's BEGIN IMMEDIATE at
its first write."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Connection, select, text
from sqlalchemy.exc import IntegrityError

from course.services.db import (
    SQLITE_BUSY_TIMEOUT_MS,
    Database,
    check_at_write_lock,
    dialect_insert,
    prepared,
)
from course.services.models import Submission, User, table
from course.services.sqlite_checkpoints import BACKSTOP_PAGES


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


def _locked(path: Path) -> bool:
    """Tell whether another connection holds the database's write lock."""
    other = sqlite3.connect(path, timeout=0.05, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "locked" in str(error):
            return True
        raise
    finally:
        other.close()
    return False


def test_a_writer_reads_unlocked_and_takes_the_write_lock_at_its_first_write(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "e.sqlite"
    writer = database.session(writer=True)
    writer.execute(text("SELECT count(*) FROM users"))
    assert not _locked(path)  # another writer may read and score meanwhile
    writer.execute(text("DELETE FROM users WHERE id = 0"))
    assert _locked(path)
    reader = database.session(writer=False)
    assert reader.execute(text("SELECT count(*) FROM users")).scalar() == 0  # readers go on
    reader.close()
    writer.rollback()
    assert not _locked(path)
    writer.close()
    database.dispose()


def test_a_select_for_update_takes_the_write_lock(database: Database, tmp_path: Path) -> None:
    writer = database.session(writer=True)
    writer.execute(select(User.id).where(User.id == 0).with_for_update())
    assert _locked(tmp_path / "e.sqlite")
    writer.rollback()
    writer.close()
    database.dispose()


def test_checks_run_once_the_lock_is_taken_and_a_failing_one_stops_the_write(
    database: Database,
) -> None:
    writer = database.session(writer=True)
    seen: list[bool] = []

    def check(connection: Connection) -> None:
        seen.append(connection.connection.dbapi_connection.in_transaction)
        raise RuntimeError("the account is gone")

    check_at_write_lock(writer, check)
    writer.execute(text("SELECT count(*) FROM users"))
    assert seen == []  # a read takes no lock and runs no check
    with pytest.raises(RuntimeError, match="the account is gone"):
        writer.execute(text("DELETE FROM users WHERE id = 0"))
    assert seen == [True]  # run under the lock, before the write
    writer.rollback()
    writer.execute(text("DELETE FROM users WHERE id = 0"))  # a new transaction: checks forgotten
    assert seen == [True]
    writer.rollback()
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


def _fill(database: Database, rows: int) -> None:
    """Commit `rows` rows of 1,000 characters (500: about 700 kB, 170 pages, in the log)."""
    with database.engine.begin() as conn:
        conn.execute(text("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT)"))
    with database.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO filler (body) VALUES (:body)"), [{"body": "x" * 1000}] * rows
        )


def test_a_thread_copies_the_log_into_the_database_and_commits_do_not(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    database = Database(f"sqlite:///{path}", checkpoint_seconds=0.1)
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP_PAGES
    _fill(database, 500)
    deadline = time.monotonic() + 5
    while path.stat().st_size < 500_000 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert path.stat().st_size >= 500_000  # the pages left the log for the database file
    database.dispose()


def test_without_the_thread_the_log_keeps_the_pages_until_a_commit_checkpoints(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.sqlite"
    database = Database(f"sqlite:///{path}")
    _fill(database, 500)
    time.sleep(0.3)
    assert path.stat().st_size < 100_000  # under SQLite's own threshold (1,000 pages): in the log
    database.dispose()


def test_the_thread_ends_with_the_database(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'c.sqlite'}", checkpoint_seconds=0.05)
    with database.engine.connect():
        pass
    assert any(t.name == "sqlite-checkpoint" for t in threading.enumerate())
    database.dispose()
    time.sleep(0.3)
    assert not any(t.name == "sqlite-checkpoint" and t.is_alive() for t in threading.enumerate()), (
        "a thread outlived its database"
    )


@pytest.mark.parametrize("dialect_name", ["sqlite", "postgresql"])
def test_statements_sqlalchemy_cannot_cache_are_compiled_once(dialect_name: str) -> None:
    submissions = table(Submission)
    upsert = dialect_insert(dialect_name, submissions).on_conflict_do_nothing()
    assert upsert._generate_cache_key() is None  # compiled again at every run
    kept = prepared(upsert.returning(submissions.c.attempt_id), dialect_name, ["attempt_id"])
    assert kept._generate_cache_key() is not None  # compiled at its first run, then reused
    assert "ON CONFLICT DO NOTHING RETURNING" in str(kept)
