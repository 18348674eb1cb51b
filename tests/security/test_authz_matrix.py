"""Every route answers each kind of viewer as the rule says: login, 404 (hidden) or 403 (refused).

A new route must be added to the table (a test checks that every route is in it), which makes
its author decide, for each kind of viewer, what it answers. The rule is in README.md, "Who sees
what: 404 or 403".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from course.clock import utcnow
from course.domain.login_sessions import Lifetimes
from course.services import accounts, login_sessions
from course.services.models import User
from tests.conftest import make_app
from tests.factories import (
    PASSWORD,
    RIGHT_M1,
    fixture_course,
    make_certificate,
    make_cohort,
    now,
    start_quiz,
    submit_quiz,
)


def routes(app: Flask) -> set[tuple[str, str]]:
    """Return (endpoint, method) for every rule of the app."""
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) & {"GET", "POST"}
    }


# --- The rule as a table: every route against every kind of viewer -------------------------

ACTORS = ("stranger", "owner", "learner", "trainer", "outsider", "admin")
# owner: the learner whose attempt, certificate and data the URLs name (they passed m1-quiz and
# belong to the cohort); learner: another learner, in no cohort; trainer: trains the cohort;
# outsider: a trainer of no cohort here; admin: an admin who trains nothing.
#
# ok  = served: 2xx, a redirect elsewhere than the login page, or 400 (an empty form re-shown)
# 403 = refused (role or lock), 404 = hidden (or unknown), L = sent to log in (`/login?next=`).


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    url: str
    expected: str  # one answer per actor, in ACTORS order
    form: dict[str, str] = field(default_factory=dict)


PUBLIC_ROW = "ok ok ok ok ok ok"
LOGGED_IN = "L ok ok ok ok ok"
OWN_RECORD = "L ok 404 404 404 ok"  # the learner's record: them or an admin
OWN_ONLY = "L ok 404 404 404 404"  # the learner's attempt: nobody else
COHORT = "L 403 403 ok 404 ok"  # the trainer workspace: its trainers and admins
STAFF_ONLY = "L 403 403 ok ok ok"
ADMIN_ONLY = "L 403 403 403 403 ok"
LOCKED_FOR_OTHERS = "L ok 403 403 403 403"  # only the owner passed m1-quiz

TABLE = [
    Row("static", "GET", "/static/style.css", PUBLIC_ROW),
    Row("pages.favicon", "GET", "/favicon.ico", PUBLIC_ROW),
    Row("pages.healthz", "GET", "/healthz", PUBLIC_ROW),
    Row("pages.readyz", "GET", "/readyz", PUBLIC_ROW),
    Row("pages.about", "GET", "/about", PUBLIC_ROW),
    Row("pages.page", "GET", "/pages/glossaire", PUBLIC_ROW),
    Row("pages.page", "GET", "/pages/nope", "404 404 404 404 404 404"),
    Row("pages.media", "GET", "/media/schema.png", PUBLIC_ROW),  # a course's images, as static
    Row("pages.media", "GET", "/media/../modules/course.md", "404 404 404 404 404 404"),
    Row("auth.login", "GET", "/login", PUBLIC_ROW),
    Row("auth.login", "POST", "/login", PUBLIC_ROW),
    Row("auth.register", "GET", "/register", PUBLIC_ROW),
    Row("auth.register", "POST", "/register", PUBLIC_ROW),
    Row("account.forgot", "GET", "/password/forgot", PUBLIC_ROW),
    Row("account.forgot", "POST", "/password/forgot", PUBLIC_ROW),
    Row("account.reset", "GET", "/password/reset/forged", "404 404 404 404 404 404"),
    Row("account.reset", "POST", "/password/reset/forged", "404 404 404 404 404 404"),
    Row("account.account", "GET", "/account", LOGGED_IN),
    Row("account.account", "POST", "/account", LOGGED_IN),
    Row("groups.join_link", "GET", "/join/{join}", PUBLIC_ROW),
    Row("groups.join", "GET", "/join", LOGGED_IN),
    Row("groups.join", "POST", "/join", LOGGED_IN),
    Row("learn.home", "GET", "/", LOGGED_IN),
    Row("learn.module", "GET", "/modules/m1", LOGGED_IN),
    Row("learn.module", "GET", "/modules/m3", "L 403 403 403 403 403"),
    Row("learn.module", "GET", "/modules/nope", "L 404 404 404 404 404"),
    Row("learn.step", "GET", "/modules/m1/steps/m1-intro", LOGGED_IN),
    Row("learn.step", "GET", "/modules/m1/steps/nope", "L 404 404 404 404 404"),
    Row("learn.complete", "POST", "/modules/m1/steps/m1-intro/complete", LOGGED_IN),
    Row("warmup.show", "GET", "/modules/m2/warmup", LOCKED_FOR_OTHERS),
    Row("warmup.check", "POST", "/modules/m2/warmup", LOCKED_FOR_OTHERS),
    Row("quiz.history_page", "GET", "/quizzes/m1-quiz/attempts", LOGGED_IN),
    Row("quiz.history_page", "GET", "/quizzes/nope/attempts", "L 404 404 404 404 404"),
    Row("quiz.attempt", "GET", "/attempts/{attempt}", OWN_ONLY),
    Row("quiz.submit", "POST", "/attempts/{attempt}", OWN_ONLY),
    Row("quiz.save_draft", "POST", "/attempts/{attempt}/draft", OWN_ONLY),
    Row("quiz.attempt", "GET", "/attempts/999999", "L 404 404 404 404 404"),
    Row("quiz.start", "POST", "/quizzes/m3-quiz/attempts", "L 403 403 403 403 403"),
    Row("quiz.start", "POST", "/quizzes/m1-quiz/attempts", LOGGED_IN),
    Row("tools.show", "GET", "/tools/outil-1", LOCKED_FOR_OTHERS),
    Row("tools.save", "POST", "/tools/outil-1", LOCKED_FOR_OTHERS),
    Row("tools.export", "GET", "/tools/outil-1/export.csv", LOCKED_FOR_OTHERS),
    Row("tools.printable", "GET", "/tools/outil-1/print", LOCKED_FOR_OTHERS),
    Row("tools.show", "GET", "/tools/nope", "L 404 404 404 404 404"),
    Row("myprogress.own", "GET", "/progress", LOGGED_IN),
    Row("myprogress.export_own", "GET", "/progress/export.json", LOGGED_IN),
    Row("myprogress.learner", "GET", "/learners/{owner}/progress", OWN_RECORD),
    # An admin may see the record, but only the learner takes their data out: refused.
    Row("myprogress.export", "GET", "/learners/{owner}/export.json", "L ok 404 404 404 403"),
    Row("myprogress.erase", "GET", "/account/delete", "L ok ok 403 403 403"),
    Row("myprogress.erase", "POST", "/account/delete", "L ok ok 403 403 403"),
    Row("certificates.verify", "GET", "/certificates/{code}", PUBLIC_ROW),
    Row("certificates.verify", "GET", "/certificates/FORGED", "404 404 404 404 404 404"),
    Row("certificates.printable", "GET", "/certificates/{code}/print", OWN_RECORD),
    Row("certificates.credential", "GET", "/certificates/{code}/credential.json", OWN_RECORD),
    Row("certificates.badge", "GET", "/certificates/{code}/badge.png", OWN_RECORD),
    Row("certificates.issuer_profile", "GET", "/certificates/issuer", PUBLIC_ROW),
    Row("certificates.public_key", "GET", "/certificates/key", PUBLIC_ROW),
    Row("certificates.public_key_pem", "GET", "/certificates/key.pem", PUBLIC_ROW),
    Row("certificates.revocation_list", "GET", "/certificates/status-list", PUBLIC_ROW),
    Row("certificates.claim", "POST", "/certificate", LOGGED_IN),
    Row("certificates.admin_list", "GET", "/admin/certificates", ADMIN_ONLY),
    Row("trainer.index", "GET", "/trainer/", STAFF_ONLY),
    Row("trainer.create_cohort", "POST", "/trainer/cohorts", STAFF_ONLY),
    Row("trainer.cohort", "GET", "/trainer/cohorts/{cohort}", COHORT),
    Row("trainer.cohort", "GET", "/trainer/cohorts/999999", "L 403 403 404 404 404"),
    Row("trainer.export_progress", "GET", "/trainer/cohorts/{cohort}/export.csv", COHORT),
    Row("trainer.export_attempts", "GET", "/trainer/cohorts/{cohort}/attempts.csv", COHORT),
    Row("trainer.gain", "GET", "/trainer/cohorts/{cohort}/gain", COHORT),
    Row("trainer.report", "GET", "/trainer/cohorts/{cohort}/report", COHORT),
    Row(
        "trainer.send_reminders",
        "POST",
        "/trainer/cohorts/{cohort}/reminders",
        COHORT,
        {"learner": "999999", "subject": "Objet", "message": "Bonjour {nom}"},
    ),
    Row("trainer.quiz", "GET", "/trainer/cohorts/{cohort}/quizzes/m1-quiz", COHORT),
    Row("trainer.quiz", "GET", "/trainer/cohorts/{cohort}/quizzes/nope", "L 403 403 404 404 404"),
    Row("trainer.learner", "GET", "/trainer/cohorts/{cohort}/learners/{owner}", COHORT),
    # A learner outside the cohort is hidden even from its trainer.
    Row(
        "trainer.learner",
        "GET",
        "/trainer/cohorts/{cohort}/learners/{learner}",
        "L 403 403 404 404 404",
    ),
    Row(
        "trainer.confirm_waiver",
        "GET",
        "/trainer/cohorts/{cohort}/learners/{owner}/waivers/new?module_id=m3",
        COHORT,
    ),
    Row(
        "trainer.waive",
        "POST",
        "/trainer/cohorts/{cohort}/learners/{owner}/waivers",
        COHORT,
        {"module_id": "m3", "reason": "Vu en séance"},
    ),
    Row(
        "trainer.mark_handled",
        "POST",
        "/trainer/cohorts/{cohort}/learners/{owner}/handled",
        COHORT,
        {"help_key": "0123456789abcdef"},
    ),
    Row("trainer.add_trainer", "POST", "/trainer/cohorts/{cohort}/trainers", COHORT),
    Row("admin.users", "GET", "/admin/users", ADMIN_ONLY),
    Row("admin.set_role", "POST", "/admin/users/{learner}/role", ADMIN_ONLY, {"role": "learner"}),
    Row("admin.set_role", "POST", "/admin/users/999999/role", "L 403 403 403 403 404"),
    # Last: these change what the rows above would see.
    Row("certificates.revoke", "POST", "/certificates/{code}/revoke", ADMIN_ONLY, {"reason": "x"}),
    # The owner's session on another browser: only they may end it.
    Row("account.end_one_session", "POST", "/account/sessions/{owner_session}/end", OWN_ONLY),
    Row("account.end_one_session", "POST", "/account/sessions/999999/end", "L 404 404 404 404 404"),
    Row("account.end_other_sessions", "POST", "/account/sessions/others/end", LOGGED_IN),
    Row("auth.logout", "POST", "/logout", LOGGED_IN),
]


@pytest.fixture
def matrix_app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app with a signing key of its own, so certificate routes can answer."""
    application = make_app(database_url, SIGNING_KEY_PATH=str(tmp_path / "key.pem"))
    yield application
    application.extensions["database"].dispose()


