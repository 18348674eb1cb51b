"""Honest durations: a step's time from its words and its activities, a module's from its parts.

A step takes its words at 200 a minute (rounded up) plus the minutes of its `activities`; a
module takes its steps' estimates plus the `duration_minutes` of its quiz and pre-test. The
check warns when a declared `duration_minutes` is more than 25 % away from the estimate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from .model import Activity, Module, Quiz, Step

WORDS_PER_MINUTE = 200
TOLERANCE = 0.25
# `duration_minutes` must be 1 or more, so the advice never asks for less, even for an empty step.
LEAST_DECLARED_MINUTES = 1

_LINK_TARGET = re.compile(r"\]\([^)]*\)")  # the address of a link or image, not read aloud
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")  # l'alliance, co-construction: one word


def count_words(markdown: str) -> int:
    """Count the words a reader reads in Markdown (link addresses and HTML tags left out)."""
    return len(_WORD.findall(_TAG.sub(" ", _LINK_TARGET.sub("]", markdown))))


def step_estimate(words: int, activities: Iterable[Activity]) -> int:
    """Estimate a step's minutes: its words at 200 a minute plus its activities' minutes."""
    return math.ceil(words / WORDS_PER_MINUTE) + sum(a.minutes for a in activities)


def module_estimate(module: Module, quizzes: Iterable[Quiz]) -> int:
    """Estimate a module's minutes: its steps' estimates plus its quiz's and pre-test's."""
    own = {module.quiz, module.pretest}
    return sum(s.estimated_minutes for s in module.steps) + sum(
        q.duration_minutes for q in quizzes if q.id in own
    )


def far_from_estimate(declared: int, estimate: int) -> bool:
    """Tell whether a declared duration is more than 25 % away from the estimate."""
    return abs(declared - estimate) > TOLERANCE * estimate


def duration_gap(step: Step) -> str | None:
    """Say how a step's declared time strays from its estimate, or None when it is close."""
    advised = max(step.estimated_minutes, LEAST_DECLARED_MINUTES)
    if not far_from_estimate(step.duration_minutes, advised):
        return None
    activities = sum(a.minutes for a in step.activities)
    return (
        f"[duration] step '{step.id}' declares {step.duration_minutes} min but its estimate is "
        f"{step.estimated_minutes} min ({step.words} words at {WORDS_PER_MINUTE} a minute "
        f"+ {activities} min of activities): declare about {advised} "
        "or add the activities the step asks for"
    )
