"""A stored answer as a trainer reads it: choice texts, Vrai/Faux, values, arrangements."""

from __future__ import annotations

import json
from typing import Any

from course.content.model import (
    MatchingQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderingQuestion,
    QuestionBase,
    SingleQuestion,
    TrueFalseQuestion,
)

BLANK = "sans réponse"


def response_key(response: Any) -> str:
    """Return a stable key for a response, to count identical ones together."""
    return json.dumps(response, sort_keys=True, ensure_ascii=False)


def response_text(question: QuestionBase, response: Any) -> str:
    """Return a response as plain text, in the words the learner saw."""
    if response is None or response == [] or response == {}:
        return BLANK
    if isinstance(question, SingleQuestion | MultipleQuestion):
        texts = {c.id: c.text for c in question.choices}
        picked = response if isinstance(response, list) else [response]
        return " ; ".join(texts.get(str(c), str(c)) for c in picked)
    if isinstance(question, TrueFalseQuestion):
        return "Vrai" if response is True else "Faux" if response is False else str(response)
    if isinstance(question, NumericQuestion):
        return f"{response:g} {question.unit}".strip() if _number(response) else str(response)
    if isinstance(question, OrderingQuestion) and isinstance(response, list):
        texts = {i.id: i.text for i in question.items}
        return " → ".join(texts.get(str(i), str(i)) for i in response)
    if isinstance(question, MatchingQuestion) and isinstance(response, dict):
        rights = {p.id: p.right for p in question.pairs}
        return " ; ".join(
            f"{p.left} ↔ {rights.get(str(response.get(p.id)), '—')}" for p in question.pairs
        )
    return str(response)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