def arrange(db: Session, actor: str) -> tuple[dict[str, object], User | None]:
    """Store the owner's world (cohort, passed quiz, open attempt, certificate); return the
    values the URLs name and the user to log in as (None for a stranger)."""
    made = {name: _user(db, name) for name in ACTORS[1:]}
    course = fixture_course()
    submit_quiz(db, course, made["owner"].id, RIGHT_M1)
    cohort = make_cohort(db, made["trainer"], made["owner"])
    values = {
        "owner": made["owner"].id,
        "learner": made["learner"].id,
        "cohort": cohort.id,
        "join": cohort.join_code,
        "attempt": start_quiz(db, course, made["owner"].id, "m1-quiz"),
        "code": make_certificate(db, course, made["owner"]).code,
        "owner_session": _elsewhere(db, made["owner"]),
    }
    return values, made.get(actor)


def _elsewhere(db: Session, user: User) -> int:
    """Open a session for the user on another browser; return its id."""
    started = login_sessions.start(
        db, user.id, remember=False, user_agent="", now=utcnow(), lifetimes=Lifetimes()
    )
    db.commit()
    return started.id


def _user(db: Session, name: str) -> User:
    role = {"trainer": "trainer", "outsider": "trainer", "admin": "admin"}.get(name, "learner")
    user = accounts.create_user(
        db, email=f"{name}@example.org", display_name=name, password=PASSWORD, role=role, now=now()
    )
    db.commit()
    return user


