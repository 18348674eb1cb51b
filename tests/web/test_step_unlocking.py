"""Opening a step is recorded once, and a tool can unlock when a step of its module is opened."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from course.services.models import Event, StepOpening, User
from tests.conftest import FIXTURE_COURSE, make_app

from .test_journey import RIGHT, start_attempt


def test_opening_a_step_is_recorded_once_with_its_event(
    client: FlaskClient, db: Session, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    for _ in range(2):
        assert client.get("/modules/m1/steps/m1-intro").status_code == 200
    openings = db.scalars(select(StepOpening)).all()
    assert [(o.user_id, o.module_id, o.step_id) for o in openings] == [
        (learner.id, "m1", "m1-intro")
    ]
    experienced = db.scalars(select(Event).where(Event.verb == "experienced")).all()
    assert [(e.user_id, e.object_type, e.object_id) for e in experienced] == [
        (learner.id, "step", "m1-intro")
    ]


def test_a_locked_step_is_not_recorded(
    client: FlaskClient, db: Session, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    assert client.get("/modules/m2/steps/m2-ordre").status_code == 403
    assert db.scalars(select(StepOpening)).all() == []


@pytest.fixture
def step_tool_app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The fixture course with its tool unlocked by the step « Pratique » of module 1."""
    course_dir = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, course_dir)
    tool = course_dir / "tools" / "outil-1.yaml"
    tool.write_text(
        tool.read_text().replace("module: m1\n", "module: m1\nunlocked_by: {step: m1-pratique}\n")
    )
    application = make_app(database_url, course_dir)
    yield application
    application.extensions["database"].dispose()


def test_a_tool_unlocks_when_its_step_is_opened(
    step_tool_app: Flask, learner: User, login: Callable[..., FlaskClient]
) -> None:
    client = login(learner, on=step_tool_app.test_client())
    locked = client.get("/tools/outil-1")
    assert locked.status_code == 403
    assert "Ouvrez l&#39;étape" in locked.text or "Ouvrez l'étape" in locked.text
    assert 'href="/modules/m1/steps/m1-pratique">« Pratique »</a> de la séance 1' in locked.text
    home = client.get("/").text
    assert (
        "se déverrouille en ouvrant l&#39;étape" in home
        or "se déverrouille en ouvrant l'étape" in home
    )
    client.get("/modules/m1/steps/m1-intro")
    assert client.get("/tools/outil-1").status_code == 403
    client.get("/modules/m1/steps/m1-pratique")
    assert client.get("/tools/outil-1").status_code == 200
    assert 'href="/tools/outil-1"' in client.get("/modules/m1").text


def test_passing_the_quiz_does_not_claim_to_unlock_a_tool_a_step_unlocks(
    step_tool_app: Flask, learner: User, login: Callable[..., FlaskClient]
) -> None:
    client = login(learner, on=step_tool_app.test_client())
    attempt = start_attempt(client, "m1-quiz")
    assert client.post(attempt, data=RIGHT).status_code == 302
    review = client.get(attempt).text
    assert "Quiz réussi" in review
    assert "déverrouillé" not in review


def test_the_module_page_does_not_say_quiz_twice(
    step_tool_app: Flask, learner: User, login: Callable[..., FlaskClient]
) -> None:
    client = login(learner, on=step_tool_app.test_client())
    page = client.get("/modules/m1").text
    assert "<h2>Quiz des bases</h2>" in page  # its title says « Quiz » already
    assert "Quiz : Quiz" not in page
