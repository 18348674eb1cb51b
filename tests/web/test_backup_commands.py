"""`flask db backup` and `flask db restore`, on SQLite and PostgreSQL, against real databases.

Each test gets a database of its own built by the migrations (a restore checks the Alembic
revision), seeded with a demo cohort: synthetic learners with their steps, attempts and answers.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from click.testing import Result
from flask import Flask
from sqlalchemy import Column, MetaData, String, Table, create_engine, func, select, text
from sqlalchemy.orm import Session

from course import backups
from course.backups import postgres
from course.demo import service as demo
from course.schema import alembic_config, code_revisions
from course.services import accounts, events, progress
from course.services.db import Database
from course.services.models import Base, Event, User, XapiOutbox
from tests.conftest import BACKENDS, PASSWORD, POSTGRES_ADMIN_URL, make_app
from tests.factories import RIGHT_M1, fixture_course, make_certificate, now, submit_quiz

HEAD = code_revisions("sqlite://")[-1]


@contextmanager
def new_database(engine: str, tmp_path: Path, revision: str = "head") -> Iterator[str]:
    """Make an empty database migrated to `revision`; PostgreSQL's is dropped afterwards."""
    if engine == "sqlite":
        url = f"sqlite:///{tmp_path / f'{uuid.uuid4().hex[:8]}.sqlite'}"
        command.upgrade(alembic_config(url), revision)
        yield url
        return
    name = f"course_backup_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = re.sub(r"/[^/]+$", f"/{name}", POSTGRES_ADMIN_URL)
    try:
        command.upgrade(alembic_config(url), revision)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def migrated_url(engine: str, tmp_path: Path) -> Iterator[str]:
    with new_database(engine, tmp_path) as url:
        yield url


@pytest.fixture
def app(migrated_url: str) -> Iterator[Flask]:
    """The app on its migrated database, holding a demo cohort with progress of every kind."""
    application = make_app(migrated_url)
    session = application.extensions["database"].session(writer=True)
    demo.make_demo(session, fixture_course(), learners=24, password=PASSWORD, now=now())
    learner = accounts.create_user(
        session, email="ana@example.org", display_name="Ana", password=PASSWORD, now=now()
    )
    session.commit()
    submit_quiz(session, fixture_course(), learner.id, RIGHT_M1)
    make_certificate(session, fixture_course(), learner)
    session.close()
    yield application
    application.extensions["database"].dispose()


def run(app: Flask, *args: str) -> Result:
    """Run `flask db ARGS` as an operator would, with this command's connections closed after."""
    result = app.test_cli_runner().invoke(args=["db", *args])
    app.extensions["database"].dispose()
    return result


ALEMBIC_VERSION = Table(
    "alembic_version", MetaData(), Column("version_num", String, primary_key=True)
)


def every_row(app: Flask, *names: str) -> dict[str, list[Any]]:
    """Read the app's tables (every one, alembic_version included), in primary-key order."""
    database: Database = app.extensions["database"]
    tables = [*Base.metadata.sorted_tables, ALEMBIC_VERSION]
    with database.engine.connect() as conn:
        return {
            t.name: [tuple(row) for row in conn.execute(select(t).order_by(*t.primary_key))]
            for t in tables
            if not names or t.name in names
        }


def learners_progress(app: Flask) -> dict[str, Any]:
    """Every learner's progress as the rules read it (steps, quiz records, waivers, openings)."""
    with app.extensions["database"].session(writer=False) as db:
        users = db.execute(select(User.id, User.email).where(User.role == "learner")).all()
        return {email: progress.load_progress(db, user_id) for user_id, email in users}


def test_a_backup_restored_after_more_writes_and_a_wipe_gives_back_every_row(
    app: Flask, tmp_path: Path
) -> None:
    before, progress_before = every_row(app), learners_progress(app)
    assert len(progress_before) == 26  # 24 synthetic learners, the demo learner and Ana
    assert len(before["answers"]) > 100
    assert len(before["step_completions"]) > 20
    path = tmp_path / "course.backup"
    done = run(app, "backup", str(path))
    assert done.exit_code == 0, done.output
    assert f"schema revision {HEAD}" in done.output
    assert path.stat().st_size > 0

    with app.extensions["database"].session(writer=True) as db:
        late = accounts.create_user(
            db, email="late@example.org", display_name="Late", password=PASSWORD, now=now()
        )
        db.commit()
        submit_quiz(db, fixture_course(), late.id, RIGHT_M1)
        for table in ("answers", "step_completions", "cohort_memberships"):
            db.execute(text(f"DELETE FROM {table}"))
        db.commit()
    assert every_row(app) != before

    restored = run(app, "restore", "--yes", str(path))
    assert restored.exit_code == 0, restored.output
    assert f"Restored {path}" in restored.output
    assert "db upgrade" not in restored.output
    assert every_row(app) == before
    assert learners_progress(app) == progress_before
    with app.extensions["database"].session(writer=True) as db:  # ids go on where they were
        accounts.create_user(
            db, email="after@example.org", display_name="After", password=PASSWORD, now=now()
        )
        db.commit()


