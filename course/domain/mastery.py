"""Mastery per objective: the learner's latest answer to each quiz question, by objective."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from course.content.model import Course

from .history import Answered, latest_answers

MASTERED, ON_TRACK = 0.8, 0.5


@dataclass(frozen=True)
class Mastery:
    """How much of an objective the learner's latest answers show, 0 to 1 (None: not assessed)."""

    module_id: str
    objective_id: str
    text: str
    score: float | None
    questions: int

    @property
    def level(self) -> str:
        """Tell 'unassessed', 'mastered' (80 % and up), 'on_track' (50 % and up) or 'to_work'."""
        if self.score is None:
            return "unassessed"
        if self.score >= MASTERED:
            return "mastered"
        return "on_track" if self.score >= ON_TRACK else "to_work"


def objective_mastery(course: Course, answers: Iterable[Answered]) -> list[Mastery]:
    """Score every objective of the course on the latest answer to each graded quiz question."""
    graded = {m.quiz for m in course.modules}
    earned: dict[str, float] = {}
    total: dict[str, float] = {}
    counted: dict[str, int] = {}
    for (quiz_id, question_id), answer in latest_answers(answers).items():
        question = course.quizzes[quiz_id].question(question_id) if quiz_id in graded else None
        if question is None or question.objective is None:
            continue
        key = question.objective
        earned[key] = earned.get(key, 0.0) + answer.fraction * question.points
        total[key] = total.get(key, 0.0) + question.points
        counted[key] = counted.get(key, 0) + 1
    return [
        Mastery(
            module.id,
            o.id,
            o.text,
            earned[o.id] / total[o.id] if total.get(o.id) else None,
            counted.get(o.id, 0),
        )
        for module in course.modules
        for o in module.objectives
    ]
