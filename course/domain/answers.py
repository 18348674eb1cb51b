"""Turn submitted form values into answers, or say clearly what is wrong with them."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from course.content.model import (
    MatchingQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderingQuestion,
    QuestionBase,
    SingleQuestion,
    TextQuestion,
    TrueFalseQuestion,
)

from .scoring import Answer

MAX_TEXT = 500
# Form values: each field name with every value sent for it (repeated fields give several).
FormValues = Mapping[str, Sequence[str]]


@dataclass
class ParsedAnswers:
    """Answers read from a form, the confidence given for each, and any errors by question."""

    answers: dict[str, Answer] = field(default_factory=dict)
    confidence: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


class InvalidAnswer(ValueError):
    """An answer that cannot be read; its message is shown to the learner."""


def parse_answers(questions: Sequence[QuestionBase], form: FormValues) -> ParsedAnswers:
    """Read every question's answer and confidence from the form values."""
    parsed = ParsedAnswers()
    for question in questions:
        try:
            parsed.answers[question.id] = parse_answer(question, form)
            level = _confidence(form.get(f"c-{question.id}", ()))
        except InvalidAnswer as exc:
            parsed.errors[question.id] = str(exc)
            continue
        if level is not None:
            parsed.confidence[question.id] = level
    return parsed


def parse_answer(question: QuestionBase, form: FormValues) -> Answer:
    """Read one question's answer; None when left blank."""
    values = [v for v in form.get(f"q-{question.id}", ()) if v.strip()]
    reader = _READERS.get(type(question))
    if reader is None:
        raise TypeError(f"no answer reader for {type(question).__name__}")
    return reader(question, values, form)


def _one(values: list[str]) -> str | None:
    if len(values) > 1:
        raise InvalidAnswer("Une seule réponse est attendue.")
    return values[0] if values else None


def _single(q: Any, values: list[str], _form: FormValues) -> Answer:
    value = _one(values)
    if value is not None and value not in {c.id for c in q.choices}:
        raise InvalidAnswer("Cette réponse ne fait pas partie des choix proposés.")
    return value


def _multiple(q: Any, values: list[str], _form: FormValues) -> Answer:
    known = {c.id for c in q.choices}
    if not set(values) <= known:
        raise InvalidAnswer("Une réponse ne fait pas partie des choix proposés.")
    return sorted(set(values)) or None


def _true_false(_q: Any, values: list[str], _form: FormValues) -> Answer:
    value = _one(values)
    if value is None:
        return None
    if value not in ("true", "false"):
        raise InvalidAnswer("Répondez par vrai ou faux.")
    return value == "true"


def _numeric(_q: Any, values: list[str], _form: FormValues) -> Answer:
    value = _one(values)
    if value is None:
        return None
    text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise InvalidAnswer("Entrez un nombre (par exemple 12 ou 3,5).") from None
    if not math.isfinite(number):
        raise InvalidAnswer("Entrez un nombre fini.")
    return number


def _text(_q: Any, values: list[str], _form: FormValues) -> Answer:
    value = _one(values)
    if value is None or not value.strip():
        return None
    if len(value) > MAX_TEXT:
        raise InvalidAnswer(f"Votre réponse dépasse {MAX_TEXT} caractères.")
    return value.strip()


def _ordering(q: Any, values: list[str], _form: FormValues) -> Answer:
    if not values:
        return None
    if sorted(values) != sorted(item.id for item in q.items):
        raise InvalidAnswer("Classez chaque élément une fois et une seule.")
    return values


def _matching(q: Any, _values: list[str], form: FormValues) -> Answer:
    pair_ids = {p.id for p in q.pairs}
    chosen: dict[str, str] = {}
    for pair in q.pairs:
        value = _one([v for v in form.get(f"q-{q.id}-{pair.id}", ()) if v != ""])
        if value is None:
            continue
        if value not in pair_ids:
            raise InvalidAnswer("Une association ne fait pas partie des choix proposés.")
        chosen[pair.id] = value
    return chosen or None


def _confidence(values: Sequence[str]) -> int | None:
    filled = [v for v in values if v != ""]
    if not filled:
        return None
    if len(filled) > 1 or filled[0] not in ("1", "2", "3"):
        raise InvalidAnswer("Indiquez votre certitude : 1, 2 ou 3.")
    return int(filled[0])


_READERS: dict[type, Callable[[Any, list[str], FormValues], Answer]] = {
    SingleQuestion: _single,
    MultipleQuestion: _multiple,
    TrueFalseQuestion: _true_false,
    NumericQuestion: _numeric,
    TextQuestion: _text,
    OrderingQuestion: _ordering,
    MatchingQuestion: _matching,
}
