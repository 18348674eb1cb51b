"""Moodle's GIFT format: a bank in Moodle's shape read question by question, and the course's
own quizzes written out and read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from course.content import load_course
from course.content.gift import escape, quiz_data, read_gift, unescape, write_gift
from course.content.model import Course, Quiz
from tests.conftest import REPO_ROOT

BANK = Path(__file__).parent.parent / "fixtures" / "gift" / "moodle-bank.gift"


@pytest.fixture(scope="module")
def bank() -> dict:
    read = read_gift(BANK.read_text(encoding="utf-8"))
    return {
        "questions": {q.data["id"]: q for q in read.questions},
        "skipped": {s.line: s.reason for s in read.skipped},
    }


def test_a_single_choice_keeps_its_key_feedback_html_and_general_feedback(bank: dict) -> None:
    question = bank["questions"]["qui-pilote"]
    assert question.line == 4
    assert question.category == "$course$/top/Alliances territoriales"
    data = question.data
    assert data["type"] == "single"
    assert data["prompt"] == "<p>Qui anime le plus souvent une alliance territoriale ?</p>"
    assert [(c["id"], c.get("correct", False)) for c in data["choices"]] == [
        ("a", True),
        ("b", False),
        ("c", False),
    ]
    assert data["choices"][1]["feedback"] == "Non : l'État est un partenaire parmi d'autres."
    assert data["explanation"] == "Un catalyseur territorial anime la démarche."


def test_weights_make_a_multiple_choice_with_partial_credit(bank: dict) -> None:
    data = bank["questions"]["formes"].data
    assert data["type"] == "multiple"
    assert data["partial"] is True
    assert [c.get("correct", False) for c in data["choices"]] == [True, True, False]


def test_true_false_numeric_text_and_matching(bank: dict) -> None:
    questions = bank["questions"]
    assert (questions["odd-17"].data["type"], questions["odd-17"].data["answer"]) == (
        "true_false",
        True,
    )
    assert questions["odd-17"].data["feedback_wrong"] == "Relisez l'Agenda 2030."
    assert questions["catalyse"].data["accept"] == [
        "catalyse territoriale",
        "la catalyse territoriale",
    ]
    assert (questions["reseau"].data["answer"], questions["reseau"].data["tolerance"]) == (350, 10)
    assert (questions["plage"].data["answer"], questions["plage"].data["tolerance"]) == (25, 5)
    pairs = questions["paires"].data["pairs"]
    assert (pairs[0]["left"], pairs[0]["right"]) == (
        "Collectivité",
        "Légitimité démocratique",
    )
    assert len(pairs) == 3


def test_a_missing_word_becomes_a_cloze_with_its_choices(bank: dict) -> None:
    data = bank["questions"]["q-8"].data
    assert data["type"] == "cloze"
    assert data["text"] == (
        "Le dernier kilomètre des solutions doit répondre au premier [[mot]] des besoins."
    )
    (blank,) = data["blanks"]
    assert [c["text"] for c in blank["choices"] if c.get("correct")] == ["kilomètre"]


def test_escapes_are_undone(bank: dict) -> None:
    data = bank["questions"]["echappements"].data
    assert data["prompt"] == "Que vaut 1 = 1 {vrai} ~ pour GIFT : ?"
    assert data["accept"] == ["oui # sûr"]


def test_names_become_unique_ids(bank: dict) -> None:
    assert "qui-pilote-2" in bank["questions"]


def test_what_the_engine_cannot_take_is_named_with_its_line(bank: dict) -> None:
    skipped = bank["skipped"]
    assert set(skipped) == {36, 38, 40, 42}
    assert "essay" in skipped[36]
    assert "description" in skipped[38]
    assert "several answers" in skipped[40]
    assert "without a value" in skipped[42]


@pytest.mark.parametrize("text", ["a = b", "{x}", "~ # :", "back\\slash", "deux\nlignes", ""])
def test_escape_and_unescape_are_inverse(text: str) -> None:
    assert unescape(escape(text)) == text


@pytest.fixture(scope="module")
def real_course() -> Course:
    course, problems = load_course(REPO_ROOT)
    assert course is not None, problems
    return course


def test_every_quiz_of_the_course_survives_a_round_trip(real_course: Course) -> None:
    for quiz in real_course.quizzes.values():
        text, notes = write_gift(quiz)
        back = {q.data["id"]: q.data for q in read_gift(text).questions}
        kept = [q for q in quiz.questions if gift_holds(q)]
        assert len(notes) == len(quiz.questions) - len(kept), notes
        assert set(back) == {q.id for q in kept}, quiz.id
        for question in kept:
            assert_same(question, back[question.id])


def gift_holds(q: Any) -> bool:
    """Tell whether GIFT can hold a question: no ordering, no cloze of several blanks."""
    return q.type != "ordering" and not (q.type == "cloze" and len(q.blanks) > 1)


def assert_same(q: Any, data: dict) -> None:
    """Check that what GIFT holds came back: text, choices, keys, feedback, answers."""
    assert data["type"] == q.type, q.id
    if q.type != "cloze":
        assert data["prompt"] == q.prompt
    assert data.get("explanation", "") == q.explanation
    if hasattr(q, "choices"):
        got = [(c["text"], c.get("correct", False), c.get("feedback", "")) for c in data["choices"]]
        assert got == [(c.text, c.correct, c.feedback) for c in q.choices]
    if q.type == "numeric":
        assert (data["answer"], data["tolerance"]) == (q.answer, q.tolerance)
    if q.type == "text":
        assert data["accept"] == list(q.accept)
    if q.type == "matching":
        assert [(p["left"], p["right"]) for p in data["pairs"]] == [
            (p.left, p.right) for p in q.pairs
        ]
    if q.type == "true_false":
        assert (data["answer"], data.get("feedback_wrong", "")) == (q.answer, q.feedback_wrong)
    if q.type == "cloze":
        (blank,) = q.blanks
        (back,) = data["blanks"]
        assert data["text"] == q.text.replace(f"[[{blank.id}]]", "[[mot]]")
        if blank.choices:
            assert [(c["text"], c.get("correct", False)) for c in back["choices"]] == [
                (c.text, c.correct) for c in blank.choices
            ]
        else:
            assert back["accept"] == list(blank.accept)


def test_a_bank_survives_its_own_round_trip_missing_word_included() -> None:
    bank = read_gift(BANK.read_text(encoding="utf-8"))
    data = quiz_data(bank, quiz_id="banque", module_id="m1", title="Banque")
    quiz = Quiz.model_validate(data)
    assert "cloze" in {q.type for q in quiz.questions}
    text, notes = write_gift(quiz)
    assert notes == []
    back = {q.data["id"]: q.data for q in read_gift(text).questions}
    assert set(back) == {q.id for q in quiz.questions}
    for question in quiz.questions:
        assert_same(question, back[question.id])
