"""SQLite's one write lock is never starved, under real gunicorn (issue 13, finding 4).

8 client processes each make 50 progress updates (steps completed, tool saves): none is lost
and none answers « database is locked ». Then 8 forged tool forms of 90,000 unknown fields
(~720 KB each) race other learners' writes: they are refused (413, a small page) and every
learner's write goes through; so do they while 40 threads try passwords from rotating
addresses. Both on SQLite and PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from course.services import accounts
from course.services.models import ToolEntry, User
from tests.factories import PASSWORD, RIGHT_M1, fixture_course, now, submit_quiz

from .live import HttpClient, run_threads
from .served import Gunicorn

PROCESSES = 8
FLOODERS = 40
UPDATES = 50
STEPS = ("m1-intro", "m1-pratique")
FLOOD = {f"f-x{n}": "y" for n in range(90_000)}  # the forged form: ~720 KB

pytestmark = pytest.mark.slow


def learners(db: Session, count: int, prefix: str) -> list[str]:
    """Create learners who passed the first quiz (its tool is open); commit; return emails."""
    emails = [f"{prefix}-{i}@example.org" for i in range(count)]
    for email in emails:
        user = accounts.create_user(
            db, email=email, display_name=email[:8], password=PASSWORD, now=now()
        )
        db.commit()
        submit_quiz(db, fixture_course(), user.id, {k: list(v) for k, v in RIGHT_M1.items()})
    return emails


def update(client: HttpClient, n: int) -> int:
    """Make the learner's n-th progress update: a step completed, or a tool version saved."""
    if n % 2:
        return client.post(f"/modules/m1/steps/{STEPS[n // 2 % 2]}/complete").status
    return client.post("/tools/outil-1", {"f-nom": f"Version {n}"}).status


def _updates(port: int, cookies: dict[str, str], barrier: Barrier, out: Any) -> None:
    """One client process: wait for the others, then make UPDATES updates; report statuses."""
    client = HttpClient(port, dict(cookies))
    barrier.wait()
    out.put([(update(client, n), n) for n in range(UPDATES)])


def saved_names(db: Session, email: str) -> list[str]:
    """Return the names saved in each tool version of a learner, in version order."""
    user_id = db.scalar(select(User.id).where(User.email == email))
    entries = db.scalars(
        select(ToolEntry).where(ToolEntry.user_id == user_id).order_by(ToolEntry.version)
    )
    return [entry.answers["nom"] for entry in entries]


def test_eight_processes_make_fifty_updates_each_losing_none(
    gunicorn: Gunicorn, db: Session
) -> None:
    emails = learners(db, PROCESSES, "rapide")
    db.close()
    cookies = [gunicorn.client().login(email).cookies for email in emails]
    context = multiprocessing.get_context("fork")
    barrier, out = context.Barrier(PROCESSES), context.Queue()
    processes = [
        context.Process(target=_updates, args=(gunicorn.port, c, barrier, out)) for c in cookies
    ]
    for process in processes:
        process.start()
    results = [out.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()

    statuses = Counter(status for result in results for status, _ in result)
    assert statuses == {302: PROCESSES * UPDATES}, (statuses, gunicorn.log())
    assert "database is locked" not in gunicorn.log()
    expected = [f"Version {n}" for n in range(0, UPDATES, 2)]
    assert {email: saved_names(db, email) for email in emails} == dict.fromkeys(emails, expected)


def test_forged_forms_are_refused_while_every_learner_writes(
    gunicorn: Gunicorn, db: Session
) -> None:
    attackers = learners(db, PROCESSES, "faussaire")
    others = learners(db, PROCESSES, "patient")
    db.close()
    forgers = [gunicorn.client().login(email) for email in attackers]
    patients = [gunicorn.client().login(email) for email in others]
    refused: list[tuple[int, int]] = []
    written: list[int] = []

    def work(i: int) -> None:
        if i < PROCESSES:
            for _ in range(3):
                reply = forgers[i].post("/tools/outil-1", FLOOD)
                refused.append((reply.status, len(reply.text)))
        else:
            for n in range(10):
                written.append(update(patients[i - PROCESSES], n))

    assert run_threads(2 * PROCESSES, work) == []
    assert {status for status, _ in refused} == {413}, gunicorn.log()
    assert max(size for _, size in refused) < 20_000  # one sentence, not 90,000 names
    assert Counter(written) == {302: PROCESSES * 10}, gunicorn.log()
    assert "database is locked" not in gunicorn.log()
    expected = [f"Version {n}" for n in range(0, 10, 2)]
    assert {email: saved_names(db, email) for email in others} == dict.fromkeys(others, expected)
    assert all(saved_names(db, email) == [] for email in attackers)


def test_a_login_flood_from_rotating_addresses_leaves_learners_writing(
    database_url: str, tmp_path: Path, db: Session
) -> None:
    patients = learners(db, PROCESSES, "patient")
    db.close()
    server = Gunicorn(database_url, tmp_path, TRUSTED_PROXY_COUNT=1)
    server.start()
    try:
        tabs = [server.client().login(email) for email in patients]
        flooded: list[int] = []
        written: list[int] = []

        def work(i: int) -> None:
            if i < FLOODERS:
                for n in range(2):
                    address = f"203.0.{i}.{n + 1}"
                    login = {"email": patients[i % PROCESSES], "password": "pas-le-bon"}
                    reply = server.client().post("/login", login, **{"X-Forwarded-For": address})
                    flooded.append(reply.status)
            else:
                for n in range(10):
                    written.append(update(tabs[i - FLOODERS], n))

        assert run_threads(FLOODERS + PROCESSES, work) == []
        assert set(flooded) <= {400, 429}, server.log()
        assert Counter(written) == {302: PROCESSES * 10}, server.log()
        assert "database is locked" not in server.log()
    finally:
        server.close()