def test_a_backup_taken_while_another_thread_writes_is_one_consistent_moment(
    app: Flask, engine: str, tmp_path: Path
) -> None:
    database: Database = app.extensions["database"]
    with database.session(writer=False) as db:
        learner_id = db.scalar(select(User.id).where(User.email == "ana@example.org"))
    assert learner_id is not None
    committed, stop = [0], threading.Event()

    def write() -> None:
        # Three events (each with its outbox row) per transaction, until told to stop.
        while not stop.is_set():
            with database.session(writer=True) as db:
                for part in range(3):
                    step = f"w{committed[0]}-{part}"
                    events.record(db, learner_id, "experienced", "step", step, now=now())
                db.commit()
            committed[0] += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while committed[0] < 20:
            stop.wait(0.01)
        acknowledged = committed[0]
        path = tmp_path / "under-load.backup"
        report = backups.backup(database.url, path)
        during = committed[0] - acknowledged
    finally:
        stop.set()
        writer.join()
    assert report.revision == HEAD
    with backup_opened(engine, path, tmp_path) as copy:
        written = copy.scalar(select(func.count()).where(Event.object_id.like("w%")))
        unqueued = copy.scalar(
            select(func.count())
            .select_from(Event)
            .outerjoin(XapiOutbox, XapiOutbox.event_id == Event.id)
            .where(XapiOutbox.event_id.is_(None), Event.object_id.like("w%"))
        )
        if engine == "sqlite":
            assert copy.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
            assert copy.execute(text("PRAGMA foreign_key_check")).all() == []
    assert written is not None
    assert written % 3 == 0  # whole transactions only
    assert acknowledged * 3 <= written <= committed[0] * 3
    assert unqueued == 0
    print(f"{engine}: {acknowledged} transactions before the backup, {during} during it")


@contextmanager
def backup_opened(engine: str, path: Path, tmp_path: Path) -> Iterator[Session]:
    """Open what a backup holds: the SQLite file itself, or the dump restored elsewhere."""
    if engine == "sqlite":
        database = Database(f"sqlite:///{path}")
        with database.session(writer=False) as session:
            yield session
        database.dispose()
        return
    with new_database(engine, tmp_path) as url:
        backups.restore(url, path)
        database = Database(url)
        with database.session(writer=False) as session:
            yield session
        database.dispose()


def test_a_backup_refuses_to_replace_a_file_unless_forced(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "kept.backup"
    path.write_bytes(b"an older backup")
    refused = run(app, "backup", str(path))
    assert refused.exit_code == 1
    assert "already exists; give --force to replace it" in refused.output
    assert path.read_bytes() == b"an older backup"
    forced = run(app, "backup", "--force", str(path))
    assert forced.exit_code == 0, forced.output
    assert path.read_bytes() != b"an older backup"
    missing = run(app, "backup", str(tmp_path / "no-such-folder" / "x.backup"))
    assert missing.exit_code == 1
    assert "does not exist" in missing.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def other_engines_file(engine: str, path: Path) -> Path:
    """Write a file of the other engine: a SQLite database, or a pg_dump archive's header."""
    if engine == "sqlite":
        path.write_bytes(b"PGDMP\x01\x0f\x00" + bytes(64))
    else:
        sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda engine, path: path, "No backup at"),
        (
            lambda engine, path: path.write_text("-- PostgreSQL database dump\n") and path,
            "is not a backup made by `flask db backup`",
        ),
        (other_engines_file, "backup, but DATABASE_URL points to"),
    ],
    ids=["missing", "not-a-backup", "other-engine"],
)
def test_a_restore_refuses_what_is_not_this_engines_backup_and_changes_nothing(
    app: Flask, engine: str, tmp_path: Path, make: Any, message: str
) -> None:
    before = every_row(app)
    path = make(engine, tmp_path / "given.backup")
    refused = run(app, "restore", "--yes", str(path))
    assert refused.exit_code == 1
    assert message in refused.output
    assert every_row(app) == before


