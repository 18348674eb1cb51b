"""20 concurrent submissions of one attempt, over HTTP to two gunicorn workers, store one."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from course.services.models import AnswerRow, Event, Submission, User
from tests.web.test_journey import RIGHT

from .live import run_threads
from .served import Gunicorn

pytestmark = pytest.mark.slow


def test_twenty_tabs_submitting_one_attempt_store_one_result(
    app: Flask, db: Session, gunicorn: Gunicorn, learner: User
) -> None:
    session = gunicorn.client().login(learner.email)
    started = session.post("/quizzes/m1-quiz/attempts")
    assert started.status == 302
    attempt = started.location[started.location.index("/attempts/") :]
    statuses: list[int] = []
    pages: list[str] = []

    def work(_: int) -> None:
        tab = session.copy()
        statuses.append(tab.post(attempt, RIGHT).status)
        pages.append(tab.get(attempt).text)

    assert run_threads(20, work) == []
    assert statuses == [302] * 20
    assert all("Quiz réussi" in page for page in pages), pages[0][:2000]
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Submission)) == 1
    assert db.scalar(select(func.count()).select_from(AnswerRow)) == 5
    assert db.scalar(select(func.count()).where(Event.verb == "passed")) == 1
    assert db.scalar(select(func.count()).where(Event.verb == "answered")) == 5