def answer(response: TestResponse) -> str:
    """Classify a response as the table writes it."""
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/login?next="):
        return "L"
    if response.status_code in (403, 404):
        return str(response.status_code)
    return "ok" if response.status_code < 500 else str(response.status_code)


def test_the_table_covers_every_route(matrix_app: Flask) -> None:
    listed = {(row.endpoint, row.method) for row in TABLE}
    assert routes(matrix_app) - listed == set()
    assert all(len(row.expected.split()) == len(ACTORS) for row in TABLE)


@pytest.mark.parametrize("actor", ACTORS)
def test_every_route_answers_each_viewer_as_the_rule_says(matrix_app: Flask, actor: str) -> None:
    session = matrix_app.extensions["database"].session(writer=True)
    try:
        values, user = arrange(session, actor)
    finally:
        session.close()
    client = matrix_app.test_client()
    if user is not None:
        assert (
            client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code
            == 302
        )
    column = ACTORS.index(actor)
    wrong = []
    for row in TABLE:
        url = row.url.format(**values)
        with client.open(url, method=row.method, data=row.form) as response:
            got = answer(response)
        if got != (expected := row.expected.split()[column]):
            wrong.append(f"{row.method} {url} ({row.endpoint}): {got}, expected {expected}")
    assert wrong == []
