"""« Enregistrer sans valider »: an open attempt keeps what was chosen, unscored, till submitted."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from course.services.models import AnswerRow, AttemptDraft, Event, Submission, User
from tests.conftest import PASSWORD, make_app

from .test_journey import RIGHT, start_attempt
from .test_question_types import app  # noqa: F401  (the fixture course with every type)

# Every type of both quizzes, with every certainty level, as the learner chose them.
M1_CHOSEN = {
    "q-q-single": ["b"],
    "q-q-multiple": ["a", "c"],
    "q-q-vf": ["true"],
    "q-q-num": ["69.5"],
    "q-q-text": ["catalyse"],
    "c-q-single": ["1"],
    "c-q-vf": ["2"],
    "c-q-text": ["3"],
}
BACKGROUND = {"X-Background": "1"}  # what the page's autosave sends: no page in answer
PRETEST_CHOSEN = {
    "q-trous-nom": ["catalyse"],
    "q-trous-qui": ["y"],  # one typed blank, one picked
    "q-ordre": ["trois", "un", "deux"],
    "q-paires-p1": ["p2"],
    "q-paires-p3": ["p3"],  # p2 and p4 left unmatched
}


class Chosen(HTMLParser):
    """Collect what a form shows as chosen: checked boxes, selected options, typed values."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, list[str]] = {}
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "select":
            self.select = a["name"]
        elif tag == "option" and "selected" in a and a.get("value"):
            self.add(self.select, a["value"])
        elif tag == "input" and (
            (a.get("type") in ("radio", "checkbox") and "checked" in a)
            or (a.get("type") == "text" and a.get("value"))
        ):
            self.add(a["name"], a["value"])

    def add(self, name: str | None, value: str | None) -> None:
        assert name is not None
        assert value is not None
        self.found.setdefault(name, []).append(value)


def chosen(page: str) -> dict[str, list[str]]:
    form = page[page.index('<form method="post" class="quiz"') :]
    parser = Chosen()
    parser.feed(form[: form.index("</form>")])
    # Checkboxes come in the attempt's shuffled order; only the ranks of `ordering` are ordered.
    return {name: sorted(v) if name == "q-q-multiple" else v for name, v in parser.found.items()}


def counts(db: Session) -> list[int]:
    found = [db.scalar(select(func.count()).select_from(t)) or 0 for t in (Submission, AnswerRow)]
    found.append(db.scalar(select(func.count()).where(Event.verb == "answered")) or 0)
    db.rollback()  # end the test's transaction: on SQLite it holds the write lock
    return found


@pytest.mark.parametrize(
    ("quiz_id", "form"), [("m1-quiz", M1_CHOSEN), ("m1-positionnement", PRETEST_CHOSEN)]
)
def test_a_draft_keeps_every_type_and_certainty_and_scores_nothing(
    client: FlaskClient,
    learner: User,
    login: Callable[[User], FlaskClient],
    db: Session,
    quiz_id: str,
    form: dict[str, list[str]],
) -> None:
    login(learner)
    attempt = start_attempt(client, quiz_id)
    assert chosen(client.get(attempt).text) == {}
    saved = client.post(f"{attempt}/draft", data=form)
    assert saved.status_code == 302
    assert saved.location == attempt
    page = client.get(attempt).text
    assert "Brouillon enregistré le" in page
    assert chosen(page) == form
    assert "<title>Erreur" not in page  # a draft may leave questions blank: no complaint
    assert counts(db) == [0, 0, 0]
    history = client.get(f"/quizzes/{quiz_id}/attempts").text
    assert "En cours" in history
    assert client.post(f"/quizzes/{quiz_id}/attempts").location == attempt  # the same attempt


