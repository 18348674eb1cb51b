"""A stored answer as a trainer reads it: choice texts, Vrai/Faux, values, arrangements."""

from __future__ import annotations

import json
from typing import Any

from course.content.model import QuestionBase

from .questions import question_type

BLANK = "sans réponse"


def response_key(response: Any) -> str:
    """Return a stable key for a response, to count identical ones together."""
    return json.dumps(response, sort_keys=True, ensure_ascii=False)


def is_blank(response: Any) -> bool:
    """Tell whether a stored answer says nothing (the Jinja test `blank`)."""
    return response is None or response == [] or response == {}


def response_text(question: QuestionBase, response: Any) -> str:
    """Return a response as plain text, in the words the learner saw."""
    if is_blank(response):
        return BLANK
    return question_type(question).words(question, response)
