"""`numeric`: a number, right within `tolerance` of `answer`."""

from __future__ import annotations

import math
import random
import re
from typing import Any

from course.content.model import NumericQuestion

from ..numbers import decimal
from .base import Answer, Field, FormValues, InvalidAnswer, QuestionType, filled, one

# Slack for binary floats: 0.1 + 0.2 is within a tolerance of 0.3 of 0.
FLOAT_SLACK = 1e-9
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)


class Numeric(QuestionType[NumericQuestion]):
    """A text field read as a French or English number (3,5 or 3.5; 1 200)."""

    name = "numeric"

    def read(self, question: NumericQuestion, form: FormValues, name: str) -> Answer:
        """Read a finite number."""
        value = one(filled(form, name))
        if value is None:
            return None
        text = _SPACES.sub("", value).replace(",", ".").replace("\u2212", "-")
        unit = _SPACES.sub("", question.unit)
        if unit and text.endswith(unit):  # « 76 % » where the field says « % » after it
            text = text[: -len(unit)]
        if not _NUMBER.fullmatch(text):  # not « 1e2 », nor digits of another script
            raise InvalidAnswer("Entrez un nombre (par exemple 12 ou 3,5).")
        number = float(text)
        if not math.isfinite(number):
            raise InvalidAnswer("Entrez un nombre fini.")
        return number

    def fields(self, question: NumericQuestion, answer: Answer, name: str) -> list[Field]:
        """Return the number as typed."""
        return [] if answer is None else [(name, f"{answer:g}")]

    def fraction(self, question: NumericQuestion, answer: Any) -> float:
        """Return 1 within the tolerance, 0 otherwise."""
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            return 0.0
        return float(abs(answer - question.answer) <= question.tolerance + FLOAT_SLACK)

    def words(self, question: NumericQuestion, answer: Any) -> str:
        """Return the number and its unit."""
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            return str(answer)
        return f"{decimal(answer, 6, trim=True)} {question.unit}".strip()

    def right_answer(self, question: NumericQuestion) -> Answer:
        """Return the expected number."""
        return question.answer

    def wrong_answer(self, question: NumericQuestion, rng: random.Random) -> Answer:
        """Return a number off by a plausible factor, outside the tolerance."""
        return round(question.answer * rng.choice((0.5, 0.8, 1.25, 2)) + question.tolerance + 1)

    def interaction(self, question: NumericQuestion) -> dict[str, Any]:
        """A `numeric` interaction: the value, or the range the tolerance allows."""
        low, high = question.answer - question.tolerance, question.answer + question.tolerance
        pattern = f"{low:g}[:]{high:g}" if question.tolerance else f"{question.answer:g}"
        return {"interactionType": "numeric", "correctResponsesPattern": [pattern]}
