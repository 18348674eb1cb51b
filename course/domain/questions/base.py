"""What every question type provides, and the shapes they share (answers, form values)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from course.content.model import QuestionBase

# An answer as stored: a choice id, a list of ids, a bool, a number, a text, or {key: id}.
Answer = str | float | bool | list[str] | dict[str, str] | None
# Form values: each field name with every value sent for it (repeated fields give several).
FormValues = Mapping[str, Sequence[str]]
# A form field and one value for it, as a browser would send it.
Field = tuple[str, str]

Q = TypeVar("Q", bound=QuestionBase)


class InvalidAnswer(ValueError):
    """An answer that cannot be read; its message is shown to the learner."""


@dataclass(frozen=True)
class Option:
    """One countable option of a question (a choice, Vrai or Faux), for the trainer's tallies."""

    key: str
    label: str
    correct: bool
    misconception: str | None = None


class QuestionType(Generic[Q]):
    """Everything that differs by question type; one subclass per type, one instance in TYPES."""

    name: ClassVar[str]
    # Options shown in the order drawn for each attempt, even when the quiz does not shuffle.
    always_shuffled: ClassVar[bool] = False

    @property
    def template(self) -> str:
        """Return the template holding this type's form and review macros."""
        return f"quiz/types/{self.name}.html"

    def read(self, question: Q, form: FormValues, name: str) -> Answer:
        """Read the answer from the form fields named `name` (and `name-...`); None if blank."""
        raise NotImplementedError

    def fields(self, question: Q, answer: Answer, name: str) -> list[Field]:
        """Return the form fields that give this answer (what `read` reads back)."""
        raise NotImplementedError

    def fraction(self, question: Q, answer: Any) -> float:
        """Return the fraction of the question's points the answer earns, 0 to 1."""
        raise NotImplementedError

    def words(self, question: Q, answer: Any) -> str:
        """Return a non-blank answer in the words the learner saw."""
        return str(answer)

    def right_answer(self, question: Q) -> Answer:
        """Return an answer that earns every point."""
        raise NotImplementedError

    def right_words(self, question: Q) -> str:
        """Return the expected answer in words, as the review shows it."""
        return self.words(question, self.right_answer(question))

    def wrong_answer(self, question: Q, rng: random.Random) -> Answer:
        """Return a plausible wrong answer, for the demo's synthetic learners."""
        raise NotImplementedError

    def chosen_tags(self, question: Q, answer: Any) -> tuple[str, ...]:
        """Return the misconceptions tagged on the wrong options this answer picked."""
        return ()

    def options(self, question: Q) -> list[str]:
        """Return the ids of the options an attempt may shuffle (none by default)."""
        return []

    def counted(self, question: Q) -> tuple[Option, ...] | None:
        """Return the options the trainer's tallies count one by one; None to count answers."""
        return None

    def picked(self, question: Q, answer: Any) -> list[str]:
        """Return the keys of the counted options an answer picked."""
        return []

    def interaction(self, question: Q) -> dict[str, Any]:
        """Describe the question as an xAPI interaction: its type and its right response."""
        raise NotImplementedError


def components(pairs: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """Return xAPI interaction components (id and French description) for (id, text) pairs."""
    return [{"id": key, "description": {"fr-FR": text}} for key, text in pairs]


def one(values: Sequence[str]) -> str | None:
    """Return the single value sent, None if none; several are an error."""
    if len(values) > 1:
        raise InvalidAnswer("Une seule réponse est attendue.")
    return values[0] if values else None


def filled(form: FormValues, name: str) -> list[str]:
    """Return the values sent for a field, leaving out blank ones."""
    return [v for v in form.get(name, ()) if v.strip()]


def swap_two(ids: Sequence[str], rng: random.Random) -> list[str]:
    """Return the ids with two neighbours swapped: an arrangement nearly right."""
    at = rng.randrange(len(ids) - 1)
    return [*ids[:at], ids[at + 1], ids[at], *ids[at + 2 :]]
