"""`matching`: match each pair's left side with its right side."""

from __future__ import annotations

import random
from typing import Any

from course.content.model import MatchingQuestion, Pair

from .base import Answer, Field, FormValues, InvalidAnswer, QuestionType, components, one, swap_two


class Matching(QuestionType[MatchingQuestion]):
    """One select per left side (`name-<pair>`); the answer maps each pair to the pair chosen."""

    name = "matching"

    def read(self, question: MatchingQuestion, form: FormValues, name: str) -> Answer:
        """Read the right side chosen for each left side."""
        pair_ids = {p.id for p in question.pairs}
        chosen: dict[str, str] = {}
        for pair in question.pairs:
            value = one([v for v in form.get(f"{name}-{pair.id}", ()) if v != ""])
            if value is None:
                continue
            if value not in pair_ids:
                raise InvalidAnswer("Une association ne fait pas partie des choix proposés.")
            chosen[pair.id] = value
        return chosen or None

    def fields(self, question: MatchingQuestion, answer: Answer, name: str) -> list[Field]:
        """Return one field per left side."""
        given = answer if isinstance(answer, dict) else {}
        return [(f"{name}-{left}", right) for left, right in given.items()]

    def fraction(self, question: MatchingQuestion, answer: Any) -> float:
        """Return 1 when every pair is matched; with `partial`, the share matched."""
        given = answer if isinstance(answer, dict) else {}
        matched = sum(1 for pair in question.pairs if given.get(pair.id) == pair.id)
        if not question.partial:
            return float(matched == len(question.pairs))
        return matched / len(question.pairs)

    def matches(
        self, question: MatchingQuestion, answer: Any
    ) -> list[tuple[Pair, Pair | None, bool]]:
        """Return each pair with the pair whose right side was chosen for it, and if it is right."""
        given = answer if isinstance(answer, dict) else {}
        by_id = {pair.id: pair for pair in question.pairs}
        return [
            (pair, by_id.get(str(given.get(pair.id))), given.get(pair.id) == pair.id)
            for pair in question.pairs
        ]

    def words(self, question: MatchingQuestion, answer: Any) -> str:
        """Return each left side with the right side chosen for it."""
        if not isinstance(answer, dict):
            return str(answer)
        rights = {p.id: p.right for p in question.pairs}
        return " ; ".join(
            f"{p.left} ↔ {rights.get(str(answer.get(p.id)), '—')}" for p in question.pairs
        )

    def right_answer(self, question: MatchingQuestion) -> Answer:
        """Match each pair with itself."""
        return {pair.id: pair.id for pair in question.pairs}

    def wrong_answer(self, question: MatchingQuestion, rng: random.Random) -> Answer:
        """Swap the right sides of two neighbouring pairs."""
        ids = [pair.id for pair in question.pairs]
        return dict(zip(ids, swap_two(ids, rng), strict=True))

    def options(self, question: MatchingQuestion) -> list[str]:
        """Return the pair ids (the right sides' order)."""
        return [pair.id for pair in question.pairs]

    def interaction(self, question: MatchingQuestion) -> dict[str, Any]:
        """A `matching` interaction: each left side with its own right side."""
        return {
            "interactionType": "matching",
            "correctResponsesPattern": ["[,]".join(f"{p.id}[.]{p.id}" for p in question.pairs)],
            "source": components([(p.id, p.left) for p in question.pairs]),
            "target": components([(p.id, p.right) for p in question.pairs]),
        }
