"""The attempt limit holds when many requests of one learner race (issue 13, finding 1)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from course.services.models import Attempt, Submission, User

from .live import HttpClient, run_threads

WRONG = {"q-q-single": "b"}


def test_forty_racing_tabs_never_exceed_max_attempts(
    app: Flask, live: HttpClient, learner: User
) -> None:
    session = live.login(learner.email)
    statuses: list[int] = []

    def work(_: int) -> None:
        tab = session.copy()
        for _round in range(6):
            started = tab.post("/quizzes/m1-quiz/attempts")
            statuses.append(started.status)
            if started.status != 302 or "/attempts/" not in started.location:
                continue
            path = started.location.split("127.0.0.1", 1)[-1].split(":", 1)[-1]
            path = path[path.index("/") :]
            statuses.append(tab.post(path, WRONG).status)

    assert run_threads(40, work) == []
    print(sorted(statuses))
    assert 500 not in statuses
    with app.extensions["database"].session(writer=False) as db:
        made = db.scalar(select(func.count(Attempt.id)).where(Attempt.quiz_id == "m1-quiz"))
        submitted = db.scalar(select(func.count()).select_from(Submission))
    assert made == 3
    assert submitted == 3
