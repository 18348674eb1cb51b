"""Short write transactions (issue 13, finding 4): bounded forms, no slow work under the lock.

The app under test is strict: hashing a password inside a request's write transaction raises
(`forbid_write_lock`), so every password route below answering normally is the proof that its
hashing ran holding no lock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, template_rendered
from flask.signals import before_render_template
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from course.domain import form_bounds
from course.services import accounts
from course.services.db import Database, WriteLockHeld, holding_write_lock
from course.services.models import User
from course.services.statement_log import recorded
from tests.conftest import PASSWORD, now
from tests.factories import fixture_course

from .test_journey import RIGHT, start_attempt

NEW_PASSWORD = "trois-pommes-vertes-au-jardin"


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the app's engine runs while the test lasts."""
    with recorded(app.extensions["database"].pooled) as seen:
        yield seen


@pytest.fixture
def renders(app: Flask) -> Iterator[list[tuple[str, bool]]]:
    """Each page rendered (name), and whether a write lock was held before or after it."""
    seen: list[tuple[str, bool]] = []

    def note(_app: Flask, template: Any, **_context: Any) -> None:
        seen.append((template.name, holding_write_lock()))

    before_render_template.connect(note, app)
    template_rendered.connect(note, app)
    yield seen
    before_render_template.disconnect(note, app)
    template_rendered.disconnect(note, app)


