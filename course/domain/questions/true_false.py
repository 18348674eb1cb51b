"""`true_false`: Vrai or Faux."""

from __future__ import annotations

import random
from typing import Any

from course.content.model import TrueFalseQuestion

from .base import Answer, Field, FormValues, InvalidAnswer, Option, QuestionType, filled, one


class TrueFalse(QuestionType[TrueFalseQuestion]):
    """Two radio buttons, `true` and `false`; the answer is a bool."""

    name = "true_false"

    def read(self, question: TrueFalseQuestion, form: FormValues, name: str) -> Answer:
        """Read true or false."""
        value = one(filled(form, name))
        if value is None:
            return None
        if value not in ("true", "false"):
            raise InvalidAnswer("Répondez par vrai ou faux.")
        return value == "true"

    def fields(self, question: TrueFalseQuestion, answer: Answer, name: str) -> list[Field]:
        """Return the radio button's field."""
        return [] if answer is None else [(name, "true" if answer else "false")]

    def fraction(self, question: TrueFalseQuestion, answer: Any) -> float:
        """Return 1 for the right value, 0 otherwise."""
        return float(isinstance(answer, bool) and answer == question.answer)

    def words(self, question: TrueFalseQuestion, answer: Any) -> str:
        """Return Vrai or Faux."""
        return "Vrai" if answer is True else "Faux" if answer is False else str(answer)

    def right_answer(self, question: TrueFalseQuestion) -> Answer:
        """Return the right value."""
        return question.answer

    def wrong_answer(self, question: TrueFalseQuestion, rng: random.Random) -> Answer:
        """Return the other value."""
        return not question.answer

    def counted(self, question: TrueFalseQuestion) -> tuple[Option, ...]:
        """Count Vrai and Faux."""
        return tuple(
            Option(str(value).lower(), label, value == question.answer)
            for value, label in ((True, "Vrai"), (False, "Faux"))
        )

    def picked(self, question: TrueFalseQuestion, answer: Any) -> list[str]:
        """Return `true` or `false`."""
        return [str(answer).lower()] if isinstance(answer, bool) else []

    def interaction(self, question: TrueFalseQuestion) -> dict[str, Any]:
        """A `true-false` interaction."""
        return {
            "interactionType": "true-false",
            "correctResponsesPattern": ["true" if question.answer else "false"],
        }
