"""The attempt limit holds when many requests of one learner race (issue 13, finding 1)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from course.services.models import Attempt, Submission, User

from .live import HttpClient, run_threads
from .served import Gunicorn

WRONG = {"q-q-single": "b", "confirm_blank": "1"}  # the other questions left blank


def race_for_attempts(app: Flask, session: HttpClient) -> None:
    """40 tabs of one learner each start and fail m1-quiz 6 times: 3 attempts, no 500."""
    statuses: list[int] = []

    def work(_: int) -> None:
        tab = session.copy()
        for _round in range(6):
            started = tab.post("/quizzes/m1-quiz/attempts")
            statuses.append(started.status)
            if started.status != 302 or "/attempts/" not in started.location:
                continue
            path = started.location[started.location.index("/attempts/") :]
            statuses.append(tab.post(path, WRONG).status)

    assert run_threads(40, work) == []
    assert not [s for s in statuses if s >= 500]
    with app.extensions["database"].session(writer=False) as db:
        made = db.scalar(select(func.count(Attempt.id)).where(Attempt.quiz_id == "m1-quiz"))
        submitted = db.scalar(select(func.count()).select_from(Submission))
    assert made == 3
    assert submitted == 3


def test_forty_racing_tabs_never_exceed_max_attempts(
    app: Flask, live: HttpClient, learner: User
) -> None:
    race_for_attempts(app, live.login(learner.email))


@pytest.mark.slow
def test_forty_racing_tabs_on_two_gunicorn_workers_never_exceed_max_attempts(
    app: Flask, gunicorn: Gunicorn, learner: User
) -> None:
    race_for_attempts(app, gunicorn.client().login(learner.email))
