"""A page's CSRF token is signed once per session and still guards every form."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from course.services.models import User
from course.web import csrf_tokens
from tests.conftest import PASSWORD, make_app


@pytest.fixture
def guarded(database_url: str) -> Iterator[Flask]:
    """The app with CSRF protection on, as served."""
    application = make_app(database_url, WTF_CSRF_ENABLED=True)
    yield application
    application.extensions["database"].dispose()


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _logged_in(app: Flask, user: User) -> FlaskClient:
    browser = app.test_client()
    form = {
        "email": user.email,
        "password": PASSWORD,
        "csrf_token": _token(browser.get("/login").text),
    }
    assert browser.post("/login", data=form).status_code == 302
    return browser


def test_a_session_shows_one_signed_token_which_its_forms_accept(
    guarded: Flask, make_user: Callable[..., User]
) -> None:
    ana = _logged_in(guarded, make_user("ana@example.org"))
    first = _token(ana.get("/modules/m1/steps/m1-intro").text)
    again = _token(ana.get("/modules/m1/steps/m1-intro").text)
    assert again == first  # kept, not signed afresh with a new timestamp
    assert any(token == first for token in csrf_tokens._signed.values())
    done = ana.post("/modules/m1/steps/m1-intro/complete", data={"csrf_token": again})
    assert done.status_code == 302


def test_another_session_gets_its_own_token_and_cannot_use_anothers(
    guarded: Flask, make_user: Callable[..., User]
) -> None:
    ana = _logged_in(guarded, make_user("ana@example.org"))
    bob = _logged_in(guarded, make_user("bob@example.org"))
    anas = _token(ana.get("/modules/m1/steps/m1-intro").text)
    bobs = _token(bob.get("/modules/m1/steps/m1-intro").text)
    assert anas != bobs
    refused = bob.post("/modules/m1/steps/m1-intro/complete", data={"csrf_token": anas})
    assert refused.status_code == 400