def test_saving_again_replaces_the_draft_and_submitting_discards_it(
    client: FlaskClient, learner: User, login: Callable[[User], FlaskClient], db: Session
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    client.post(f"{attempt}/draft", data=M1_CHOSEN)
    client.post(f"{attempt}/draft", data={"q-q-single": ["a"]})
    assert chosen(client.get(attempt).text) == {"q-q-single": ["a"]}
    assert db.scalar(select(func.count()).select_from(AttemptDraft)) == 1
    db.rollback()
    # What is submitted is what the form posts, not the draft.
    assert client.post(attempt, data=RIGHT).status_code == 302
    assert db.scalar(select(Submission.score)) == 1
    assert db.scalar(select(func.count()).select_from(AttemptDraft)) == 0


def test_a_draft_after_submission_is_refused_and_says_so(
    client: FlaskClient, learner: User, login: Callable[[User], FlaskClient], db: Session
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    client.post(attempt, data=RIGHT)
    refused = client.post(f"{attempt}/draft", data=M1_CHOSEN)
    assert refused.status_code == 302
    review = client.get(refused.location).text
    assert "Ces réponses ne sont pas enregistrées : la tentative est déjà validée" in review
    assert "Quiz réussi" in review
    late = client.post(f"{attempt}/draft", data=M1_CHOSEN, headers=BACKGROUND)
    assert (late.status_code, late.data) == (409, b"")
    assert db.scalar(select(func.count()).select_from(AttemptDraft)) == 0
    assert db.scalar(select(func.count()).select_from(Submission)) == 1


def test_an_unreadable_answer_is_not_saved_as_a_draft(
    client: FlaskClient, learner: User, login: Callable[[User], FlaskClient], db: Session
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    unreadable = {**M1_CHOSEN, "q-q-single": ["zz"]}
    response = client.post(f"{attempt}/draft", data=unreadable)
    assert response.status_code == 400
    assert "<title>Erreur : " in response.text
    assert "ne fait pas partie des choix proposés" in response.text
    assert 'value="69.5"' in response.text  # the rest is kept on the page
    background = client.post(f"{attempt}/draft", data=unreadable, headers=BACKGROUND)
    assert (background.status_code, background.data) == (400, b"")
    assert db.scalar(select(func.count()).select_from(AttemptDraft)) == 0


def test_a_draft_of_a_locked_quiz_is_refused(
    client: FlaskClient, learner: User, login: Callable[[User], FlaskClient], db: Session
) -> None:
    login(learner)
    client.post(start_attempt(client, "m1-quiz"), data=RIGHT)
    attempt = start_attempt(client, "m2-quiz")
    db.execute(Submission.__table__.update().values(passed=False))  # the lock comes back
    db.commit()
    response = client.post(f"{attempt}/draft", data={"q-q-order": ["un", "deux", "trois"]})
    assert response.status_code == 403
    assert db.scalar(select(func.count()).select_from(AttemptDraft)) == 0


def token(on: FlaskClient, path: str) -> str:
    """Return the CSRF token of the form on that page."""
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', on.get(path).text)
    assert found is not None
    return found.group(1)


def log_in(on: FlaskClient, user: User) -> None:
    """Log in through the form, CSRF token included."""
    form = {"email": user.email, "password": PASSWORD, "csrf_token": token(on, "/login")}
    assert on.post("/login", data=form).status_code == 302


def test_a_draft_needs_the_csrf_token(database_url: str, learner: User, db: Session) -> None:
    secured = make_app(database_url, WTF_CSRF_ENABLED=True)
    browser = secured.test_client()
    log_in(browser, learner)
    started = browser.post("/quizzes/m1-quiz/attempts", data={"csrf_token": token(browser, "/")})
    attempt = started.location
    assert browser.post(f"{attempt}/draft", data=M1_CHOSEN).status_code == 400
    signed = {**M1_CHOSEN, "csrf_token": token(browser, attempt)}
    assert browser.post(f"{attempt}/draft", data=signed).status_code == 302
    assert db.scalar(select(func.count()).select_from(AttemptDraft)) == 1
    secured.extensions["database"].dispose()


def test_a_draft_keeps_to_the_form_limits(
    client: FlaskClient, learner: User, login: Callable[[User], FlaskClient], db: Session
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    too_many = {f"x{n}": "1" for n in range(1100)}
    assert client.post(f"{attempt}/draft", data=too_many).status_code == 413
    too_long = client.post(f"{attempt}/draft", data={"q-q-text": "a" * 501})
    assert too_long.status_code == 400
    assert db.scalar(select(func.count()).select_from(AttemptDraft)) == 0


def test_a_background_draft_answers_without_a_page(
    database_url: str, learner: User, make_user: Callable[..., User], db: Session
) -> None:
    secured = make_app(database_url, WTF_CSRF_ENABLED=True)
    browser, stranger = secured.test_client(), secured.test_client()
    log_in(browser, learner)
    started = browser.post("/quizzes/m1-quiz/attempts", data={"csrf_token": token(browser, "/")})
    attempt = started.location
    signed = {**M1_CHOSEN, "csrf_token": token(browser, attempt)}
    unsigned = browser.post(f"{attempt}/draft", data=M1_CHOSEN, headers=BACKGROUND)
    assert unsigned.status_code == 400
    saved = browser.post(f"{attempt}/draft", data=signed, headers=BACKGROUND)
    assert (saved.status_code, saved.data) == (204, b"")
    assert chosen(browser.get(attempt).text) == M1_CHOSEN
    # Logged out (or the session expired): a bare 401, not the login page, and nothing saved.
    anonymous = {"q-q-single": ["a"], "csrf_token": token(stranger, "/login")}
    out = stranger.post(f"{attempt}/draft", data=anonymous, headers=BACKGROUND)
    assert (out.status_code, out.data, out.location) == (401, b"", None)
    # Another learner may not write in this attempt.
    log_in(stranger, make_user("autre@example.org"))
    theirs = {"q-q-single": ["a"], "csrf_token": token(stranger, "/")}
    assert stranger.post(f"{attempt}/draft", data=theirs, headers=BACKGROUND).status_code == 404
    assert chosen(browser.get(attempt).text) == M1_CHOSEN
    db.rollback()
    secured.extensions["database"].dispose()