@pytest.fixture
def learner_in(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> FlaskClient:
    """The learner, logged in, with the first quiz passed (the tool is open)."""
    login(learner)
    client.post(start_attempt(client, "m1-quiz"), data=RIGHT)
    return client


def fields(count: int, prefix: str = "f-x") -> dict[str, str]:
    return {f"{prefix}{n}": "y" for n in range(count)}


def test_a_tool_form_over_its_bound_is_refused_before_any_query(
    learner_in: FlaskClient, statements: list[str]
) -> None:
    bound = form_bounds.tool_fields(fixture_course().tools["outil-1"])
    statements.clear()
    response = learner_in.post("/tools/outil-1", data=fields(bound + 1))
    assert response.status_code == 413
    assert f"Ce formulaire a envoyé {bound + 1} champs ; il en compte au plus {bound}" in (
        response.text
    )
    queries = [s for s in statements if not s.startswith("BEGIN")]
    assert "BEGIN IMMEDIATE" not in statements  # no write lock taken
    assert queries
    assert all(s.startswith("SELECT") for s in queries)  # the page's viewer, read


def test_a_tool_form_at_its_bound_is_read_and_its_unknown_fields_told_once(
    learner_in: FlaskClient,
) -> None:
    bound = form_bounds.tool_fields(fixture_course().tools["outil-1"])
    response = learner_in.post("/tools/outil-1", data={"f-nom": "C"} | fields(bound - 1))
    assert response.status_code == 400
    assert response.text.count("Champ inconnu") == 1
    assert f"et {bound - 4} autres" in response.text


def test_small_forms_take_a_handful_of_fields(client: FlaskClient, learner: User) -> None:
    login = {"email": learner.email, "password": PASSWORD}
    refused = client.post("/login", data=login | fields(form_bounds.SMALL_FORM, "x"))
    assert refused.status_code == 413
    assert "Rechargez la page" in refused.text
    assert client.post("/login", data=login | fields(5, "x")).status_code == 302


def test_an_attempt_takes_as_many_fields_as_the_largest_quiz(learner_in: FlaskClient) -> None:
    attempt = start_attempt(learner_in, "m2-quiz")
    bound = form_bounds.attempt_fields(fixture_course())
    assert learner_in.post(attempt, data=fields(bound + 1, "q-x")).status_code == 413
    assert learner_in.post(attempt, data=fields(bound - 10, "q-x")).status_code in (302, 400)


def test_hashing_in_a_requests_write_transaction_raises(database_url: str) -> None:
    database = Database(database_url, strict=True)
    session = database.session(writer=True, guarded=True)
    try:
        session.scalar(select(func.count()).select_from(User))  # the write lock is taken
        with pytest.raises(WriteLockHeld):
            accounts.hash_password(NEW_PASSWORD)
        with pytest.raises(WriteLockHeld):
            accounts.password_matches(None, NEW_PASSWORD)
        session.commit()
        assert accounts.password_matches(None, NEW_PASSWORD) is False  # no lock: allowed
    finally:
        session.close()
        database.dispose()


def test_a_released_writer_rolls_back_what_it_wrote_and_then_only_reads(
    database_url: str,
) -> None:
    database = Database(database_url, strict=True)
    session = database.session(writer=True, guarded=True)
    try:
        accounts.create_user(
            session, email="a@example.org", display_name="A", password_hash="x", now=now()
        )
        session.flush()
        assert holding_write_lock()
        database.release(session)
        assert not holding_write_lock()
        assert session.scalar(select(func.count()).select_from(User)) == 0
        assert not holding_write_lock()  # a reader's transaction now
    finally:
        session.close()
        database.dispose()


def test_a_writer_whose_flush_failed_is_released_rolled_back(database_url: str) -> None:
    """A page rendered after a failed write (the error page) must not commit what failed."""
    database = Database(database_url, strict=True)
    session = database.session(writer=True, guarded=True)
    try:
        for name in ("A", "B"):  # the same address twice: the flush fails
            session.add(
                User(email="a@example.org", display_name=name, password_hash="x", created_at=now())
            )
        with pytest.raises(IntegrityError):
            session.flush()
        database.release(session)
        assert not holding_write_lock()
        assert session.scalar(select(func.count()).select_from(User)) == 0
    finally:
        session.close()
        database.dispose()


def test_every_password_route_hashes_holding_no_lock(
    app: Flask, client: FlaskClient, renders: list[tuple[str, bool]]
) -> None:
    email = "louise@example.org"
    registration = {"email": email, "display_name": "Louise Martin"}
    registered = client.post(
        "/register", data=registration | {"password": PASSWORD, "confirm": PASSWORD}
    )
    assert registered.status_code == 302, registered.text
    change = {"action": "password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    wrong = client.post("/account", data=change | {"current_password": "pas-le-bon"})
    assert wrong.status_code == 400
    assert "pas le bon" in wrong.text
    assert client.post("/account", data=change | {"current_password": PASSWORD}).status_code == 302
    moved = {"action": "email", "email": "louise.m@example.org", "current_password": NEW_PASSWORD}
    assert client.post("/account", data=moved).status_code == 302
    assert (
        client.post("/password/forgot", data={"email": "louise.m@example.org"}).status_code == 200
    )
    link = re.search(r"(/password/reset/\S+)", app.extensions["mailman"].outbox[-1].body)
    assert link is not None
    reset = {"password": PASSWORD, "confirm": PASSWORD}
    assert client.post(link.group(1), data=reset).status_code == 302
    assert client.post("/logout").status_code == 302
    login = {"email": "louise.m@example.org", "password": PASSWORD}
    assert client.post("/login", data=login).status_code == 302
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    assert len(renders) > 4
    assert not [r for r in renders if r[1]]


def test_no_page_renders_holding_the_write_lock(
    learner_in: FlaskClient, renders: list[tuple[str, bool]]
) -> None:
    assert learner_in.post("/tools/outil-1", data={"f-nom": ""}).status_code == 400
    attempt = start_attempt(learner_in, "m1-quiz")
    assert learner_in.post(attempt, data={**RIGHT, "q-q-num": ["dix"]}).status_code == 400
    assert (
        learner_in.post("/account", data={"action": "name", "display_name": ""}).status_code == 400
    )
    assert learner_in.post("/trainer/cohorts").status_code == 403  # an error page, too
    pages = [name for name, _ in renders]
    assert {"tools/tool.html", "quiz/attempt.html", "account/account.html"} <= set(pages)
    assert not [r for r in renders if r[1]]
