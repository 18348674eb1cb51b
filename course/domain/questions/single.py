"""`single`: one choice among several, exactly one of them right."""

from __future__ import annotations

import random
from typing import Any

from course.content.model import SingleQuestion

from .base import (
    Answer,
    Field,
    FormValues,
    InvalidAnswer,
    Option,
    QuestionType,
    components,
    filled,
    one,
)
from .choices import choice_options, choice_words, picked_ids, wrong_tags


class Single(QuestionType[SingleQuestion]):
    """One radio button per choice; right when the right choice is picked."""

    name = "single"

    def read(self, question: SingleQuestion, form: FormValues, name: str) -> Answer:
        """Read the picked choice id."""
        value = one(filled(form, name))
        if value is not None and value not in {c.id for c in question.choices}:
            raise InvalidAnswer("Cette réponse ne fait pas partie des choix proposés.")
        return value

    def fields(self, question: SingleQuestion, answer: Answer, name: str) -> list[Field]:
        """Return the radio button's field."""
        return [(name, str(answer))] if answer is not None else []

    def fraction(self, question: SingleQuestion, answer: Any) -> float:
        """Return 1 for the right choice, 0 otherwise."""
        return float(any(c.correct and c.id == answer for c in question.choices))

    def words(self, question: SingleQuestion, answer: Any) -> str:
        """Return the picked choice's text."""
        return choice_words(question.choices, answer)

    def right_answer(self, question: SingleQuestion) -> Answer:
        """Return the right choice's id."""
        return next(c.id for c in question.choices if c.correct)

    def wrong_answer(self, question: SingleQuestion, rng: random.Random) -> Answer:
        """Pick a wrong choice, those tagged with a misconception three times as often."""
        wrong = [c for c in question.choices if not c.correct]
        weights = [3 if c.misconception else 1 for c in wrong]
        return rng.choices(wrong, weights=weights)[0].id

    def chosen_tags(self, question: SingleQuestion, answer: Any) -> tuple[str, ...]:
        """Return the picked wrong choice's misconception."""
        return wrong_tags(question.choices, answer)

    def options(self, question: SingleQuestion) -> list[str]:
        """Return the choice ids."""
        return [c.id for c in question.choices]

    def counted(self, question: SingleQuestion) -> tuple[Option, ...]:
        """Count each choice."""
        return choice_options(question.choices)

    def picked(self, question: SingleQuestion, answer: Any) -> list[str]:
        """Return the picked choice."""
        return picked_ids(answer)

    def interaction(self, question: SingleQuestion) -> dict[str, Any]:
        """A `choice` interaction whose right response is the right choice."""
        return {
            "interactionType": "choice",
            "correctResponsesPattern": [str(self.right_answer(question))],
            "choices": components([(c.id, c.text) for c in question.choices]),
        }
