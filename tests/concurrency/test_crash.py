"""Gunicorn killed with SIGKILL mid-load loses no acknowledged write and leaves none half-done.

8 learners, each in a thread, complete steps, pass a quiz, then take quiz attempts and save
versions of a tool in a loop, remembering every write the server acknowledged (a redirect).
Once enough writes are in, the master and both workers are killed at once; requests in flight
die with them. Gunicorn is started again on the same socket (requests that were waiting in its
backlog are then served), and the database must hold every acknowledged write, nothing half
written (a submission without all its answers or events, a gap in a tool's versions), and on
SQLite pass `PRAGMA integrity_check`. The learners' sessions still work afterwards.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from course.services import accounts
from course.services.models import (
    AnswerRow,
    Attempt,
    Event,
    StepCompletion,
    Submission,
    ToolEntry,
    User,
)
from tests.factories import PASSWORD, now
from tests.web.test_journey import RIGHT

from .live import HttpClient, run_threads
from .served import Gunicorn

CLIENTS = 8
SAVES_BEFORE_KILL = 8  # tool saves acknowledged before the kill: the load is in full swing
LOAD_DEADLINE_S = 60  # kill anyway after this long, however few writes went through
M2_ANSWERS = (
    {"q-q-order": ["un", "deux", "trois"], "q-q-match-p1": ["p1"], "q-q-match-p2": ["p2"]},
    {"q-q-order": ["trois", "deux", "un"], "q-q-match-p1": ["p2"], "q-q-match-p2": ["p1"]},
)
M1_STEPS = ("m1-intro", "m1-pratique")

pytestmark = pytest.mark.slow


@dataclass
class Ledger:
    """The writes the server acknowledged, and the requests that died with it."""

    steps: set[tuple[str, str]] = field(default_factory=set)  # (email, step)
    submissions: set[int] = field(default_factory=set)  # attempt ids
    tools: set[tuple[str, str]] = field(default_factory=set)  # (email, a value saved)
    lost: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        return len(self.steps) + len(self.submissions) + len(self.tools)


class Learner:
    """One learner's browser, writing until told to stop and noting what was acknowledged."""

    def __init__(self, tab: HttpClient, email: str, ledger: Ledger, stop: threading.Event):
        self.tab, self.email, self.ledger, self.stop = tab, email, ledger, stop

    def post(self, path: str, data: dict[str, object] | None = None) -> str | None:
        """Send a write; return where it redirects if acknowledged, None if it died."""
        try:
            reply = self.tab.post(path, data)
        except (OSError, http.client.HTTPException):
            with self.ledger.lock:
                self.ledger.lost += 1
            return None
        assert reply.status == 302, (path, reply.status, reply.text[:500])
        return reply.location

    def work(self) -> None:
        for step in M1_STEPS:
            if self.stop.is_set() or self.post(f"/modules/m1/steps/{step}/complete") is None:
                return
            self.ledger.steps.add((self.email, step))
        if not self.submit("m1-quiz", RIGHT):
            return
        n = 0
        while not self.stop.is_set():
            n += 1
            if not self.submit("m2-quiz", M2_ANSWERS[n % 2]) or not self.save(f"{self.email} {n}"):
                return

    def submit(self, quiz: str, answers: dict[str, list[str]]) -> bool:
        started = self.post(f"/quizzes/{quiz}/attempts")
        if started is None:
            return False
        attempt = started[started.index("/attempts/") :]
        if self.post(attempt, answers) is None:
            return False
        self.ledger.submissions.add(int(attempt.rsplit("/", 1)[1]))
        return True

    def save(self, value: str) -> bool:
        saved = self.post("/tools/outil-1", {"f-nom": value[:60]})
        if saved is None:
            return False
        assert saved.endswith("#resultats"), saved  # saved, not refused as a conflict
        self.ledger.tools.add((self.email, value[:60]))
        return True