def test_a_restore_refuses_while_the_app_is_connected_unless_forced(
    app: Flask, engine: str, tmp_path: Path
) -> None:
    path = tmp_path / "course.backup"
    assert run(app, "backup", str(path)).exit_code == 0
    url = app.extensions["database"].url
    with app_still_running(engine, url):
        refused = run(app, "restore", "--yes", str(path))
        assert refused.exit_code == 1, refused.output
        assert "Stop the app" in refused.output
        assert "The app seems to be running" in refused.output
        if engine == "sqlite":
            forced = run(app, "restore", "--yes", "--force", str(path))
            assert forced.exit_code == 0, forced.output
    asked = app.test_cli_runner().invoke(args=["db", "restore", str(path)], input="n\n")
    assert asked.exit_code == 1
    assert "Replace everything in" in asked.output
    assert run(app, "restore", "--yes", str(path)).exit_code == 0


@contextmanager
def app_still_running(engine: str, url: str) -> Iterator[None]:
    """Hold the database open from elsewhere, as a running app does: another process (SQLite,
    whose locks tell processes apart) or another session (PostgreSQL)."""
    if engine == "postgresql":
        database = Database(url)
        with database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            yield
        database.dispose()
        return
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdin is not None
    assert holder.stdout.readline().strip() == "open"
    try:
        yield
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
        holder.stdout.close()


HOLD_OPEN = """
import sys
from sqlalchemy import text
from course.services.db import Database
database = Database(sys.argv[1])
with database.engine.connect() as conn:
    conn.execute(text("SELECT count(*) FROM users"))
    print("open", flush=True)
    sys.stdin.read()
"""


def test_an_older_backup_is_restored_and_the_upgrade_is_asked_for(
    app: Flask, engine: str, tmp_path: Path
) -> None:
    older = code_revisions("sqlite://")[-3]
    path = tmp_path / "older.backup"
    with new_database(engine, tmp_path, revision=older) as old_url:
        backups.backup(old_url, path)
    restored = run(app, "restore", "--yes", str(path))
    assert restored.exit_code == 0, restored.output
    assert f"({older}) is older than this code's ({HEAD})" in restored.output
    assert "run `flask --app app db upgrade`" in restored.output
    assert every_row(app, "alembic_version", "users") == {
        "alembic_version": [(older,)],
        "users": [],
    }
    upgraded = run(app, "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert every_row(app, "alembic_version") == {"alembic_version": [(HEAD,)]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("UPDATE alembic_version SET version_num = '9999'", "which this code does not know"),
        ("DROP TABLE alembic_version", "holds no schema revision"),
    ],
    ids=["newer", "none"],
)
def test_a_backup_of_another_schema_is_refused(
    app: Flask, tmp_path: Path, change: str, message: str
) -> None:
    database: Database = app.extensions["database"]
    with database.engine.begin() as conn:
        conn.execute(text(change))
    path = tmp_path / "other.backup"
    assert run(app, "backup", str(path)).exit_code == 0
    with database.engine.begin() as conn:
        conn.execute(text("DELETE FROM certificates"))
    refused = run(app, "restore", "--yes", str(path))
    assert refused.exit_code == 1
    assert message in refused.output
    assert every_row(app, "certificates") == {"certificates": []}  # nothing restored


@pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL's tools")
def test_pg_dump_of_the_servers_version_is_required_and_how_to_install_it_is_said(
    tmp_path: Path,
) -> None:
    major = postgres.server_major(POSTGRES_ADMIN_URL)
    app = make_app(POSTGRES_ADMIN_URL, PG_BIN_DIR=str(tmp_path))
    refused = run(app, "backup", str(tmp_path / "x.backup"))
    assert refused.exit_code == 1
    assert f"pg_dump for PostgreSQL {major} (the server's version) was not found" in refused.output
    assert f"apt-get install postgresql-client-{major}" in refused.output
    assert "PG_BIN_DIR" in refused.output
    assert not (tmp_path / "x.backup").exists()
    with pytest.raises(backups.BackupError, match=rf"PostgreSQL 99 .* is version {major}"):
        postgres.find_tool("pg_dump", 99)
    assert postgres.tool_major(postgres.find_tool("pg_restore", major)) == major
