"""Session cookies: one serializer per set of keys, each cookie checked once per process, and
still refused when forged, too old or signed with another key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, session
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from course.services.db import Database
from course.web import cookie_sessions
from tests.conftest import make_app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'sessions.sqlite'}"
    Database(url).create_all()
    application = make_app(url)

    @application.get("/_test/put/<value>")
    def put(value: str) -> str:
        session["value"] = value
        session["items"] = []
        return "ok"

    @application.get("/_test/read")
    def read() -> str:
        return f"{session.get('value')}:{len(session.get('items', []))}"

    @application.get("/_test/plain/<value>")
    def plain(value: str) -> str:  # a session of strings only
        session.pop("items", None)
        session["value"] = value
        return "ok"

    @application.get("/_test/append")
    def append() -> str:  # changes the session in place: Flask sees no change, sends no cookie
        session.get("items", []).append("x")
        return "ok"

    yield application
    application.extensions["database"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.get("/_test/put/bonjour")
    return client


def test_a_cookie_is_checked_once_then_read_from_what_the_process_kept(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks = []
    loads = URLSafeTimedSerializer.loads

    def counted(self: URLSafeTimedSerializer, *args: object, **kwargs: object) -> object:
        checks.append(1)
        return loads(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(URLSafeTimedSerializer, "loads", counted)
    answers = [client.get("/_test/read").text for _ in range(3)]
    assert answers == ["bonjour:0"] * 3
    assert len(checks) == 1


def test_each_request_changes_its_own_copy_of_the_session(client: FlaskClient) -> None:
    client.get("/_test/append")
    client.get("/_test/append")
    assert client.get("/_test/read").text == "bonjour:0"  # the cookie still holds no item


def test_a_request_that_changes_a_session_of_strings_leaves_the_kept_one(app: Flask) -> None:
    first = app.test_client()
    first.get("/_test/plain/salut")
    cookie = first.get_cookie("session")
    assert cookie is not None
    second = app.test_client()
    second.set_cookie("session", cookie.value)
    assert second.get("/_test/read").text == "salut:0"  # kept by the process now
    first.get("/_test/plain/autre")  # the same cookie, changed by its request
    assert second.get("/_test/read").text == "salut:0"
    assert first.get("/_test/read").text == "autre:0"


def test_a_forged_cookie_is_refused_even_after_the_genuine_one_was_kept(
    client: FlaskClient,
) -> None:
    assert client.get("/_test/read").text == "bonjour:0"
    cookie = client.get_cookie("session")
    assert cookie is not None
    forged = cookie.value[:-2] + ("AA" if not cookie.value.endswith("AA") else "BB")
    client.set_cookie("session", forged)
    assert client.get("/_test/read").text == "None:0"


def test_a_kept_cookie_expires_with_the_session_lifetime(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get("/_test/read").text == "bonjour:0"
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = cookie_sessions.time.time() + lifetime + 5
    monkeypatch.setattr(cookie_sessions.time, "time", lambda: later)
    assert client.get("/_test/read").text == "None:0"


def test_a_new_secret_key_checks_kept_cookies_again(app: Flask, client: FlaskClient) -> None:
    assert client.get("/_test/read").text == "bonjour:0"
    app.secret_key = "another-secret-key-" + "y" * 32
    assert client.get("/_test/read").text == "None:0"


def test_one_serializer_serves_every_request_until_the_keys_change(app: Flask) -> None:
    sessions = app.session_interface
    first = sessions.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert sessions.get_signing_serializer(app) is first  # type: ignore[attr-defined]
    signed = first.dumps({"n": 1})
    app.config["SECRET_KEY_FALLBACKS"] = [app.secret_key]
    app.secret_key = "another-secret-key-" + "y" * 32
    renewed = sessions.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert renewed is not first
    assert renewed.loads(signed) == {"n": 1}  # the old key still reads, as a fallback
    assert renewed.dumps({"n": 1}) != signed
