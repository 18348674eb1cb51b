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
    assert db.scalar(select(func.count()).select_from(AttemptDraft)) == 0
    assert db.scalar(select(func.count()).select_from(Submission)) == 1


def test_an_unreadable_answer_is_not_saved_as_a_draft(
    client: FlaskClient, learner: User, login: Callable[[User], FlaskClient], db: Session
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    response = client.post(f"{attempt}/draft", data={**M1_CHOSEN, "q-q-single": ["zz"]})
    assert response.status_code == 400
    assert "<title>Erreur : " in response.text
    assert "ne fait pas partie des choix proposés" in response.text
    assert 'value="69.5"' in response.text  # the rest is kept on the page
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


def test_a_draft_needs_the_csrf_token(database_url: str, learner: User, db: Session) -> None:
    secured = make_app(database_url, WTF_CSRF_ENABLED=True)
    browser = secured.test_client()

    def token(path: str) -> str:
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', browser.get(path).text)
        assert found is not None
        return found.group(1)

    login = {"email": learner.email, "password": PASSWORD, "csrf_token": token("/login")}
    assert browser.post("/login", data=login).status_code == 302
    started = browser.post("/quizzes/m1-quiz/attempts", data={"csrf_token": token("/")})
    attempt = started.location
    assert browser.post(f"{attempt}/draft", data=M1_CHOSEN).status_code == 400
    signed = {**M1_CHOSEN, "csrf_token": token(attempt)}
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
