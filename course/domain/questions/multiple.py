"""`multiple`: any number of choices; all-or-nothing, or right minus wrong with `partial`."""

from __future__ import annotations

import random
from typing import Any

from course.content.model import MultipleQuestion

from .base import Answer, Field, FormValues, InvalidAnswer, Option, QuestionType, components, filled
from .choices import choice_options, choice_words, picked_ids, wrong_tags


class Multiple(QuestionType[MultipleQuestion]):
    """One checkbox per choice; the answer is the sorted list of checked ids."""

    name = "multiple"

    def read(self, question: MultipleQuestion, form: FormValues, name: str) -> Answer:
        """Read the checked choice ids."""
        values = filled(form, name)
        if not set(values) <= {c.id for c in question.choices}:
            raise InvalidAnswer("Une réponse ne fait pas partie des choix proposés.")
        return sorted(set(values)) or None

    def fields(self, question: MultipleQuestion, answer: Answer, name: str) -> list[Field]:
        """Return one field per checked box."""
        return [(name, c) for c in picked_ids(answer)]

    def fraction(self, question: MultipleQuestion, answer: Any) -> float:
        """Return 1 for exactly the right choices; with `partial`, (right - wrong) / rights."""
        chosen = set(answer) if isinstance(answer, list) else set()
        right = {c.id for c in question.choices if c.correct}
        if not question.partial:
            return float(chosen == right)
        return (len(chosen & right) - len(chosen - right)) / len(right)

    def words(self, question: MultipleQuestion, answer: Any) -> str:
        """Return the checked choices' texts."""
        return choice_words(question.choices, answer)

    def right_answer(self, question: MultipleQuestion) -> Answer:
        """Return the right choices' ids."""
        return [c.id for c in question.choices if c.correct]

    def wrong_answer(self, question: MultipleQuestion, rng: random.Random) -> Answer:
        """Miss one right choice, and often check a wrong one."""
        right = [c.id for c in question.choices if c.correct]
        wrong = [c.id for c in question.choices if not c.correct]
        chosen = rng.sample(right, max(0, len(right) - 1))
        add = wrong and (not chosen or rng.random() < 0.7)
        return chosen + ([rng.choice(wrong)] if add else [])

    def chosen_tags(self, question: MultipleQuestion, answer: Any) -> tuple[str, ...]:
        """Return the checked wrong choices' misconceptions."""
        return wrong_tags(question.choices, answer)

    def options(self, question: MultipleQuestion) -> list[str]:
        """Return the choice ids."""
        return [c.id for c in question.choices]

    def counted(self, question: MultipleQuestion) -> tuple[Option, ...]:
        """Count each choice (an answer may count for several)."""
        return choice_options(question.choices)

    def picked(self, question: MultipleQuestion, answer: Any) -> list[str]:
        """Return the checked choices."""
        return picked_ids(answer)

    def interaction(self, question: MultipleQuestion) -> dict[str, Any]:
        """A `choice` interaction whose right response is every right choice."""
        right = [c.id for c in question.choices if c.correct]
        return {
            "interactionType": "choice",
            "correctResponsesPattern": ["[,]".join(right)],
            "choices": components([(c.id, c.text) for c in question.choices]),
        }
