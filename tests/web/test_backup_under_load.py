"""A backup taken while real gunicorn serves learners' writes, restored once the app is stopped.

8 learners, each in a thread, complete steps, pass a quiz, then take quiz attempts and save tool
versions in a loop (the crash test's learners). With the load in full swing, `db backup` copies
the database; the load goes on, then gunicorn is stopped and `db restore` puts the backup back.
The restored database holds every write acknowledged before the backup began, nothing half
written, passes SQLite's `integrity_check`, and gunicorn serves it again: sessions still work.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from course import backups
from course.services import accounts
from course.services.db import Database
from tests.concurrency.live import run_threads
from tests.concurrency.served import Gunicorn
from tests.concurrency.test_crash import (
    Learner,
    Ledger,
    check_acknowledged,
    check_nothing_half_written,
)
from tests.conftest import BACKENDS, PASSWORD, make_app
from tests.factories import now

from .test_backup_commands import new_database

CLIENTS = 8
SAVES_BEFORE_BACKUP = 8  # tool saves acknowledged before the backup: the load is in full swing
SAVES_AFTER_BACKUP = 4  # and more after it, which the restore takes back
LOAD_DEADLINE_S = 90

pytestmark = pytest.mark.slow


def wait_for(ledger: Ledger, saves: int) -> None:
    deadline = time.monotonic() + LOAD_DEADLINE_S
    while len(ledger.tools) < saves and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.mark.parametrize("engine", BACKENDS)
def test_a_backup_under_load_restores_every_write_acknowledged_before_it(
    engine: str, tmp_path: Path
) -> None:
    with new_database(engine, tmp_path) as url:
        database = Database(url)
        emails = [f"backup-{i}@example.org" for i in range(CLIENTS)]
        with database.session(writer=True) as db:
            for email in emails:
                accounts.create_user(
                    db, email=email, display_name=email[:8], password=PASSWORD, now=now()
                )
            db.commit()
        server = Gunicorn(url, tmp_path)
        server.start()
        try:
            tabs = [server.client().login(email) for email in emails]
            ledger, stop = Ledger(), threading.Event()
            learners = [Learner(t, e, ledger, stop) for t, e in zip(tabs, emails, strict=True)]
            before = Ledger()
            path = tmp_path / "under-load.backup"

            def back_up_mid_load() -> None:
                wait_for(ledger, SAVES_BEFORE_BACKUP)
                before.steps, before.submissions = ledger.steps.copy(), ledger.submissions.copy()
                before.tools = ledger.tools.copy()
                try:
                    backups.backup(url, path)
                finally:
                    wait_for(ledger, len(ledger.tools) + SAVES_AFTER_BACKUP)
                    stop.set()

            backer = threading.Thread(target=back_up_mid_load)
            backer.start()
            errors = run_threads(CLIENTS, lambda i: learners[i].work())
            backer.join()
            assert errors == []
            assert len(before.tools) >= SAVES_BEFORE_BACKUP
            assert len(ledger.tools) > len(before.tools)
            server.stop()
            database.dispose()  # this test's own connection counts as "the app" too

            app = make_app(url)
            restored = app.test_cli_runner().invoke(args=["db", "restore", "--yes", str(path)])
            app.extensions["database"].dispose()
            assert restored.exit_code == 0, restored.output
            with database.session(writer=False) as db:
                check_acknowledged(db, before)
                check_nothing_half_written(db)
                if engine == "sqlite":
                    assert db.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                    assert db.execute(text("PRAGMA foreign_key_check")).all() == []
                after = db.execute(text("SELECT count(*) FROM tool_entries")).scalar()
            print(
                f"{engine}: {before.count()} writes acknowledged before the backup, "
                f"{ledger.count()} in all; {after} tool versions restored of {len(ledger.tools)}"
            )
            assert after is not None
            assert len(before.tools) <= after < len(ledger.tools)
            database.dispose()

            server.start()  # the restored site serves again, sessions and all
            saver = emails.index(min(email for email, _ in before.tools))
            assert Learner(tabs[saver], emails[saver], Ledger(), threading.Event()).save("encore")
        finally:
            server.close()
            database.dispose()
