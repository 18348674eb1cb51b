"""Login sessions through the test client: idle and absolute expiry, « Rester connecté », ending
sessions from the account page, replayed and old cookies (issue 13, finding 5).

Time moves with the `clock` fixture, which replaces `course.clock.utcnow`: the one clock the
session checks read.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session

from course import clock as course_clock
from course.services import accounts
from course.services.models import LoginSession, Submission, User
from course.services.statement_log import recorded
from tests.conftest import PASSWORD, make_app, now
from tests.factories import RIGHT_M1, make_cohort

EXPIRED = "Votre session a expiré"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock(now())
    monkeypatch.setattr(course_clock, "utcnow", moved)
    return moved


def log_in(client: FlaskClient, user: User, *, remember: bool = False) -> FlaskClient:
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data, headers={"User-Agent": FIREFOX})
    assert response.status_code == 302, response.text
    return client


def logged_in(client: FlaskClient, path: str = "/") -> bool:
    response = client.get(path)
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


def session_ids(db: Session, user: User) -> list[int]:
    """Return the user's session rows (ending the read, so the app may write on SQLite)."""
    query = select(LoginSession.id).where(LoginSession.user_id == user.id)
    found = list(db.scalars(query.order_by(LoginSession.id)))
    db.commit()
    return found


def last_seen(db: Session, session_id: int) -> datetime:
    """Return when the session's last request was written down."""
    found = db.scalar(select(LoginSession.last_seen_at).where(LoginSession.id == session_id))
    db.commit()
    assert found is not None
    return found


def test_a_session_ends_after_30_idle_minutes_with_a_clear_message_keeping_next(
    client: FlaskClient, learner: User, clock: Clock
) -> None:
    log_in(client, learner)
    for _ in range(3):  # active: a request every 29 minutes keeps it open past 30 minutes
        clock.advance(minutes=29)
        assert logged_in(client)
    clock.advance(minutes=30)
    response = client.get("/modules/m1?vue=1")
    assert response.status_code == 302
    assert response.location == "/login?next=%2Fmodules%2Fm1%3Fvue%3D1"
    page = client.get(response.location)
    assert EXPIRED in page.text
    assert "Connectez-vous pour accéder" not in page.text
    clock.advance(minutes=1)
    assert not logged_in(client)  # and it stays ended


def test_a_form_sent_after_expiry_comes_back_to_a_page_that_opens(
    client: FlaskClient, learner: User, clock: Clock
) -> None:
    log_in(client, learner)
    clock.advance(minutes=31)
    step = "http://localhost/modules/m1/steps/m1-intro"
    done = client.post(f"{step}/complete", headers={"Referer": step})
    assert done.location == "/login?next=%2Fmodules%2Fm1%2Fsteps%2Fm1-intro"  # the form's page
    log_in(client, learner)
    clock.advance(minutes=31)
    elsewhere = client.post(f"{step}/complete", headers={"Referer": "https://evil.example/x"})
    assert elsewhere.location == "/login?next=%2F"
    log_in(client, learner)
    clock.advance(minutes=31)
    started = client.post("/quizzes/m1-quiz/attempts")
    assert started.location == "/login?next=%2Fquizzes%2Fm1-quiz%2Fattempts"
    assert EXPIRED in client.get("/login").text


def test_the_idle_clock_is_written_down_at_most_every_five_minutes(
    client: FlaskClient, db: Session, learner: User, clock: Clock
) -> None:
    log_in(client, learner)
    [row_id] = session_ids(db, learner)
    clock.advance(minutes=3)
    assert logged_in(client)
    assert last_seen(db, row_id) == now()  # not yet: no write on every request
    clock.advance(minutes=3)
    assert logged_in(client)
    assert last_seen(db, row_id) == now() + timedelta(minutes=6)


@pytest.mark.parametrize(
    "path",
    ["/modules/m1/steps/m1-intro", "/trainer/cohorts/{cohort}"],  # a reader; a writer (@writes)
)
def test_a_page_writes_the_idle_clock_whatever_its_database_session(
    client: FlaskClient,
    db: Session,
    learner: User,
    make_user: Callable[..., User],
    clock: Clock,
    path: str,
) -> None:
    trainer = make_user("formatrice@example.org", role="trainer")
    cohort = make_cohort(db, trainer, learner)
    log_in(client, trainer)
    [row_id] = session_ids(db, trainer)
    clock.advance(minutes=6)
    assert client.get(path.format(cohort=cohort.id)).status_code == 200
    assert last_seen(db, row_id) == now() + timedelta(minutes=6)


