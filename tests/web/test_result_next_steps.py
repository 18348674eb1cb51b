"""Every result says what to do next: retry and revisit, what a pass opened, the certificate."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from course.services.models import User
from tests.conftest import make_app

from .test_certificates import M2_RIGHT, M3_SURE
from .test_journey import RIGHT, WRONG, start_attempt


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app with its signing key in a temporary folder, never in the repository's instance/."""
    application = make_app(database_url, SIGNING_KEY_PATH=str(tmp_path / "key.pem"))
    yield application
    application.extensions["database"].dispose()


def suite(html: str) -> str:
    """Return the « Et maintenant ? » section of a review."""
    found = re.search(r'<section class="card next-steps".*?</section>', html, re.S)
    assert found, "the review says what to do next"
    return found.group(0)


def test_a_fail_offers_to_retry_and_the_steps_to_revisit(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    client.post(attempt, data=WRONG)
    block = suite(client.get(attempt).text)
    assert "Réessayer" in block
    assert "2 tentatives restantes" in block
    assert block.count('href="/modules/m1/steps/m1-intro"') == 1
    for _ in range(2):
        client.post(start_attempt(client, "m1-quiz"), data=WRONG)
    last = suite(client.get(attempt).text)
    assert "Réessayer" not in last
    assert "toutes vos tentatives" in last


def test_a_pass_names_the_next_session_and_the_tools_it_opened(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    client.post(attempt, data=RIGHT)
    block = suite(client.get(attempt).text)
    assert 'href="/modules/m2"' in block
    assert 'href="/tools/outil-1"' in block
    assert "Réessayer" not in block
    assert "Continuer" in block


def test_the_pretest_leads_into_the_session(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-positionnement")
    client.post(attempt, data={"q-p-vf": ["true"], "confirm_blank": "1"})
    block = suite(client.get(attempt).text)
    assert 'href="/modules/m1/steps/m1-intro"' in block
    assert "Réessayer" not in block


def test_the_last_pass_links_to_the_certificate(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    last = ""
    for module_id, steps, quiz_id, form in (
        ("m1", ("m1-intro", "m1-pratique"), "m1-quiz", RIGHT),
        ("m2", ("m2-ordre",), "m2-quiz", M2_RIGHT),
        ("m3", ("m3-fin",), "m3-quiz", M3_SURE),
    ):
        for step in steps:
            client.post(f"/modules/{module_id}/steps/{step}/complete")
        last = start_attempt(client, quiz_id)
        client.post(last, data=form)
    block = suite(client.get(last).text)
    assert "terminé tout le parcours" in block
    assert re.search(r'href="/certificates/[0-9A-Z-]{14}/print"', block)
