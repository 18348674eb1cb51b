"""A learner's whole journey through the test client."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient

from course.services.models import User

# Two of five answered: the rest left blank on purpose, confirmed (`confirm_blank`).
WRONG = {"q-q-single": ["b"], "q-q-vf": ["true"], "confirm_blank": ["1"]}
RIGHT = {
    "q-q-single": ["a"],
    "q-q-multiple": ["a", "b"],
    "q-q-vf": ["false"],
    "q-q-num": ["69,2"],
    "q-q-text": ["Catalyse Territoriale"],
    "c-q-single": ["3"],
}


def start_attempt(client: FlaskClient, quiz_id: str) -> str:
    response = client.post(f"/quizzes/{quiz_id}/attempts")
    assert response.status_code == 302, response.text
    return response.location


def test_register_read_fail_pass_and_open_the_next_module(client: FlaskClient) -> None:
    response = client.post(
        "/register",
        data={
            "email": "nadia@example.org",
            "display_name": "Nadia",
            "password": "un-long-mot-de-passe",
            "confirm": "un-long-mot-de-passe",
        },
    )
    assert response.status_code == 302
    home = client.get("/").text
    assert "Verrouillée" in home
    assert "Réussir le quiz « Quiz des bases »" in home
    assert client.get("/modules/m2").status_code == 403

    for step in ("m1-intro", "m1-pratique"):
        assert client.get(f"/modules/m1/steps/{step}").status_code == 200
        assert client.post(f"/modules/m1/steps/{step}/complete").status_code == 302

    first = start_attempt(client, "m1-quiz")
    assert client.post(first, data=WRONG).status_code == 302
    review = client.get(first).text
    assert "Pas encore réussi" in review
    assert "Non, c'est la mauvaise." in review  # the chosen wrong choice's feedback
    assert "Il reste 2 tentatives" in review or "Il vous reste 2 tentatives" in review
    assert client.get("/modules/m2").status_code == 403

    second = start_attempt(client, "m1-quiz")
    assert second != first
    client.post(second, data=RIGHT)
    assert "Quiz réussi" in client.get(second).text

    assert client.get("/modules/m2").status_code == 200
    home = client.get("/").text
    assert "Terminée" in home  # module 1: steps done and quiz passed
    assert "déverrouillé" in home  # its tool


def test_home_offers_to_continue_where_the_learner_left_off(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    assert "/modules/m1/steps/m1-intro" in client.get("/").text
    client.post("/modules/m1/steps/m1-intro/complete")
    home = client.get("/").text
    assert re.search(r'href="/modules/m1/steps/m1-pratique"[^>]*>Continuer', home)


def test_marking_a_step_goes_on_to_the_next(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    response = client.post("/modules/m1/steps/m1-intro/complete")
    assert response.location == "/modules/m1/steps/m1-pratique"
    last = client.post("/modules/m1/steps/m1-pratique/complete")
    assert last.location == "/modules/m1#quiz"


def test_step_page_shows_video_and_transcript(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    page = client.get("/modules/m1/steps/m1-intro").text
    assert '<video controls preload="metadata" src="https://videos.example/intro.mp4">' in page
    assert "Transcription de la vidéo" in page
    assert "<script>alert(1)</script>" not in page


def test_pretest_never_unlocks(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-positionnement")
    client.post(attempt, data={"q-p-vf": ["true"], "confirm_blank": "1"})
    assert "Positionnement enregistré" in client.get(attempt).text
    assert client.get("/modules/m2").status_code == 403


def test_a_step_shows_its_activities_and_pages_show_the_estimate(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    client.post(start_attempt(client, "m1-quiz"), data=RIGHT)
    step = client.get("/modules/m2/steps/m2-ordre").text
    assert "Outil pratique · 9\u00a0min</span> Remettre en ordre" in step
    assert "Remplissez l'outil pour <em>votre</em> territoire." in step
    assert 'href="/tools/outil-1"' in step
    assert "environ 10\u00a0min" in step  # 2 words (1 min) + 9 min of activities
    assert "Exercice · 9\u00a0min" in client.get("/modules/m1/steps/m1-pratique").text
    module = client.get("/modules/m1").text
    assert "Lecture · 5\u00a0min" in module
    assert "environ" in client.get("/").text