def test_a_page_reads_the_person_their_session_and_progress_in_one_query_and_writes_nothing(
    app: Flask, client: FlaskClient, learner: User, clock: Clock
) -> None:
    log_in(client, learner)
    step = "/modules/m1/steps/m1-intro"
    assert logged_in(client, step)  # the first visit records the opening
    clock.advance(minutes=4)
    with recorded(app.extensions["database"].pooled) as statements:
        assert logged_in(client, step)
    assert len(statements) == 1, statements  # the session, its account, the progress
    assert "JOIN users" in statements[0]
    assert "step_completions" in statements[0]
    assert statements[0].startswith("SELECT")


def test_a_session_ends_12_hours_after_login_however_active(
    client: FlaskClient, learner: User, clock: Clock
) -> None:
    log_in(client, learner)
    for _ in range(35):
        clock.advance(minutes=20)
        assert logged_in(client)
    clock.advance(minutes=20)  # 12 hours
    assert not logged_in(client)


def test_rester_connecte_lasts_beyond_12_hours_but_not_beyond_30_days(
    client: FlaskClient, learner: User, clock: Clock
) -> None:
    log_in(client, learner, remember=True)
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.expires is not None
    clock.advance(hours=13)
    assert logged_in(client)
    clock.advance(days=20)
    assert logged_in(client)
    clock.advance(days=9, hours=10, minutes=59)
    assert logged_in(client)  # 29 days, 23 h 59
    clock.advance(minutes=1)
    assert not logged_in(client)


@pytest.mark.parametrize("remember", [False, True])
def test_the_cookie_is_sent_again_at_most_once_a_minute(
    client: FlaskClient, learner: User, clock: Clock, remember: bool
) -> None:
    log_in(client, learner, remember=remember)
    same_browser = {"User-Agent": FIREFOX}
    client.get("/", headers=same_browser)  # the first page's forms add their CSRF token
    clock.advance(seconds=59)
    assert "Set-Cookie" not in client.get("/", headers=same_browser).headers
    clock.advance(seconds=1)
    assert "Set-Cookie" in client.get("/", headers=same_browser).headers  # the idle clock moves


def test_a_normal_session_cookie_dies_with_the_browser(client: FlaskClient, learner: User) -> None:
    log_in(client, learner)
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.expires is None


def test_a_cookie_replayed_after_logout_is_refused(
    app: Flask, client: FlaskClient, db: Session, learner: User
) -> None:
    log_in(client, learner)
    other = log_in(app.test_client(), learner)  # another browser stays logged in
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert client.post("/logout").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie.value)
    assert not logged_in(replay)
    assert replay.post("/modules/m1/steps/m1-intro/complete").location.startswith("/login")
    assert logged_in(other)
    assert len(session_ids(db, learner)) == 1


def test_the_account_page_lists_sessions_and_ends_another(
    app: Flask, client: FlaskClient, db: Session, learner: User
) -> None:
    log_in(client, learner)
    phone = log_in(app.test_client(), learner)
    here, there = session_ids(db, learner)
    page = client.get("/account").text
    assert page.count(">cette session<") == 1
    assert page.count("<strong>Firefox · Linux</strong>") == 2
    assert f"/account/sessions/{there}/end" in page
    ended = client.post(f"/account/sessions/{there}/end")
    assert ended.status_code == 302
    assert not logged_in(phone)
    assert logged_in(client)
    assert session_ids(db, learner) == [here]
    assert "Déconnecter les autres sessions" not in client.get("/account").text


def test_ending_this_session_from_the_account_page_logs_out(
    client: FlaskClient, db: Session, learner: User
) -> None:
    log_in(client, learner)
    [here] = session_ids(db, learner)
    response = client.post(f"/account/sessions/{here}/end")
    assert response.location == "/login"
    assert not logged_in(client)
    assert session_ids(db, learner) == []


def test_ending_the_other_sessions_keeps_this_one(
    app: Flask, client: FlaskClient, db: Session, learner: User
) -> None:
    log_in(client, learner)
    others = [log_in(app.test_client(), learner) for _ in range(2)]
    assert "Déconnecter les autres sessions" in client.get("/account").text
    assert client.post("/account/sessions/others/end").status_code == 302
    assert logged_in(client)
    assert not any(logged_in(o) for o in others)
    assert len(session_ids(db, learner)) == 1


def test_another_users_session_cannot_be_ended(
    app: Flask,
    client: FlaskClient,
    db: Session,
    learner: User,
    make_user: Callable[..., User],
) -> None:
    someone = make_user("autre@example.org")
    theirs = log_in(app.test_client(), someone)
    [their_id] = session_ids(db, someone)
    log_in(client, learner)
    assert client.post(f"/account/sessions/{their_id}/end").status_code == 404
    assert client.post("/account/sessions/99999999999999999999/end").status_code == 404
    assert f"/account/sessions/{their_id}/end" not in client.get("/account").text
    assert logged_in(theirs)


