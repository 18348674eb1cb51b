"""Trainers open a 300-learner dashboard while learners work, under gunicorn (issue 13, #14).

The dashboard refreshes stored standings (deleting and inserting `progress_snapshots` rows) in
the view's transaction while learners' writes append the events it reads. 8 trainers open the
dashboard 5 times each while 20 learners complete steps, fail and pass a quiz and save a tool:
every request must succeed, and the standings stored at the end must be what the learners' own
progress gives.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from course.demo import service as demo
from course.domain import metrics
from course.domain.metrics import Thresholds
from course.services import accounts, cohorts
from course.services.facts import load_facts
from course.services.models import ProgressCell, ProgressSnapshot, User
from tests.factories import PASSWORD, fixture_course, now
from tests.web.test_journey import RIGHT, WRONG

from .live import HttpClient, run_threads
from .served import Gunicorn

COHORT_SIZE = 300
TRAINERS = 8
VIEWS = 5
LEARNERS = 20
VIEWS_ASKED = ("", "?sort=progress&order=desc", "?page=2", "?status=in_progress", "?help=1")

pytestmark = pytest.mark.slow


def seed(db: Session) -> tuple[int, list[str], list[str]]:
    """A 300-learner demo cohort, 8 trainers of it and 20 new learners in it; commit."""
    made = demo.make_demo(db, fixture_course(), learners=COHORT_SIZE, password=PASSWORD, now=now())
    trainers = [f"formateur-{i}@example.org" for i in range(TRAINERS)]
    learners = [f"actif-{i}@example.org" for i in range(LEARNERS)]
    for email in trainers + learners:
        role = "trainer" if email in trainers else "learner"
        accounts.create_user(
            db, email=email, display_name=email[:9], password=PASSWORD, role=role, now=now()
        )
    for email in trainers:
        cohorts.add_trainer(db, made.cohort, email, now=now())
    for user_id in db.scalars(select(User.id).where(User.email.in_(learners))):
        cohorts.join(db, made.cohort, user_id, now=now())
    db.commit()
    return made.cohort.id, trainers, learners


def learn(tab: HttpClient, number: int) -> list[tuple[str, int]]:
    """Complete m1's steps, fail then pass its quiz, complete m2's step, save the tool."""
    replies = []

    def post(path: str, data: dict[str, Any] | None = None) -> str:
        reply = tab.post(path, data)
        replies.append((path, reply.status))
        return reply.location

    post("/modules/m1/steps/m1-intro/complete")
    post("/modules/m1/steps/m1-pratique/complete")
    for answers in (WRONG, RIGHT):
        attempt = post("/quizzes/m1-quiz/attempts")
        if "/attempts/" in attempt:
            post(attempt[attempt.index("/attempts/") :], answers)
    post("/modules/m2/steps/m2-ordre/complete")
    post("/tools/outil-1", {"f-nom": f"Territoire {number}"})
    return replies


def standings(db: Session, thresholds: Thresholds) -> tuple[dict[int, Any], dict[int, Any]]:
    """Return every learner's standing as stored, and as their progress gives it now."""
    stored: dict[int, Any] = {
        s.user_id: (s.status, s.percent, s.last_activity, s.signals, s.priority, s.help_key)
        for s in db.scalars(select(ProgressSnapshot))
    }
    for c in db.scalars(select(ProgressCell).order_by(ProgressCell.module_id)):
        stored[c.user_id] += ((c.module_id, c.state, c.best_score),)
    rows = metrics.learner_rows(
        fixture_course(), load_facts(db, select(User.id)), thresholds, datetime.now(UTC)
    )
    computed = {
        r.user_id: (
            r.status,
            r.percent,
            r.last_activity,
            metrics.static_signals(r),
            metrics.static_priority(r),
            metrics.help_keys(r)[0],
            *((c.module_id, c.state.value, c.best_score) for c in r.cells),
        )
        for r in rows
    }
    return stored, computed


def test_trainers_open_a_big_dashboard_while_learners_work(
    app: Flask, db: Session, gunicorn: Gunicorn
) -> None:
    cohort_id, trainers, learners = seed(db)
    views: list[int] = []
    writes: list[tuple[str, int]] = []
    # Logged in first, one after the other: the load under test is views and writes, not logins.
    tabs = [gunicorn.client().login(email) for email in trainers + learners]

    def work(i: int) -> None:
        if i < TRAINERS:
            for n in range(VIEWS):
                asked = VIEWS_ASKED[(i + n) % len(VIEWS_ASKED)]
                views.append(tabs[i].get(f"/trainer/cohorts/{cohort_id}{asked}").status)
        else:
            writes.extend(learn(tabs[i], i))

    began = time.monotonic()
    errors = run_threads(TRAINERS + LEARNERS, work)
    took = time.monotonic() - began
    log = gunicorn.log()
    answers = Counter(views) + Counter(status for _, status in writes)
    print(f"{len(views)} views, {len(writes)} writes in {took:.1f} s; statuses {dict(answers)}")
    assert errors == [], log
    assert views == [200] * TRAINERS * VIEWS, log
    assert [w for w in writes if w[1] != 302] == [], log
    assert len(writes) == LEARNERS * 8
    for symptom in ("Traceback", "database is locked", "Deadlock", "deadlock"):
        assert symptom not in log

    last = gunicorn.client().login(trainers[0]).get(f"/trainer/cohorts/{cohort_id}")
    assert last.status == 200
    db.expire_all()
    stored, computed = standings(db, Thresholds.from_settings(app.config))
    assert len(stored) == COHORT_SIZE + TRAINERS + LEARNERS + 2  # and the demo's two accounts
    assert stored == computed
    active = db.scalars(select(User.id).where(User.email.in_(learners))).all()
    for user_id in active:
        assert stored[user_id][0] == "in_progress"
        assert stored[user_id][6:8] == (("m1", "completed", 1.0), ("m2", "in_progress", None))
