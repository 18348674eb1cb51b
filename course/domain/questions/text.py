"""`text`: a short typed answer, right when it folds to one of the `accept`ed answers."""

from __future__ import annotations

import random
from typing import Any

from course.content.model import TextQuestion
from course.content.textfold import fold

from .base import Answer, Field, FormValues, InvalidAnswer, QuestionType, filled, one

MAX_TEXT = 500


def read_text(form: FormValues, name: str) -> str | None:
    """Read a typed answer of at most MAX_TEXT characters, stripped; None if blank."""
    value = one(filled(form, name))
    if value is None:
        return None
    if len(value) > MAX_TEXT:
        raise InvalidAnswer(f"Votre réponse dépasse {MAX_TEXT} caractères.")
    return value.strip()


def accepted(answer: Any, accept: tuple[str, ...]) -> bool:
    """Tell whether a typed answer folds to one of the accepted answers."""
    return isinstance(answer, str) and fold(answer) in {fold(a) for a in accept}


class Text(QuestionType[TextQuestion]):
    """A text field; case, accents and spacing do not matter."""

    name = "text"

    def read(self, question: TextQuestion, form: FormValues, name: str) -> Answer:
        """Read the typed text."""
        return read_text(form, name)

    def fields(self, question: TextQuestion, answer: Answer, name: str) -> list[Field]:
        """Return the text as typed."""
        return [] if answer is None else [(name, str(answer))]

    def fraction(self, question: TextQuestion, answer: Any) -> float:
        """Return 1 when the text is accepted, 0 otherwise."""
        return float(accepted(answer, question.accept))

    def words(self, question: TextQuestion, answer: Any) -> str:
        """Return the typed text."""
        return str(answer)

    def right_answer(self, question: TextQuestion) -> Answer:
        """Return the first accepted answer."""
        return question.accept[0]

    def wrong_answer(self, question: TextQuestion, rng: random.Random) -> Answer:
        """Return a common wrong guess."""
        return rng.choice(("je ne sais pas", "partenariat", "mécénat"))

    def interaction(self, question: TextQuestion) -> dict[str, Any]:
        """A `fill-in` interaction: any accepted answer, case ignored."""
        return {
            "interactionType": "fill-in",
            "correctResponsesPattern": [f"{{case_matters=false}}{a}" for a in question.accept],
        }
