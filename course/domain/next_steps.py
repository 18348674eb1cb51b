"""What a result leads to: steps to revisit after a fail, what a pass opened, the certificate."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from course.content.model import Course, Quiz

from .progression import (
    NextAction,
    Progress,
    State,
    course_completed,
    module_status,
    next_action,
    unlocked_tools,
)
from .scoring import is_right


@dataclass(frozen=True)
class NextSteps:
    """The way on from a quiz result."""

    revisit: tuple[str, ...]  # step ids linked from wrong answers, first seen first, no repeats
    opened_modules: tuple[str, ...]  # modules this quiz's pass unlocks
    opened_tools: tuple[str, ...]  # tools this quiz's pass unlocks
    completed: bool  # the whole course is completed
    then: NextAction  # what the course home would propose next


def steps_to_revisit(
    course: Course, quiz: Quiz, answers: Iterable[tuple[str, float]]
) -> tuple[str, ...]:
    """Return the steps linked from the wrong answers (question id, fraction), without repeats."""
    found: dict[str, None] = {}
    for question_id, fraction in answers:
        question = quiz.question(question_id)
        if is_right(fraction) or question is None or question.step is None:
            continue
        if course.module_of_step(question.step) is not None:
            found.setdefault(question.step)
    return tuple(found)


def next_steps(
    course: Course, quiz: Quiz, answers: Iterable[tuple[str, float]], progress: Progress
) -> NextSteps:
    """Read a result: what to revisit, and what passing this quiz opened (compared to not)."""
    without = replace(progress, quizzes={k: v for k, v in progress.quizzes.items() if k != quiz.id})
    passed = progress.record(quiz.id).passed
    opened_modules = tuple(
        m.id
        for m in course.modules
        if passed
        and module_status(course, m, without).state is State.LOCKED
        and module_status(course, m, progress).state is not State.LOCKED
    )
    before = unlocked_tools(course, without) if passed else frozenset()
    opened_tools = tuple(
        t for t in course.tools if passed and t in unlocked_tools(course, progress) - before
    )
    return NextSteps(
        revisit=steps_to_revisit(course, quiz, answers),
        opened_modules=opened_modules,
        opened_tools=opened_tools,
        completed=course_completed(course, progress),
        then=next_action(course, progress),
    )
