"""Draw an attempt's questions and shuffle its choices, from a random source passed in."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from course.content.model import MatchingQuestion, OrderingQuestion, QuestionBase, Quiz


@dataclass(frozen=True)
class Layout:
    """The questions an attempt shows, in order, and the order of each one's options."""

    question_ids: tuple[str, ...]
    option_orders: dict[str, list[str]]


def draw_layout(quiz: Quiz, rng: random.Random) -> Layout:
    """Pick the attempt's questions and the order of everything it shows."""
    questions = list(quiz.questions)
    if quiz.draw is not None:
        questions = rng.sample(questions, quiz.draw)
        if not quiz.shuffle:
            questions.sort(key=quiz.questions.index)
    elif quiz.shuffle:
        rng.shuffle(questions)
    orders: dict[str, list[str]] = {}
    for question in questions:
        options = _option_ids(question)
        # Ordering items are always shuffled: shown in the right order, they give the answer away.
        if options and (quiz.shuffle or isinstance(question, OrderingQuestion)):
            _shuffle(options, rng, away_from_original=isinstance(question, OrderingQuestion))
        if options:
            orders[question.id] = options
    return Layout(tuple(q.id for q in questions), orders)


def _shuffle(options: list[str], rng: random.Random, *, away_from_original: bool) -> None:
    original = list(options)
    rng.shuffle(options)
    if away_from_original and options == original:
        options.append(options.pop(0))


def _option_ids(question: object) -> list[str]:
    if isinstance(question, OrderingQuestion):
        return [item.id for item in question.items]
    if isinstance(question, MatchingQuestion):
        return [pair.id for pair in question.pairs]
    choices = getattr(question, "choices", None)
    return [c.id for c in choices] if choices is not None else []


def shuffled_options(questions: Sequence[QuestionBase], rng: random.Random) -> dict[str, list[str]]:
    """Shuffle each question's options; ordering items never stay in the right order."""
    orders: dict[str, list[str]] = {}
    for question in questions:
        options = _option_ids(question)
        if options:
            _shuffle(options, rng, away_from_original=isinstance(question, OrderingQuestion))
            orders[question.id] = options
    return orders
