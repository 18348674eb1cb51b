"""What `single` and `multiple` share: choices, their words, tags and tallies."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from course.content.model import Choice

from .base import Option


def picked_ids(answer: Any) -> list[str]:
    """Return the choice ids an answer picked (one id, or a list of them)."""
    if answer is None:
        return []
    return [str(a) for a in answer] if isinstance(answer, list) else [str(answer)]


def choice_words(choices: Sequence[Choice], answer: Any) -> str:
    """Return the texts of the picked choices."""
    texts = {c.id: c.text for c in choices}
    return " ; ".join(texts.get(c, c) for c in picked_ids(answer))


def wrong_tags(choices: Sequence[Choice], answer: Any) -> tuple[str, ...]:
    """Return the misconceptions tagged on the wrong choices an answer picked."""
    chosen = set(picked_ids(answer))
    return tuple(
        c.misconception for c in choices if c.id in chosen and not c.correct and c.misconception
    )


def choice_options(choices: Sequence[Choice]) -> tuple[Option, ...]:
    """Return every choice as an option the trainer's tallies count."""
    return tuple(Option(c.id, c.text, c.correct, c.misconception) for c in choices)
