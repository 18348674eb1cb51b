"""Draw an attempt's questions and shuffle its choices, from a random source passed in."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from course.content.model import QuestionBase, Quiz

from .questions import question_type


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
        kind = question_type(question)
        options = kind.options(question)
        if options and (quiz.shuffle or kind.always_shuffled):
            _shuffle(options, rng, away_from_original=kind.always_shuffled)
        if options:
            orders[question.id] = options
    return Layout(tuple(q.id for q in questions), orders)


def _shuffle(options: list[str], rng: random.Random, *, away_from_original: bool) -> None:
    original = list(options)
    rng.shuffle(options)
    if away_from_original and options == original:
        options.append(options.pop(0))


def shuffled_options(questions: Sequence[QuestionBase], rng: random.Random) -> dict[str, list[str]]:
    """Shuffle each question's options; ordering items never stay in the right order."""
    orders: dict[str, list[str]] = {}
    for question in questions:
        kind = question_type(question)
        options = kind.options(question)
        if options:
            _shuffle(options, rng, away_from_original=kind.always_shuffled)
            orders[question.id] = options
    return orders
