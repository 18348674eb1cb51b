"""The misconceptions a wrong answer shows: one rule for the review, analytics and alerts."""

from __future__ import annotations

from typing import Any

from course.content.model import QuestionBase

from .answer_text import is_blank
from .questions import question_type
from .scoring import is_right


def misconception_tags(question: QuestionBase, response: Any, fraction: float) -> tuple[str, ...]:
    """Name what a wrong answer shows: its chosen wrong options' tags, else the question's; a
    blank shows nothing (no answer, no idea to name)."""
    if is_right(fraction) or is_blank(response):
        return ()
    found = question_type(question).chosen_tags(question, response)
    if not found and question.misconception:
        found = (question.misconception,)
    return tuple(dict.fromkeys(found))
