"""A form refused for its token (the session changed since the page opened) offers the page
it came from, opened afresh, and writes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from course.services.models import User
from tests.conftest import PASSWORD, make_app


@pytest.fixture
def guarded(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    yield app
    app.extensions["database"].dispose()


def test_a_refused_login_offers_the_login_page_again(guarded: Flask, learner: User) -> None:
    client = guarded.test_client()
    refused = client.post("/login", data={"email": learner.email, "password": PASSWORD})
    assert refused.status_code == 400
    assert "la session a changé depuis l'ouverture de la page" in refused.text.replace("&#39;", "'")
    assert '<a class="button primary" href="/login">Rouvrir la page</a>' in refused.text


def test_the_page_offered_is_the_referring_page_of_this_site_only(guarded: Flask) -> None:
    client = guarded.test_client()
    here = client.post(
        "/register", data={}, headers={"Referer": "http://localhost/register?groupe=ABC"}
    )
    assert 'href="/register?groupe=ABC">Rouvrir la page' in here.text
    elsewhere = client.post(
        "/register", data={}, headers={"Referer": "https://evil.example/register"}
    )
    assert "evil.example" not in elsewhere.text
    sneaky = client.post(
        "/register", data={}, headers={"Referer": "http://localhost//evil.example/x"}
    )
    assert "evil.example" not in sneaky.text
    assert 'href="/register">Rouvrir la page' in elsewhere.text


def test_a_form_whose_address_has_no_page_offers_none(guarded: Flask) -> None:
    refused = guarded.test_client().post("/logout")
    assert refused.status_code == 400
    assert "Rouvrir la page" not in refused.text