def test_a_new_password_ends_the_other_sessions_through_the_table(
    app: Flask, client: FlaskClient, db: Session, learner: User
) -> None:
    log_in(client, learner)
    other = log_in(app.test_client(), learner)
    new = "une-phrase-toute-neuve"
    changed = client.post(
        "/account",
        data={"action": "password", "current_password": PASSWORD, "password": new, "confirm": new},
    )
    assert changed.status_code == 302
    assert logged_in(client)
    assert not logged_in(other)
    assert len(session_ids(db, learner)) == 1


@pytest.mark.parametrize(
    "user_id",
    [
        "1:0123456789abcdef0123456789abcdef",  # a token from before login sessions
        "1",  # older still
        "1:1:not-the-secret",
        "99999999999999999999999:1:x",
    ],
)
def test_cookies_from_before_the_migration_ask_to_log_in_again(
    app: Flask, learner: User, user_id: str
) -> None:
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = user_id
        cookie["_fresh"] = True
    assert client.get("/about").status_code == 200
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    assert client.post("/modules/m1/steps/m1-intro/complete").status_code == 302
    with client.session_transaction() as cookie:
        assert "_user_id" not in cookie  # dropped: the next requests do not look it up again


def test_the_login_form_offers_to_stay_logged_in(client: FlaskClient) -> None:
    page = client.get("/login").text
    assert re.search(r'<input[^>]+id="remember"[^>]+type="checkbox"', page)
    assert "Rester connecté" in page
    assert "30 jours" in page


def test_durations_come_from_the_settings(database_url: str, learner: User, clock: Clock) -> None:

    app = make_app(database_url, SESSION_IDLE_MINUTES=5, SESSION_REMEMBER_DAYS=2)
    try:
        client = log_in(app.test_client(), learner)
        clock.advance(minutes=5)
        assert not logged_in(client)
        remembered = log_in(app.test_client(), learner, remember=True)
        clock.advance(days=1, hours=23)
        assert logged_in(remembered)
        clock.advance(hours=1)
        assert not logged_in(remembered)
        assert "2 jours" in app.test_client().get("/login").text
    finally:
        app.extensions["database"].dispose()


def test_expired_rows_are_cleared_at_the_next_login(
    app: Flask, db: Session, learner: User, clock: Clock
) -> None:
    log_in(app.test_client(), learner)
    clock.advance(hours=13)
    log_in(app.test_client(), learner)
    assert len(session_ids(db, learner)) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_session_ended_after_the_request_read_it_is_refused_before_it_writes(
    app: Flask, client: FlaskClient, db: Session, learner: User, database_url: str
) -> None:
    """SQLite takes the write lock at a request's first write, after it read the session: the
    session is read again under the lock, and a request whose session ended in between writes
    nothing and is sent to log in (on PostgreSQL the account's row lock comes first)."""
    log_in(client, learner)
    attempt = client.post("/quizzes/m1-quiz/attempts").location
    [session_id] = session_ids(db, learner)
    path = database_url.removeprefix("sqlite:///")
    ended: list[str] = []

    def end_the_session_meanwhile(_conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith("SELECT attempts.") and not ended:  # a read, before the lock
            assert not cursor.connection.in_transaction
            other = sqlite3.connect(path, isolation_level=None)
            other.execute("DELETE FROM login_sessions WHERE id = ?", (session_id,))
            other.close()
            ended.append(statement)

    engine = app.extensions["database"].engine
    event.listen(engine, "after_cursor_execute", end_the_session_meanwhile)
    try:
        response = client.post(attempt, data=RIGHT_M1)
    finally:
        event.remove(engine, "after_cursor_execute", end_the_session_meanwhile)
    assert ended  # the request read its attempt after the session was read
    assert response.status_code == 302
    assert response.location.startswith("/login")
    assert db.scalar(select(func.count()).select_from(Submission)) == 0
    db.commit()
    assert not logged_in(client)


def test_a_session_ended_while_the_password_was_checked_is_refused(
    app: Flask,
    client: FlaskClient,
    db: Session,
    learner: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The password is checked holding no lock (`pause_writes`); the account is held again
    after (`hold_again`), and a session ended meanwhile changes nothing and logs in again."""
    log_in(client, learner)
    [session_id] = session_ids(db, learner)
    checked = accounts.check_password

    def check_while_the_session_ends(user: User, password: str) -> bool:
        with app.extensions["database"].engine.begin() as other:
            other.execute(delete(LoginSession).where(LoginSession.id == session_id))
        return checked(user, password)

    monkeypatch.setattr(accounts, "check_password", check_while_the_session_ends)
    response = client.post(
        "/account",
        data={"action": "email", "email": "neuve@example.org", "current_password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.location.startswith("/login")
    assert db.scalar(select(User.email).where(User.id == learner.id)) == learner.email
    db.commit()
    assert not logged_in(client)
