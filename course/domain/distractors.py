"""What wrong answers tell: how often each response is given, and the misconceptions they show."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from course.content.model import QuestionBase, Quiz

from .answer_text import response_text
from .misconceptions import misconception_tags
from .questions import question_type
from .scoring import is_right

TOP_CONFIDENCE = 3


@dataclass(frozen=True)
class ResponseTally:
    """How many answers to a question gave one response, and how many at top confidence."""

    question_id: str
    key: str  # response_key(response)
    response: Any
    fraction: float
    count: int
    confident: int


def tagged_responses(
    quiz: Quiz, responses: Iterable[ResponseTally]
) -> dict[tuple[str, str], tuple[str, ...]]:
    """Map each (question, response key) that shows misconceptions to their ids."""
    found = {}
    for tally in responses:
        question = quiz.question(tally.question_id)
        tags = misconception_tags(question, tally.response, tally.fraction) if question else ()
        if tags:
            found[(tally.question_id, tally.key)] = tags
    return found


@dataclass(frozen=True)
class ChoiceCount:
    """How many answers gave one response (a choice, a value, an arrangement)."""

    key: str
    label: str
    count: int
    correct: bool
    misconception: str | None = None


@dataclass(frozen=True)
class Misconception:
    """A misconception held by learners: who, through which questions, how confidently."""

    id: str
    learners: frozenset[int]  # who holds it (the first few only, when read from kept sums)
    confident: int  # answers showing it given at the top confidence
    questions: tuple[str, ...]
    count: int  # how many learners hold it


def choice_counts(
    question: QuestionBase, responses: Sequence[ResponseTally]
) -> tuple[ChoiceCount, ...]:
    """Count the responses given: each option (several per answer for `multiple`), or value."""
    blank = sum(t.count for t in responses if t.response in (None, [], {}))
    extra = (ChoiceCount("", "Sans réponse", blank, False),) if blank else ()
    kind = question_type(question)
    options = kind.counted(question)
    if options is None:
        return _top_responses(question, responses)
    picked: Counter[str] = Counter()
    for tally in responses:
        for key in kind.picked(question, tally.response):
            picked[key] += tally.count
    counts = tuple(
        ChoiceCount(o.key, o.label, picked[o.key], o.correct, o.misconception) for o in options
    )
    return counts + extra


def _top_responses(
    question: QuestionBase, responses: Sequence[ResponseTally]
) -> tuple[ChoiceCount, ...]:
    """Count the eight most frequent responses, blank ones included."""
    return tuple(
        ChoiceCount(
            t.key,
            response_text(question, t.response),
            t.count,
            is_right(t.fraction),
            next(iter(misconception_tags(question, t.response, t.fraction)), None),
        )
        for t in sorted(responses, key=lambda t: (-t.count, t.key))[:8]
    )


def misconceptions(
    quiz: Quiz, responses: Sequence[ResponseTally], holders: Iterable[tuple[int, str, str]]
) -> tuple[Misconception, ...]:
    """Rank the misconceptions the answers show by how many learners hold them."""
    tagged = tagged_responses(quiz, responses)
    learners: defaultdict[str, set[int]] = defaultdict(set)
    for learner_id, question_id, key in holders:
        for tag in tagged.get((question_id, key), ()):
            learners[tag].add(learner_id)
    return ranked(quiz, responses, {tag: len(ids) for tag, ids in learners.items()}, learners)


def ranked(
    quiz: Quiz,
    responses: Sequence[ResponseTally],
    counts: Mapping[str, int],
    named: Mapping[str, Collection[int]],
) -> tuple[Misconception, ...]:
    """Rank misconceptions by how many learners hold them (`named`: who, or the first few)."""
    tagged = tagged_responses(quiz, responses)
    confident: Counter[str] = Counter()
    where: defaultdict[str, set[str]] = defaultdict(set)
    for tally in responses:
        for tag in tagged.get((tally.question_id, tally.key), ()):
            confident[tag] += tally.confident
            where[tag].add(tally.question_id)
    found = [
        Misconception(
            tag, frozenset(named.get(tag, ())), confident[tag], tuple(sorted(where[tag])), count
        )
        for tag, count in counts.items()
        if count
    ]
    return tuple(sorted(found, key=lambda m: (-m.count, -m.confident, m.id)))
