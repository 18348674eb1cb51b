"""The path leads: the pre-test first, « Étape n sur N » with previous and next, locks that link."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from course.services.models import User

from .test_journey import start_attempt


def test_continue_proposes_the_pretest_first_then_the_steps(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    home = client.get("/").text
    assert 'action="/quizzes/m1-positionnement/attempts"' in home
    assert "Continuer : le positionnement" in home
    assert 'href="/modules/m1/steps/m1-intro">Passer directement' in home
    attempt = start_attempt(client, "m1-positionnement")
    client.post(attempt, data={"q-p-vf": ["true"], "confirm_blank": "1"})
    assert 'href="/modules/m1/steps/m1-intro"' in client.get("/").text.split("next-title")[2]


def test_a_step_says_where_it_stands_with_previous_and_next(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    first = client.get("/modules/m1/steps/m1-intro").text
    assert "Étape 1 sur 2" in first
    assert 'rel="next" href="/modules/m1/steps/m1-pratique"' in first
    assert 'href="/modules/m1"><span aria-hidden="true">← </span>Présentation' in first
    second = client.get("/modules/m1/steps/m1-pratique").text
    assert "Étape 2 sur 2" in second
    assert 'rel="prev" href="/modules/m1/steps/m1-intro"' in second
    assert 'href="/modules/m1#quiz"' in second


def test_a_locked_page_links_to_what_unlocks_it(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    for url in ("/modules/m2", "/tools/outil-1", "/"):
        page = client.get(url).text
        assert 'href="/modules/m1#quiz">Réussir le quiz « Quiz des bases »' in page, url
