"""The learner's own attempts at a quiz: listed with scores, each linking to its review."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from course.services.models import User

from .test_journey import RIGHT, WRONG, start_attempt


def test_attempts_are_listed_latest_first_with_links_to_their_reviews(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    first = start_attempt(client, "m1-quiz")
    client.post(first, data=WRONG)
    second = start_attempt(client, "m1-quiz")
    client.post(second, data=RIGHT)
    page = client.get("/quizzes/m1-quiz/attempts")
    assert page.status_code == 200
    links = re.findall(r'href="(/attempts/\d+)"', page.text)
    assert links == [second, first]
    assert page.text.index("n° 2") < page.text.index("n° 1")
    assert "Réussi" in page.text
    assert "Pas encore réussi" in page.text
    assert "100\u00a0%" in page.text
    assert "Score de certitude" in page.text  # the quiz asks for certainty
    assert "1 tentative restante" in page.text
    assert "Pas encore réussi" in client.get(first).text  # the review opens again


def test_an_open_attempt_is_offered_to_resume(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    assert "pas encore fait" in client.get("/quizzes/m1-quiz/attempts").text
    attempt = start_attempt(client, "m1-quiz")
    page = client.get("/quizzes/m1-quiz/attempts").text
    assert "En cours" in page
    assert f'href="{attempt}">Reprendre la tentative en cours' in page


def test_only_ones_own_attempts_are_listed(
    client: FlaskClient,
    app: Flask,
    learner: User,
    make_user: Callable[..., User],
    login: Callable[..., FlaskClient],
) -> None:
    login(learner)
    client.post(start_attempt(client, "m1-quiz"), data=RIGHT)
    other = login(make_user("other@example.org"), app.test_client())
    page = other.get("/quizzes/m1-quiz/attempts").text
    assert "/attempts/" not in page
    assert other.get("/quizzes/inconnu/attempts").status_code == 404


def test_the_history_is_linked_from_home_module_and_progress(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    client.post(start_attempt(client, "m1-quiz"), data=WRONG)
    for page in ("/", "/modules/m1", "/progress"):
        assert 'href="/quizzes/m1-quiz/attempts"' in client.get(page).text, page
