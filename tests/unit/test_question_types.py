"""Question types as units: every type is registered, drawn, and consistent with itself."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from course.content.model import question_type_names
from course.domain.answer_text import BLANK, response_text
from course.domain.questions import TYPES, question_type

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
)

TEMPLATES = Path(__file__).parents[2] / "templates"
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


@pytest.mark.parametrize("question", [NUMERIC, TEXT, ORDERING, MATCHING], ids=ids)
def test_other_types_count_whole_answers(question: Any) -> None:
    assert question_type(question).counted(question) is None
