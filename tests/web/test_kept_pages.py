"""A step's page is rendered once per kind of viewer and kept; each visit fills in its own."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, template_rendered
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from course.services.models import User

STEP = "/modules/m1/steps/m1-intro"


def _csrf(page: str) -> list[str]:
    return re.findall(r'name="csrf_token" value="([^"]+)"', page)


@pytest.fixture
def renders(app: Flask) -> Iterator[list[str]]:
    """The name of each template the app renders while the test lasts."""
    seen: list[str] = []

    def note(_app: Flask, template: Any, **_context: Any) -> None:
        seen.append(template.name)

    template_rendered.connect(note, app)
    yield seen
    template_rendered.disconnect(note, app)


@pytest.fixture
def learners(
    app: Flask, make_user: Callable[..., User], login: Callable[..., FlaskClient]
) -> tuple[FlaskClient, FlaskClient]:
    """Ana and Bob, each logged in on their own client."""
    return (
        login(make_user("ana@example.org"), on=app.test_client()),
        login(make_user("bob@example.org"), on=app.test_client()),
    )


def test_a_second_learner_gets_the_kept_page_with_their_own_name_and_token(
    learners: tuple[FlaskClient, FlaskClient], renders: list[str]
) -> None:
    ana, bob = learners
    anas = ana.get(STEP).text
    assert "learn/step.html" in renders
    renders.clear()
    bobs = bob.get(STEP).text
    assert renders == []  # kept: nothing rendered for bob
    assert 'aria-label="Mon compte (bob)">bob</a>' in bobs
    assert "ana" not in bobs
    assert "\x00" not in anas + bobs
    tokens = _csrf(bobs)
    assert len(tokens) == 2  # the step's form and the header's logout form
    assert len(set(tokens)) == 1
    assert set(tokens).isdisjoint(_csrf(anas))
    done = bob.post(f"{STEP}/complete", data={"csrf_token": tokens[0]})
    assert done.status_code == 302  # bob's own token, accepted


def test_the_kept_page_is_the_rendered_page_byte_for_byte(
    learners: tuple[FlaskClient, FlaskClient], renders: list[str]
) -> None:
    ana, _ = learners
    rendered = ana.get(STEP).data  # the first visit renders and keeps it
    assert "learn/step.html" in renders
    renders.clear()
    kept = ana.get(STEP).data
    assert renders == []
    assert kept == rendered


def test_done_and_not_done_are_kept_apart(
    learners: tuple[FlaskClient, FlaskClient], renders: list[str]
) -> None:
    ana, bob = learners
    first = ana.get(STEP).text  # the page not done, kept
    following = ana.post(f"{STEP}/complete", data={"csrf_token": _csrf(first)[0]})
    ana.get(following.location)  # shows the flashed message: none is left for the step
    ana.get(STEP)  # the page done, kept
    renders.clear()
    anas, bobs = ana.get(STEP).text, bob.get(STEP).text
    assert renders == []  # both from what was kept
    assert "✓ Étape terminée." in anas
    assert "Marquer comme terminée" not in anas
    assert "✓ Étape terminée." not in bobs
    assert "Marquer comme terminée" in bobs


def test_a_flashed_message_is_shown_once_to_its_learner_only(
    learners: tuple[FlaskClient, FlaskClient],
) -> None:
    ana, bob = learners
    page = ana.get(STEP).text
    following = ana.post(f"{STEP}/complete", data={"csrf_token": _csrf(page)[0]})
    assert following.status_code == 302
    bob.get(following.location)  # the next step's page is kept now, without the message
    shown = ana.get(following.location).text
    assert "terminée." in shown
    assert 'class="flash flash-success"' in shown
    assert 'class="flash' not in ana.get(following.location).text  # once
    assert 'class="flash' not in bob.get(following.location).text


def test_a_trainer_gets_the_trainers_header_on_a_kept_step(
    app: Flask, make_user: Callable[..., User], login: Callable[..., FlaskClient]
) -> None:
    ana = login(make_user("ana@example.org"), on=app.test_client())
    tom = login(make_user("tom@example.org", role="trainer"), on=app.test_client())
    assert "Espace formateur" not in ana.get(STEP).text
    toms = tom.get(STEP).text
    assert "Espace formateur" in toms
    assert 'aria-label="Mon compte (tom)">tom</a>' in toms


def test_a_name_on_a_kept_page_is_escaped(
    app: Flask, db: Session, make_user: Callable[..., User], login: Callable[..., FlaskClient]
) -> None:
    login(make_user("ana@example.org"), on=app.test_client()).get(STEP)
    eve = make_user("eve@example.org")
    eve.display_name = '<script>alert("x")</script> & co'
    db.commit()
    page = login(eve, on=app.test_client()).get(STEP).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co</a>" in page