def check_nothing_half_written(db: Session) -> None:
    """Every submission has all its answers and events; every tool's versions run 1..n."""
    counted = select(AnswerRow.attempt_id, func.count()).group_by(AnswerRow.attempt_id)
    per_attempt = dict(db.execute(counted).tuples().all())
    answered: Counter[tuple[int, str]] = Counter()
    scored: Counter[tuple[int, str]] = Counter()
    for attempt in db.scalars(select(Attempt).join(Submission)):
        assert per_attempt.get(attempt.id) == len(attempt.question_ids), attempt.id
        answered[attempt.user_id, attempt.quiz_id] += len(attempt.question_ids)
        scored[attempt.user_id, attempt.quiz_id] += 1
    events = db.execute(select(Event.user_id, Event.verb, Event.object_id)).all()
    assert answered == Counter((u, o.split("/")[0]) for u, verb, o in events if verb == "answered")
    assert scored == Counter((u, o) for u, verb, o in events if verb in ("passed", "failed"))
    versions: dict[tuple[int, str], list[int]] = {}
    for user_id, tool_id, version in db.execute(
        select(ToolEntry.user_id, ToolEntry.tool_id, ToolEntry.version).order_by(ToolEntry.version)
    ):
        versions.setdefault((user_id, tool_id), []).append(version)
    for numbers in versions.values():
        assert numbers == list(range(1, len(numbers) + 1))


def check_acknowledged(db: Session, ledger: Ledger) -> None:
    """Every write the server acknowledged is in the database."""
    emails = dict(db.execute(select(User.id, User.email)).tuples().all())
    done = db.execute(select(StepCompletion.user_id, StepCompletion.step_id))
    assert ledger.steps <= {(emails[user_id], step) for user_id, step in done}
    assert ledger.submissions <= set(db.scalars(select(Submission.attempt_id)))
    saved = {(emails[e.user_id], e.answers.get("nom")) for e in db.scalars(select(ToolEntry))}
    assert ledger.tools <= saved


def test_acknowledged_writes_survive_gunicorn_killed_mid_load(
    db: Session, database_url: str, gunicorn: Gunicorn
) -> None:
    emails = [f"crash-{i}@example.org" for i in range(CLIENTS)]
    for email in emails:
        accounts.create_user(
            db, email=email, display_name=email[:7], password=PASSWORD, role="learner", now=now()
        )
    db.commit()
    tabs = [gunicorn.client().login(email) for email in emails]
    ledger, stop = Ledger(), threading.Event()
    learners = [Learner(tab, email, ledger, stop) for tab, email in zip(tabs, emails, strict=True)]
    killed: list[int] = []

    def kill_mid_load() -> None:
        deadline = time.monotonic() + LOAD_DEADLINE_S
        while len(ledger.tools) < SAVES_BEFORE_KILL and time.monotonic() < deadline:
            time.sleep(0.01)
        stop.set()
        killed.extend(gunicorn.kill())
        gunicorn.start()  # on the same socket: requests waiting in its backlog are served now

    began = time.monotonic()
    killer = threading.Thread(target=kill_mid_load)
    killer.start()
    errors = run_threads(CLIENTS, lambda i: learners[i].work())
    killer.join()
    print(
        f"{ledger.count()} writes acknowledged, {ledger.lost} lost in flight, "
        f"{len(killed)} processes killed, {time.monotonic() - began:.1f} s"
    )
    assert errors == []
    assert len(killed) == 3  # the master and its two workers
    assert len(ledger.tools) >= SAVES_BEFORE_KILL

    db.expire_all()
    check_acknowledged(db, ledger)
    check_nothing_half_written(db)
    if database_url.startswith("sqlite"):
        assert db.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert db.execute(text("PRAGMA foreign_key_check")).all() == []
    db.rollback()  # the checks' transaction holds SQLite's write lock: let the server write
    # The restarted server knows every session and goes on storing.
    saver = emails.index(min(email for email, _ in ledger.tools))  # one whose tool is open
    after = Learner(tabs[saver], emails[saver], ledger, threading.Event())
    assert after.save("après le redémarrage")
