"""Drawing and shuffling: from a random source passed in, so the same seed gives the same layout."""

from __future__ import annotations

import random

from pydantic import TypeAdapter

from course.content.model import Quiz
from course.domain.drawing import draw_layout

QUIZ = TypeAdapter(Quiz)


def quiz(**fields: object) -> Quiz:
    questions = [
        {
            "id": f"q{n}",
            "type": "single",
            "prompt": "?",
            "objective": "o",
            "choices": [
                {"id": "a", "text": "A", "correct": True},
                {"id": "b", "text": "B"},
                {"id": "c", "text": "C"},
            ],
        }
        for n in range(10)
    ]
    questions.append(
        {
            "id": "order",
            "type": "ordering",
            "prompt": "?",
            "objective": "o",
            "items": [{"id": "x", "text": "X"}, {"id": "y", "text": "Y"}],
        }
    )
    base = {"id": "z", "module": "m", "title": "T", "pass_mark": 0.5, "questions": questions}
    return QUIZ.validate_python({**base, **fields})


def test_draw_picks_that_many_distinct_questions() -> None:
    layout = draw_layout(quiz(draw=4), random.Random(1))
    assert len(layout.question_ids) == 4
    assert len(set(layout.question_ids)) == 4


def test_same_seed_same_layout_and_shuffle_changes_order() -> None:
    layouts = {draw_layout(quiz(), random.Random(seed)).question_ids for seed in range(20)}
    assert len(layouts) > 1
    assert draw_layout(quiz(), random.Random(7)) == draw_layout(quiz(), random.Random(7))


def test_without_shuffle_questions_and_choices_keep_their_order() -> None:
    layout = draw_layout(quiz(shuffle=False), random.Random(3))
    assert layout.question_ids == (*(f"q{n}" for n in range(10)), "order")
    assert layout.option_orders["q0"] == ["a", "b", "c"]


def test_ordering_items_are_never_shown_in_the_right_order() -> None:
    for seed in range(30):
        layout = draw_layout(quiz(shuffle=False), random.Random(seed))
        assert layout.option_orders["order"] == ["y", "x"]
