"""Question types as units: every type is registered, drawn, and consistent with itself."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from course.content.model import question_type_names
from course.domain.answer_text import BLANK, response_text
from course.domain.misconceptions import misconception_tags
from course.domain.questions import TYPES, InvalidAnswer, question_type

from .test_scoring import (
    MATCHING,
    MATCHING_PARTIAL,
    MULTIPLE,
    MULTIPLE_PARTIAL,
    NUMERIC,
    ORDERING,
    ORDERING_PARTIAL,
    SINGLE,
    TEXT,
    TRUE_FALSE,
    make,
)

TEMPLATES = Path(__file__).parents[2] / "templates"
CLOZE = make(
    "cloze",
    text="La [[nom]] territoriale réunit des [[qui]] de [[combien]] mondes.",
    blanks=[
        {"id": "nom", "accept": ["catalyse"]},
        {
            "id": "qui",
            "choices": [
                {"id": "x", "text": "acteurs", "correct": True},
                {"id": "y", "text": "clients", "misconception": "public-confondu"},
            ],
        },
        {"id": "combien", "accept": ["plusieurs", "différents"]},
    ],
)
QUESTIONS = [
    SINGLE,
    MULTIPLE,
    MULTIPLE_PARTIAL,
    TRUE_FALSE,
    NUMERIC,
    TEXT,
    ORDERING,
    ORDERING_PARTIAL,
    MATCHING,
    MATCHING_PARTIAL,
    CLOZE,
]


def ids(question: Any) -> str:
    return f"{question.type}{'-partial' if getattr(question, 'partial', False) else ''}"


@pytest.mark.parametrize("name", question_type_names())
def test_every_type_of_the_format_has_a_unit_and_a_template(name: str) -> None:
    kind = question_type(name)
    assert kind.name == name
    source = (TEMPLATES / kind.template).read_text()
    assert "{% macro fields(" in source
    assert "{% macro review(" in source


def test_the_registry_holds_only_types_of_the_format() -> None:
    assert set(TYPES) == set(question_type_names())


def test_an_unknown_type_is_an_error() -> None:
    with pytest.raises(LookupError, match="essay"):
        question_type("essay")


@pytest.mark.parametrize("question", QUESTIONS, ids=ids)
def test_the_right_answer_earns_every_point_and_reads_back(question: Any) -> None:
    kind = question_type(question)
    right = kind.right_answer(question)
    assert kind.fraction(question, right) == 1.0
    form: dict[str, list[str]] = {}
    for name, value in kind.fields(question, right, "q-q"):
        form.setdefault(name, []).append(value)
    assert kind.read(question, form, "q-q") == right


@pytest.mark.parametrize("question", QUESTIONS, ids=ids)
@pytest.mark.parametrize("seed", range(5))
def test_a_wrong_answer_earns_less(question: Any, seed: int) -> None:
    kind = question_type(question)
    wrong = kind.wrong_answer(question, random.Random(seed))
    assert kind.fraction(question, wrong) < 1.0


@pytest.mark.parametrize("question", QUESTIONS, ids=ids)
def test_a_blank_answer_earns_nothing_and_reads_as_blank(question: Any) -> None:
    kind = question_type(question)
    assert kind.read(question, {}, "q-q") is None
    assert kind.fraction(question, None) == 0.0
    assert response_text(question, None) == BLANK


@pytest.mark.parametrize(
    ("question", "answer", "words"),
    [
        (SINGLE, "a", "A"),
        (MULTIPLE, ["a", "c"], "A ; C"),
        (TRUE_FALSE, True, "Vrai"),
        (TRUE_FALSE, False, "Faux"),
        (NUMERIC, 69.0, "69"),
        (TEXT, "catalyse", "catalyse"),
        (ORDERING, ["y", "x", "z"], "Y → X → Z"),
        (MATCHING, {"p1": "p2"}, "L1 ↔ R2 ; L2 ↔ — ; L3 ↔ — ; L4 ↔ —"),
        (
            CLOZE,
            {"nom": "Catalyse", "qui": "y"},
            "La « Catalyse » territoriale réunit des « clients » de « … » mondes.",
        ),
    ],
)
def test_an_answer_in_words(question: Any, answer: Any, words: str) -> None:
    assert response_text(question, answer) == words


@pytest.mark.parametrize(
    ("question", "options", "shuffled_always"),
    [
        (SINGLE, ["a", "b"], False),
        (MULTIPLE, ["a", "b", "c", "d"], False),
        (TRUE_FALSE, [], False),
        (NUMERIC, [], False),
        (TEXT, [], False),
        (ORDERING, ["x", "y", "z"], True),
        (MATCHING, ["p1", "p2", "p3", "p4"], False),
        (CLOZE, [], False),  # a picked blank's choices keep their authored order
    ],
)
def test_the_options_an_attempt_shuffles(
    question: Any, options: list[str], shuffled_always: bool
) -> None:
    kind = question_type(question)
    assert kind.options(question) == options
    assert kind.always_shuffled is shuffled_always


@pytest.mark.parametrize(
    ("question", "answer", "picked"),
    [
        (SINGLE, "b", ["b"]),
        (MULTIPLE, ["a", "c"], ["a", "c"]),
        (TRUE_FALSE, True, ["true"]),
        (TRUE_FALSE, None, []),
    ],
)
def test_counted_options_and_what_an_answer_picks(
    question: Any, answer: Any, picked: list[str]
) -> None:
    kind = question_type(question)
    keys = {o.key for o in kind.counted(question) or ()}
    assert kind.picked(question, answer) == picked
    assert set(picked) <= keys


@pytest.mark.parametrize("question", [NUMERIC, TEXT, ORDERING, MATCHING, CLOZE], ids=ids)
def test_other_types_count_whole_answers(question: Any) -> None:
    assert question_type(question).counted(question) is None


@pytest.mark.parametrize(
    ("answer", "fraction"),
    [
        ({"nom": "catalyse", "qui": "x", "combien": "plusieurs"}, 1.0),
        ({"nom": "Catalyse.", "qui": "x", "combien": "Différents !"}, 1.0),
        ({"nom": "catalyse", "qui": "y", "combien": "plusieurs"}, 2 / 3),
        ({"nom": "catalyse"}, 1 / 3),
        ({"qui": "y"}, 0.0),
        (None, 0.0),
        ("catalyse", 0.0),
    ],
)
def test_a_cloze_earns_the_share_of_blanks_right(answer: Any, fraction: float) -> None:
    assert question_type(CLOZE).fraction(CLOZE, answer) == pytest.approx(fraction)


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"q-q-nom": [" catalyse "], "q-q-qui": ["x"]}, {"nom": "catalyse", "qui": "x"}),
        ({"q-q-combien": ["deux"], "q-q-qui": [""]}, {"combien": "deux"}),
        ({"q-q-nom": ["   "]}, None),
    ],
)
def test_a_cloze_reads_one_field_per_blank(form: dict[str, list[str]], expected: Any) -> None:
    assert question_type(CLOZE).read(CLOZE, form, "q-q") == expected


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"q-q-qui": ["z"]}, "ne fait pas partie des choix"),
        ({"q-q-qui": ["x", "y"]}, "Une seule réponse"),
        ({"q-q-nom": ["x" * 501]}, "500 caractères"),
    ],
)
def test_a_cloze_rejects_bad_input(form: dict[str, list[str]], message: str) -> None:
    with pytest.raises(InvalidAnswer, match=message):
        question_type(CLOZE).read(CLOZE, form, "q-q")


def test_a_cloze_review_marks_each_blank_and_names_the_misconception() -> None:
    kind = question_type(CLOZE)
    answer = {"nom": "Catalyse.", "qui": "y"}
    marks = [(r.blank.id, r.given, r.right, r.expected) for r in kind.results(CLOZE, answer)]
    assert marks == [
        ("nom", "Catalyse.", True, "catalyse"),
        ("qui", "clients", False, "acteurs"),
        ("combien", None, False, "plusieurs"),
    ]
    fraction = kind.fraction(CLOZE, answer)
    assert misconception_tags(CLOZE, answer, fraction) == ("public-confondu",)


@pytest.mark.parametrize(
    ("answer", "marks"),
    [
        (["y", "x", "z"], [("y", False), ("x", False), ("z", True)]),
        (["x", "y", "z"], [("x", True), ("y", True), ("z", True)]),
        (None, []),
    ],
)
def test_an_ordering_review_marks_each_rank(answer: Any, marks: list[tuple[str, bool]]) -> None:
    found = question_type(ORDERING).positions(ORDERING, answer)
    assert [(item.id, right) for item, right in found] == marks


def test_a_matching_review_marks_each_pair() -> None:
    found = question_type(MATCHING).matches(MATCHING, {"p1": "p1", "p2": "p3", "p3": "zz"})
    assert [(p.id, c.id if c else None, right) for p, c, right in found] == [
        ("p1", "p1", True),
        ("p2", "p3", False),
        ("p3", None, False),
        ("p4", None, False),
    ]


@pytest.mark.parametrize(
    ("question", "possible"),
    [
        (SINGLE, True),
        (make("multiple", choices=[{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]), False),
        (make("text", accept=["…", "?"]), False),
        (TEXT, True),
        (CLOZE, True),
        (ORDERING, True),
    ],
)
def test_whether_a_question_can_be_right(question: Any, possible: bool) -> None:
    assert question.can_be_right() is possible
