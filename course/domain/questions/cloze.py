"""`cloze` (« texte à trous »): a text with blanks, each typed or picked; partial by nature.

The fraction is the share of blanks filled right: two blanks right out of three earn two
thirds of the points. A typed blank is right when it folds to one of its `accept`ed answers
(as `text` questions), a picked blank when its one correct choice is picked.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from course.content.model import Blank, ClozeQuestion

from .base import Answer, Field, FormValues, InvalidAnswer, QuestionType, filled, one
from .text import accepted, read_text

BLANK_WORDS = "…"


@dataclass(frozen=True)
class BlankResult:
    """One blank as the review shows it: what was given, whether it is right, what was expected."""

    blank: Blank
    given: str | None
    right: bool
    expected: str


def blank_right(blank: Blank, value: Any) -> bool:
    """Tell whether a blank's value is right."""
    if blank.choices:
        return any(c.correct and c.id == value for c in blank.choices)
    return accepted(value, blank.accept)


def blank_words(blank: Blank, value: Any) -> str | None:
    """Return a blank's value as the learner saw it (a choice's text, or what they typed)."""
    if value is None:
        return None
    return next((c.text for c in blank.choices if c.id == value), str(value))


class Cloze(QuestionType[ClozeQuestion]):
    """One field per blank, `<name>-<blank>`; the answer maps each filled blank to its value."""

    name = "cloze"

    def read(self, question: ClozeQuestion, form: FormValues, name: str) -> Answer:
        """Read each blank: a choice id for a picked blank, the text for a typed one."""
        found: dict[str, str] = {}
        for blank in question.blanks:
            field = f"{name}-{blank.id}"
            value = one(filled(form, field)) if blank.choices else read_text(form, field)
            if value is not None and blank.choices and value not in {c.id for c in blank.choices}:
                raise InvalidAnswer("Une réponse ne fait pas partie des choix proposés.")
            if value is not None:
                found[blank.id] = value
        return found or None

    def fields(self, question: ClozeQuestion, answer: Answer, name: str) -> list[Field]:
        """Return one field per filled blank."""
        given = answer if isinstance(answer, dict) else {}
        return [(f"{name}-{blank}", value) for blank, value in given.items()]

    def fraction(self, question: ClozeQuestion, answer: Any) -> float:
        """Return the share of blanks filled right."""
        given = answer if isinstance(answer, dict) else {}
        right = sum(blank_right(b, given.get(b.id)) for b in question.blanks)
        return right / len(question.blanks)

    def results(self, question: ClozeQuestion, answer: Any) -> list[BlankResult]:
        """Return each blank, in order, with what was given and whether it is right."""
        given = answer if isinstance(answer, dict) else {}
        right = self.right_answer(question)
        return [
            BlankResult(
                b,
                blank_words(b, given.get(b.id)),
                blank_right(b, given.get(b.id)),
                blank_words(b, right[b.id]) or "",
            )
            for b in question.blanks
        ]

    def words(self, question: ClozeQuestion, answer: Any) -> str:
        """Return the text with each blank filled as given, between « »."""
        given = answer if isinstance(answer, dict) else {}
        return "".join(
            text + (f"« {blank_words(b, given.get(b.id)) or BLANK_WORDS} »" if b else "")
            for text, b in question.parts()
        )

    def right_answer(self, question: ClozeQuestion) -> dict[str, str]:
        """Return each blank's correct choice, or its first accepted answer."""
        return {
            b.id: next((c.id for c in b.choices if c.correct), b.accept[0] if b.accept else "")
            for b in question.blanks
        }

    def wrong_answer(self, question: ClozeQuestion, rng: random.Random) -> Answer:
        """Fill every blank right but one (a tagged wrong choice first, or a wrong guess)."""
        answer = self.right_answer(question)
        blank = rng.choice(question.blanks)
        wrong = [c for c in blank.choices if not c.correct]
        if wrong:
            weights = [3 if c.misconception else 1 for c in wrong]
            answer[blank.id] = rng.choices(wrong, weights=weights)[0].id
        else:
            answer[blank.id] = "je ne sais pas"
        return answer

    def chosen_tags(self, question: ClozeQuestion, answer: Any) -> tuple[str, ...]:
        """Return the misconceptions of the wrong choices picked in any blank."""
        given = answer if isinstance(answer, dict) else {}
        return tuple(
            c.misconception
            for b in question.blanks
            for c in b.choices
            if c.id == given.get(b.id) and not c.correct and c.misconception
        )

    def interaction(self, question: ClozeQuestion) -> dict[str, Any]:
        """A `fill-in` interaction: each blank's expected words, in the text's order."""
        right = self.right_answer(question)
        expected = "[,]".join(blank_words(b, right[b.id]) or "" for b in question.blanks)
        return {
            "interactionType": "fill-in",
            "correctResponsesPattern": [f"{{case_matters=false}}{expected}"],
        }
