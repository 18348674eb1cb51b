"""Reading answers from form values: every type, and clear errors for bad input."""

from __future__ import annotations

from typing import Any

import pytest

from course.domain.answers import parse_answer, parse_answers

from .test_scoring import (
    MATCHING,
    MULTIPLE,
    NUMERIC,
    ORDERING,
    SINGLE,
    TEXT,
    TRUE_FALSE,
    make,
)


@pytest.mark.parametrize(
    ("question", "form", "expected"),
    [
        (SINGLE, {"q-q": ["a"]}, "a"),
        (SINGLE, {}, None),
        (SINGLE, {"q-q": [""]}, None),
        (MULTIPLE, {"q-q": ["b", "a", "a"]}, ["a", "b"]),
        (MULTIPLE, {}, None),
        (TRUE_FALSE, {"q-q": ["true"]}, True),
        (TRUE_FALSE, {"q-q": ["false"]}, False),
        (NUMERIC, {"q-q": ["69"]}, 69.0),
        (NUMERIC, {"q-q": ["3,5"]}, 3.5),
        (NUMERIC, {"q-q": ["1\u00a0200"]}, 1200.0),
        (NUMERIC, {"q-q": ["1\u202f200,5"]}, 1200.5),
        (NUMERIC, {"q-q": ["\u22123"]}, -3.0),
        (NUMERIC, {"q-q": [" "]}, None),
        (TEXT, {"q-q": ["  catalyse "]}, "catalyse"),
        (TEXT, {"q-q": ["   "]}, None),
        (ORDERING, {"q-q": ["z", "x", "y"]}, ["z", "x", "y"]),
        (MATCHING, {"q-q-p1": ["p2"], "q-q-p2": ["p1"]}, {"p1": "p2", "p2": "p1"}),
        (MATCHING, {"q-q-p1": [""]}, None),
    ],
)
def test_parse_answer(question: Any, form: dict[str, list[str]], expected: Any) -> None:
    assert parse_answer(question, form) == expected


@pytest.mark.parametrize(
    ("question", "form", "message"),
    [
        (SINGLE, {"q-q": ["zz"]}, "ne fait pas partie des choix"),
        (SINGLE, {"q-q": ["a", "b"]}, "Une seule réponse"),
        (MULTIPLE, {"q-q": ["a", "zz"]}, "ne fait pas partie des choix"),
        (TRUE_FALSE, {"q-q": ["peut-être"]}, "vrai ou faux"),
        (NUMERIC, {"q-q": ["soixante"]}, "Entrez un nombre"),
        (NUMERIC, {"q-q": ["inf"]}, "Entrez un nombre"),
        (NUMERIC, {"q-q": ["nan"]}, "Entrez un nombre"),
        (NUMERIC, {"q-q": ["9" * 400]}, "nombre fini"),
        (NUMERIC, {"q-q": ["1e2"]}, "Entrez un nombre"),  # no scientific notation
        (NUMERIC, {"q-q": ["\u0667\u0666"]}, "Entrez un nombre"),  # Arabic-Indic digits
        (TEXT, {"q-q": ["x" * 501]}, "500 caractères"),
        (ORDERING, {"q-q": ["x", "x", "y"]}, "une fois et une seule"),
        (ORDERING, {"q-q": ["x", "y"]}, "une fois et une seule"),
        (MATCHING, {"q-q-p1": ["p9"]}, "ne fait pas partie des choix"),
    ],
)
def test_bad_answers_give_a_clear_message(
    question: Any, form: dict[str, list[str]], message: str
) -> None:
    parsed = parse_answers([question], form)
    assert message in parsed.errors["q"]
    assert "q" not in parsed.answers


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("3", 3), ("", None)])
def test_confidence_is_read(value: str, expected: int | None) -> None:
    parsed = parse_answers([SINGLE], {"q-q": ["a"], "c-q": [value]})
    assert parsed.confidence.get("q") == expected
    assert not parsed.errors


@pytest.mark.parametrize("value", ["0", "4", "sûr"])
def test_bad_confidence_is_an_error(value: str) -> None:
    parsed = parse_answers([SINGLE], {"q-q": ["a"], "c-q": [value]})
    assert "certitude" in parsed.errors["q"]


@pytest.mark.parametrize("typed", ["76 %", "76%", "76\u00a0%", "76"])
def test_a_number_may_be_typed_with_the_unit_its_field_shows(typed: str) -> None:
    percent = make("numeric", answer=76, unit="%")
    assert parse_answer(percent, {"q-q": [typed]}) == 76.0
