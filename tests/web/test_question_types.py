"""A cloze question and partial ordering and matching, taken and reviewed through the web."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from course.services.models import AnswerRow, Submission, User
from tests.conftest import FIXTURE_COURSE, make_app

from .test_journey import start_attempt

PRETEST = """\
id: m1-positionnement
module: m1
kind: pretest
title: "Positionnement"
pass_mark: 0.5
shuffle: false
misconceptions:
  public-confondu: "Prendre les clients pour les acteurs"
questions:
  - id: trous
    type: cloze
    prompt: "Complétez la définition."
    objective: m1-o1
    text: "La [[nom]] territoriale réunit des [[qui]] de mondes différents."
    blanks:
      - {id: nom, accept: ["catalyse"]}
      - id: qui
        choices:
          - {id: x, text: "acteurs", correct: true}
          - {id: y, text: "clients", misconception: public-confondu}
    feedback_wrong: "Relisez la définition."
  - id: ordre
    type: ordering
    partial: true
    prompt: "Remettez dans l'ordre."
    objective: m1-o1
    items: [{id: un, text: "Un"}, {id: deux, text: "Deux"}, {id: trois, text: "Trois"}]
    feedback_wrong: "Un, deux, trois."
  - id: paires
    type: matching
    partial: true
    prompt: "Associez."
    objective: m1-o1
    pairs:
      - {id: p1, left: "Chat", right: "Miaou"}
      - {id: p2, left: "Chien", right: "Ouaf"}
      - {id: p3, left: "Vache", right: "Meuh"}
      - {id: p4, left: "Coq", right: "Cocorico"}
    feedback_wrong: "Écoutez-les."
"""
ANSWERS = {
    "q-trous-nom": ["  Catalyse. "],  # right once folded
    "q-trous-qui": ["y"],  # wrong, tagged
    "q-ordre": ["deux", "un", "trois"],  # 2 of 3 pairs in order
    "q-paires-p1": ["p1"],
    "q-paires-p2": ["p3"],
    "q-paires-p3": ["p2"],
    "q-paires-p4": ["p4"],  # 2 of 4 pairs right
}


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The fixture course whose pre-test holds a cloze and partial ordering and matching."""
    root = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, root)
    (root / "quizzes" / "m1-positionnement.yaml").write_text(PRETEST)
    application = make_app(database_url, root)
    yield application
    application.extensions["database"].dispose()


def words(html: str) -> str:
    return " ".join(unescape(re.sub("<[^>]+>", " ", html)).split())


def section(page: str, question_id: str) -> str:
    start = page.index(f'id="question-{question_id}"')
    return words(page[start : page.index("</section>", start)])


def test_the_form_has_one_field_per_blank_and_no_answer(
    client: FlaskClient, learner: User, login: Callable[[User], FlaskClient]
) -> None:
    login(learner)
    page = client.get(start_attempt(client, "m1-positionnement")).text
    assert 'name="q-trous-nom"' in page
    assert '<select name="q-trous-qui" aria-label="Trou 2">' in page
    assert "catalyse" not in page.lower()


def test_an_unknown_choice_in_a_blank_shows_the_form_again(
    client: FlaskClient, learner: User, login: Callable[[User], FlaskClient]
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-positionnement")
    response = client.post(attempt, data={**ANSWERS, "q-trous-qui": ["z"]})
    assert response.status_code == 400
    assert "ne fait pas partie des choix" in response.text
    assert 'value="  Catalyse. "' in response.text


def test_partial_credit_and_a_review_part_by_part(
    client: FlaskClient, learner: User, login: Callable[[User], FlaskClient], db: Session
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-positionnement")
    review = client.get(client.post(attempt, data=ANSWERS).location).text
    fractions = dict(db.execute(select(AnswerRow.question_id, AnswerRow.fraction)).tuples().all())
    assert fractions == pytest.approx({"trous": 1 / 2, "ordre": 2 / 3, "paires": 1 / 2})
    score = db.scalar(select(Submission.score))
    assert score == pytest.approx((1 / 2 + 2 / 3 + 1 / 2) / 3)

    cloze = section(review, "trous")
    assert "◐ Partiellement correcte" in cloze
    assert "La [Catalyse.] territoriale réunit des [clients] de mondes différents." in cloze
    assert "Trou 1 : « Catalyse. » ✓ juste" in cloze
    assert "Trou 2 : « clients » ✗ attendu : « acteurs »" in cloze
    assert "Relisez la définition." in cloze

    ordering = section(review, "ordre")
    assert (
        "Rang 1 : Deux ✗ attendu : Un Rang 2 : Un ✗ attendu : Deux Rang 3 : Trois ✓ juste"
        in ordering
    )
    matching = section(review, "paires")
    assert "Chat ↔ Miaou ✓ juste" in matching
    assert "Chien ↔ Meuh ✗ attendu : Ouaf" in matching
    assert "Coq ↔ Cocorico ✓ juste" in matching
    # Position by position, pair by pair: one list item each, not one run-on paragraph.
    assert items(review, "ordre") == 3
    assert items(review, "paires") == 4


def items(page: str, question_id: str) -> int:
    start = page.index(f'id="question-{question_id}"')
    body = page[start : page.index("</section>", start)]
    found = re.search(r'<(ul|ol) class="marked">(.*?)</\1>', body, re.S)
    assert found is not None
    return found.group(2).count("<li>")


# Every question of both quizzes, by type: the fixture's m1-quiz and the pre-test above.
TYPES = {
    "q-single": "single",
    "q-multiple": "multiple",
    "q-vf": "true_false",
    "q-num": "numeric",
    "q-text": "text",
    "trous": "cloze",
    "ordre": "ordering",
    "paires": "matching",
}


def test_every_type_reviews_a_blank_answer_as_sans_reponse(
    client: FlaskClient, learner: User, login: Callable[[User], FlaskClient]
) -> None:
    login(learner)
    pages = {}
    for quiz_id in ("m1-positionnement", "m1-quiz"):
        attempt = start_attempt(client, quiz_id)
        assert client.post(attempt, data={"confirm_blank": "1"}).status_code == 302
        pages[quiz_id] = client.get(attempt).text
    for question_id in TYPES:
        page = pages["m1-quiz" if question_id.startswith("q-") else "m1-positionnement"]
        review = section(page, question_id)
        assert "Votre réponse : sans réponse" in review, TYPES[question_id]
        assert "✗ Incorrecte" in review, TYPES[question_id]


def test_a_blank_pair_or_blank_reads_sans_reponse_among_the_answered_ones(
    client: FlaskClient, learner: User, login: Callable[[User], FlaskClient]
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-positionnement")
    partly = {"q-trous-nom": ["catalyse"], "q-paires-p1": ["p1"], "q-ordre": ANSWERS["q-ordre"]}
    client.post(attempt, data={**partly, "confirm_blank": "1"})
    review = client.get(attempt).text
    assert "Trou 2 : sans réponse ✗ attendu : « acteurs »" in section(review, "trous")
    assert "Chien ↔ sans réponse ✗ attendu : Ouaf" in section(review, "paires")
