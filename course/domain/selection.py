"""Which submitted attempts count: each learner's first, last or best at each quiz, or all.

The one rule behind the learning gain (first attempts), the needs-help signal (last attempts)
and the quiz analytics (any of the four). Its SQL form, for queries that must filter by it, is
`course.services.history.selected_attempts`; a test checks that the two choose the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol, TypeVar


class Selection(StrEnum):
    FIRST = "first"
    LAST = "last"
    BEST = "best"  # Moodle's "highest grade"; of equal grades, the earliest attempt
    ALL = "all"


SELECTION_LABELS = {
    Selection.FIRST: "premières tentatives",
    Selection.LAST: "dernières tentatives",
    Selection.BEST: "meilleures tentatives",
    Selection.ALL: "toutes les tentatives",
}


class Submitted(Protocol):
    """A submitted attempt: whose, at which quiz, its number and its grade (the score counted)."""

    @property
    def user_id(self) -> int: ...

    @property
    def quiz_id(self) -> str: ...

    @property
    def number(self) -> int: ...

    @property
    def grade(self) -> float | None: ...


S = TypeVar("S", bound=Submitted)


def parse_selection(value: str | None, default: Selection = Selection.FIRST) -> Selection:
    """Read a selection from a query string; anything unknown gives the default."""
    return Selection(value) if value in set(Selection) else default


def rank(selection: Selection, attempt: Submitted) -> tuple[float, ...]:
    """Order one learner's attempts at a quiz so that the chosen one comes first (smallest)."""
    if selection is Selection.LAST:
        return (-attempt.number,)
    if selection is Selection.BEST:
        grade = attempt.grade if attempt.grade is not None else float("-inf")
        return (-grade, attempt.number)
    return (attempt.number,)


def select_attempts(attempts: Iterable[S], selection: Selection) -> list[S]:
    """Keep each learner's chosen submitted attempt at each quiz (every one for `all`)."""
    if selection is Selection.ALL:
        return list(attempts)
    chosen: dict[tuple[int, str], S] = {}
    for attempt in attempts:
        key = (attempt.user_id, attempt.quiz_id)
        if key not in chosen or rank(selection, attempt) < rank(selection, chosen[key]):
            chosen[key] = attempt
    return list(chosen.values())
