"""`ordering`: put `items` in their authored order."""

from __future__ import annotations

import random
from itertools import combinations
from typing import Any

from course.content.model import Item, OrderingQuestion

from .base import (
    Answer,
    Field,
    FormValues,
    InvalidAnswer,
    QuestionType,
    components,
    filled,
    swap_two,
)


class Ordering(QuestionType[OrderingQuestion]):
    """One select per rank; the answer is the list of item ids, first to last."""

    name = "ordering"
    # Shown in the right order, the items would give the answer away.
    always_shuffled = True

    def read(self, question: OrderingQuestion, form: FormValues, name: str) -> Answer:
        """Read the item chosen at each rank; each item once."""
        values = filled(form, name)
        if not values:
            return None
        if sorted(values) != sorted(item.id for item in question.items):
            raise InvalidAnswer("Classez chaque élément une fois et une seule.")
        return values

    def fields(self, question: OrderingQuestion, answer: Answer, name: str) -> list[Field]:
        """Return one field per rank."""
        return [(name, str(i)) for i in answer] if isinstance(answer, list) else []

    def fraction(self, question: OrderingQuestion, answer: Any) -> float:
        """Return 1 for the right order; with `partial`, the share of pairs in the right order.

        Every two items make a pair; a pair counts when the answer puts them in the same
        relative order as the authored one (Kendall's agreement): one item moved one rank
        loses one pair, not two positions.
        """
        expected = [item.id for item in question.items]
        given = list(answer) if isinstance(answer, list) else []
        if not question.partial:
            return float(given == expected)
        if sorted(given) != sorted(expected):
            return 0.0
        rank = {item: index for index, item in enumerate(given)}
        pairs = list(combinations(expected, 2))
        return sum(rank[a] < rank[b] for a, b in pairs) / len(pairs)

    def positions(self, question: OrderingQuestion, answer: Any) -> list[tuple[Item, bool]]:
        """Return the items in the order given, each with whether it stands at its right rank."""
        texts = {item.id: item for item in question.items}
        given = [texts[i] for i in answer if i in texts] if isinstance(answer, list) else []
        return [(item, item == right) for item, right in zip(given, question.items, strict=False)]

    def words(self, question: OrderingQuestion, answer: Any) -> str:
        """Return the items' texts in the order given."""
        if not isinstance(answer, list):
            return str(answer)
        texts = {i.id: i.text for i in question.items}
        return " → ".join(texts.get(str(i), str(i)) for i in answer)

    def right_answer(self, question: OrderingQuestion) -> Answer:
        """Return the authored order."""
        return [item.id for item in question.items]

    def wrong_answer(self, question: OrderingQuestion, rng: random.Random) -> Answer:
        """Return the right order with two neighbours swapped."""
        return swap_two([item.id for item in question.items], rng)

    def options(self, question: OrderingQuestion) -> list[str]:
        """Return the item ids."""
        return [item.id for item in question.items]

    def interaction(self, question: OrderingQuestion) -> dict[str, Any]:
        """A `sequencing` interaction: the items in their authored order."""
        return {
            "interactionType": "sequencing",
            "correctResponsesPattern": ["[,]".join(item.id for item in question.items)],
            "choices": components([(item.id, item.text) for item in question.items]),
        }
