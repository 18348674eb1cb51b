"""Erasing an account serialises with the learner's own writes (issue 13, finding 2)."""

from __future__ import annotations

import time

from flask import Flask
from sqlalchemy import func, select

from course.services.models import Certificate, ErasedAccount, ToolEntry, User
from tests.conftest import PASSWORD
from tests.web.test_journey import RIGHT

from .live import HttpClient, run_threads


def pass_first_quiz(tab: HttpClient) -> None:
    """Pass the first module's quiz over HTTP, which opens its tool."""
    started = tab.post("/quizzes/m1-quiz/attempts")
    assert started.status == 302, started.text
    assert tab.post(started.location, RIGHT).status == 302


def test_no_tool_work_survives_an_erasure_racing_saves(
    app: Flask, live: HttpClient, learner: User
) -> None:
    session = live.login(learner.email)
    pass_first_quiz(session)
    statuses: list[int] = []

    def work(i: int) -> None:
        tab = session.copy()
        if i == 0:
            time.sleep(0.05)
            reply = tab.post("/account/delete", {"password": PASSWORD})
            assert reply.status == 302, reply.text
            return
        for n in range(8):
            statuses.append(tab.post("/tools/outil-1", {"f-nom": f"Projet {i}-{n}"}).status)

    assert run_threads(12, work) == []
    assert 500 not in statuses
    assert 302 in statuses  # saves went through before the erasure, and were then deleted
    with app.extensions["database"].session(writer=False) as db:
        assert db.scalar(select(func.count()).select_from(ErasedAccount)) == 1
        assert db.scalar(select(func.count()).select_from(ToolEntry)) == 0
        assert db.scalar(select(func.count()).select_from(Certificate)) == 0
