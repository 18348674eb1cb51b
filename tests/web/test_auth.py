"""Accounts on the web: forms, one failure for any bad login, `next`, logout, CSRF."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from course.services.models import User
from tests.conftest import PASSWORD, make_app

FORM = {
    "email": "claire@example.org",
    "display_name": "Claire",
    "password": "un-long-mot-de-passe",
    "confirm": "un-long-mot-de-passe",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "pas-un-email"}, "Cette adresse e-mail n&#39;est pas valide."),
        ({"password": "7-chars", "confirm": "7-chars"}, "Le mot de passe doit compter"),
        ({"password": "x" * 201, "confirm": "x" * 201}, "Le mot de passe doit compter"),
        ({"confirm": "autre-chose-encore"}, "Les deux mots de passe ne sont pas identiques."),
        ({"display_name": ""}, "Indiquez le nom à afficher."),
        ({"display_name": "x" * 81}, "80 caractères au plus."),
        ({"email": "x" * 250 + "@example.org"}, "254 caractères au plus."),
        ({"join_code": "A" * 41}, "40 caractères au plus."),
    ],
)
def test_bad_registration_shows_the_form_and_stores_nothing(
    client: FlaskClient, db: Session, change: dict[str, str], message: str
) -> None:
    response = client.post("/register", data={**FORM, **change})
    assert response.status_code == 400
    assert message in response.text
    assert db.scalar(select(func.count()).select_from(User)) == 0


def test_registering_twice_with_one_email(client: FlaskClient, learner: User) -> None:
    response = client.post("/register", data={**FORM, "email": "LEARNER@example.org"})
    assert response.status_code == 400
    assert "Un compte existe déjà" in response.text


def test_unknown_email_and_wrong_password_get_the_same_answer(
    client: FlaskClient, learner: User
) -> None:
    unknown = client.post("/login", data={"email": "x@example.org", "password": PASSWORD})
    wrong = client.post("/login", data={"email": learner.email, "password": "mauvais-mdp"})
    assert unknown.status_code == wrong.status_code == 400
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731
    assert strip(unknown.text) == strip(wrong.text)
    assert "Adresse e-mail ou mot de passe incorrect." in wrong.text


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/modules/m1", "/modules/m1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_is_honoured_only_for_same_site_paths(
    client: FlaskClient, learner: User, target: str, expected: str
) -> None:
    response = client.post(
        "/login", query_string={"next": target}, data={"email": learner.email, "password": PASSWORD}
    )
    assert response.location == expected


def test_pages_need_a_login(client: FlaskClient) -> None:
    response = client.get("/modules/m1")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_logout_ends_every_copy_of_the_session(
    app: Flask, client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    cookie = client.get_cookie("session")
    assert cookie is not None
    copy = app.test_client()
    copy.set_cookie("session", cookie.value)
    assert copy.get("/").status_code == 200
    client.post("/logout")
    assert copy.get("/").status_code == 302  # the copied cookie no longer logs in


def test_csrf_is_enforced_on_every_form_including_login(database_url: str, learner: User) -> None:
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    refused = client.post("/login", data={"email": learner.email, "password": PASSWORD})
    assert refused.status_code == 400
    assert "Le formulaire a expiré" in refused.text
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    ok = client.post(
        "/login", data={"email": learner.email, "password": PASSWORD, "csrf_token": token}
    )
    assert ok.status_code == 302
    home = client.get("/").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)
    assert client.post("/modules/m1/steps/m1-intro/complete").status_code == 400
    done = client.post("/modules/m1/steps/m1-intro/complete", data={"csrf_token": token})
    assert done.status_code == 302
    app.extensions["database"].dispose()


def test_repeated_failures_are_throttled_then_the_owner_can_log_in_later(
    client: FlaskClient, learner: User, db: Session
) -> None:
    from datetime import timedelta

    from course.services.models import FailedLogin

    for _ in range(10):
        client.post("/login", data={"email": learner.email, "password": "mauvais-mdp"})
    throttled = client.post("/login", data={"email": learner.email, "password": PASSWORD})
    assert throttled.status_code == 429
    assert "Trop de tentatives" in throttled.text
    # The window passes: age every failure beyond it.
    for row in db.scalars(select(FailedLogin)):
        row.at = row.at - timedelta(hours=1)
    db.commit()
    assert (
        client.post("/login", data={"email": learner.email, "password": PASSWORD}).status_code
        == 302
    )


def test_login_starts_a_fresh_session(client: FlaskClient, learner: User) -> None:
    with client.session_transaction() as before:
        before["planted"] = "by-an-attacker"
    client.post("/login", data={"email": learner.email, "password": PASSWORD})
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["_fresh"] is True


def test_a_session_moving_to_another_address_and_browser_is_kept_as_it_is(
    client: FlaskClient, learner: User
) -> None:
    """No Flask-Login session protection: a phone that changes networks keeps its session, and
    the cookie is not written again (ending a session is deleting its row: login_sessions)."""
    client.post("/login", data={"email": learner.email, "password": PASSWORD})
    client.get("/progress")  # the first page after login keeps a form token in the session
    moved = client.get(
        "/progress",
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
        headers={"User-Agent": "Another browser/1.0"},
    )
    assert moved.status_code == 200
    assert "Set-Cookie" not in moved.headers
    with client.session_transaction() as after:
        assert after["_fresh"] is True


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345678", "trop courant"),
        ("aaaaaaaa", "trop courant"),
        ("nadia-2026-xyz", "ni votre adresse e-mail ni votre nom"),
    ],
)
def test_registration_refuses_weak_passwords_and_says_the_rule_first(
    client: FlaskClient, password: str, message: str
) -> None:
    assert "Évitez les mots de passe courants" in client.get("/register").text
    form = {"email": "nadia@example.org", "display_name": "Nadia B", "password": password}
    response = client.post("/register", data=form | {"confirm": password})
    assert response.status_code == 400
    assert message in response.text


def test_an_unknown_group_code_is_reported_with_the_other_errors_in_one_pass(
    client: FlaskClient, db: Session
) -> None:
    form = {**FORM, "display_name": "", "join_code": "ZZZZ-9999"}
    response = client.post("/register", data=form)
    assert response.status_code == 400
    assert "Indiquez le nom à afficher." in response.text
    assert "Ce code de groupe est inconnu." in response.text
    assert db.scalar(select(func.count()).select_from(User)) == 0


def test_length_errors_are_never_in_english(client: FlaskClient) -> None:
    response = client.post("/register", data={**FORM, "display_name": "x" * 81})
    assert response.status_code == 400
    assert "Field cannot be longer" not in response.text


def test_the_login_page_takes_someone_already_logged_in_where_a_login_would(
    client: FlaskClient, learner: User, make_user: Callable[..., User]
) -> None:
    client.post("/login", data={"email": learner.email, "password": PASSWORD})
    assert client.get("/login").headers["Location"] == "/"
    assert client.get("/login?next=/progress").headers["Location"] == "/progress"
    assert client.get("/login?next=//evil.example").headers["Location"] == "/"
    trainer = make_user("formateur@example.org", role="trainer")
    switched = client.post("/login", data={"email": trainer.email, "password": PASSWORD})
    assert switched.headers["Location"] == "/trainer/"  # another account may still log in
