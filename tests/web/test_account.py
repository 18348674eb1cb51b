"""Accounts that look after themselves: a reset link by real mail, the account page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from course.clock import utcnow
from course.services import accounts, password_resets
from course.services.models import PasswordReset, User
from tests.conftest import PASSWORD, now
from tests.smtp_sink import SmtpSink, body_of

NEW_PASSWORD = "un-nouveau-mot-de-passe"


def _user(app: Flask, email: str = "claire@example.org") -> User:
    session = app.extensions["database"].session(writer=True)
    user = accounts.create_user(
        session, email=email, display_name="Claire", password=PASSWORD, now=now()
    )
    session.commit()
    session.expunge(user)
    session.close()
    return user


def _log_in(client: FlaskClient, email: str, password: str = PASSWORD) -> int:
    return client.post("/login", data={"email": email, "password": password}).status_code


def _link_in(message_body: str) -> str:
    found = re.search(r"http://localhost(/password/reset/\S+)", message_body)
    assert found, message_body
    return found.group(1)


def test_a_password_is_reset_through_a_real_smtp_server(
    mail_app: Flask, smtp_server: SmtpSink
) -> None:
    user = _user(mail_app)
    browser, other_device = mail_app.test_client(), mail_app.test_client()
    assert _log_in(other_device, user.email) == 302
    asked = browser.post("/password/forgot", data={"email": "Claire@Example.org "})
    assert asked.status_code == 200
    assert "Vérifiez votre messagerie" in asked.text
    [message] = smtp_server.wait_for(1)
    assert smtp_server.envelopes[0][1] == ["claire@example.org"]
    assert "mot de passe" in message["Subject"]
    link = _link_in(body_of(message))

    assert browser.get(link).status_code == 200
    done = browser.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert browser.get("/").status_code == 200  # logged in by the reset
    assert other_device.get("/").status_code == 302  # every other session ended
    assert _log_in(mail_app.test_client(), user.email, PASSWORD) == 400
    assert _log_in(mail_app.test_client(), user.email, NEW_PASSWORD) == 302
    again = mail_app.test_client().get(link)  # single use
    assert again.status_code == 404
    assert "Demander un nouveau lien" in again.text


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    mail_app: Flask, smtp_server: SmtpSink
) -> None:
    _user(mail_app)
    client = mail_app.test_client()
    unknown = client.post("/password/forgot", data={"email": "personne@example.org"})
    known = client.post("/password/forgot", data={"email": "claire@example.org"})
    assert unknown.status_code == known.status_code == 200
    strip = lambda html: html.replace("personne@example.org", "claire@example.org")  # noqa: E731
    assert strip(unknown.text) == known.text
    smtp_server.wait_for(1)
    assert len(smtp_server.messages) == 1


def test_only_the_token_hash_is_stored_and_it_expires_after_an_hour(
    app: Flask, db: Session, learner: User
) -> None:
    issued = password_resets.issue(db, learner.email, now=now())
    assert issued is not None
    _, token = issued
    db.commit()
    stored = db.scalar(select(PasswordReset))
    assert stored is not None
    assert token not in stored.token_hash
    assert stored.token_hash == password_resets.token_hash(token)
    late = now() + timedelta(hours=1, seconds=1)
    assert password_resets.find(db, token, now=now() + timedelta(minutes=59)) is not None
    assert password_resets.find(db, token, now=late) is None
    assert password_resets.reset(db, token, NEW_PASSWORD, now=late) is None


def test_a_mailbox_cannot_be_flooded(app: Flask, db: Session, learner: User) -> None:
    issued = [password_resets.issue(db, learner.email, now=now()) for _ in range(5)]
    assert [i is not None for i in issued] == [True, True, True, False, False]
    assert password_resets.issue(db, learner.email, now=now() + timedelta(hours=2)) is not None


def test_a_reset_uses_up_every_link_of_the_account(app: Flask, db: Session, learner: User) -> None:
    first = password_resets.issue(db, learner.email, now=now())
    second = password_resets.issue(db, learner.email, now=now())
    assert first
    assert second
    assert password_resets.reset(db, second[1], NEW_PASSWORD, now=now()) is not None
    assert password_resets.find(db, first[1], now=now()) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password": "court", "confirm": "court"}, "Le mot de passe doit compter"),
        ({"password": NEW_PASSWORD, "confirm": "autre-chose"}, "ne sont pas identiques"),
    ],
)
def test_a_bad_new_password_shows_the_form(
    client: FlaskClient, db: Session, learner: User, data: dict[str, str], message: str
) -> None:
    issued = password_resets.issue(db, learner.email, now=utcnow())
    db.commit()
    assert issued is not None
    response = client.post(f"/password/reset/{issued[1]}", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert "<title>Erreur : " in response.text
    assert 'id="erreurs"' in response.text


def test_an_unknown_token_explains_itself(client: FlaskClient) -> None:
    response = client.get("/password/reset/nimporte-quoi")
    assert response.status_code == 404
    assert "Lien expiré ou déjà utilisé" in response.text


def test_registration_says_the_name_is_printed_on_the_certificate(client: FlaskClient) -> None:
    page = client.get("/register").text
    assert "imprimé sur votre certificat" in page
    assert 'aria-describedby="display_name-hint"' in page


def test_the_account_page_renames(
    client: FlaskClient, login: Callable[..., FlaskClient], learner: User, db: Session
) -> None:
    login(learner)
    page = client.get("/account")
    assert "imprimé sur votre certificat" in page.text
    done = client.post("/account", data={"action": "name", "display_name": "  Claire Dupont "})
    assert done.status_code == 302
    db.expire_all()
    assert db.get(User, learner.id).display_name == "Claire Dupont"  # type: ignore[union-attr]
    assert "Claire Dupont" in client.get("/account").text


def test_the_email_changes_only_with_the_password(mail_app: Flask, smtp_server: SmtpSink) -> None:
    user = _user(mail_app)
    _user(mail_app, "pris@example.org")
    client = mail_app.test_client()
    _log_in(client, user.email)
    wrong = client.post(
        "/account",
        data={"action": "email", "email": "neuve@example.org", "current_password": "faux-mdp!"},
    )
    assert wrong.status_code == 400
    assert "Ce mot de passe n&#39;est pas le bon." in wrong.text
    taken = client.post(
        "/account",
        data={"action": "email", "email": "PRIS@example.org", "current_password": PASSWORD},
    )
    assert taken.status_code == 400
    assert "Un compte existe déjà" in taken.text
    done = client.post(
        "/account",
        data={"action": "email", "email": "Neuve@Example.org", "current_password": PASSWORD},
    )
    assert done.status_code == 302
    assert _log_in(mail_app.test_client(), "neuve@example.org") == 302
    [notice] = smtp_server.wait_for(1)
    assert notice["To"] == "claire@example.org"  # the old address hears of it
    assert "neuve@example.org" in body_of(notice)


def test_changing_the_password_ends_the_other_sessions_only(
    client: FlaskClient, app: Flask, login: Callable[..., FlaskClient], learner: User
) -> None:
    login(learner)
    other = login(learner, app.test_client())
    data = {"action": "password", "current_password": PASSWORD}
    wrong = client.post(
        "/account",
        data={
            **data,
            "current_password": "faux",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert wrong.status_code == 400
    assert "<title>Erreur : " in wrong.text
    done = client.post("/account", data={**data, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302
    assert _log_in(app.test_client(), learner.email, NEW_PASSWORD) == 302


def test_an_unknown_action_just_shows_the_page(
    client: FlaskClient, login: Callable[..., FlaskClient], learner: User
) -> None:
    login(learner)
    assert client.post("/account", data={"action": "autre"}).status_code == 200
    assert client.post("/account", data={}).status_code == 200
