"""Retrieval warm-up: at a module's start, a few questions the learner missed in earlier modules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from course.content.model import Course, Module, QuestionBase

from .answers import FormValues, InvalidAnswer, parse_answer
from .history import Answered, latest_answers
from .scoring import Answer, score_question

WARMUP_MIN, WARMUP_MAX = 3, 5


@dataclass(frozen=True)
class WarmupQuestion:
    """A question offered again: its place in the warm-up, its quiz and the question itself."""

    position: int
    quiz_id: str
    question: QuestionBase

    @property
    def prefix(self) -> str:
        """Return the prefix of its form fields ("w1-"): ids may repeat across quizzes."""
        return f"w{self.position}-"


def earlier_quizzes(course: Course, module: Module) -> list[str]:
    """Return the graded quizzes of the modules that come before this one."""
    return [m.quiz for m in course.modules if m.order < module.order]


def warmup_questions(
    course: Course, module: Module, answers: Iterable[Answered]
) -> list[WarmupQuestion]:
    """Pick 3 to 5 missed questions: still wrong first, then the longest unseen; [] if fewer."""
    quizzes = set(earlier_quizzes(course, module))
    answers = [a for a in answers if a.quiz_id in quizzes]
    missed = {(a.quiz_id, a.question_id) for a in answers if not a.right}
    latest = latest_answers(answers)
    ranked = sorted(missed, key=lambda key: (latest[key].right, latest[key].submitted_at, key))
    found = [(q, course.quizzes[q].question(i)) for q, i in ranked]
    picked = [(quiz_id, question) for quiz_id, question in found if question is not None]
    if len(picked) < WARMUP_MIN:
        return []
    return [
        WarmupQuestion(n, q, question) for n, (q, question) in enumerate(picked[:WARMUP_MAX], 1)
    ]


@dataclass(frozen=True)
class WarmupAnswer:
    """A warm-up answer, scored but never stored; `error` when it could not be read."""

    item: WarmupQuestion
    answer: Answer = None
    fraction: float = 0.0
    error: str | None = None


def score_warmup(items: Sequence[WarmupQuestion], form: FormValues) -> list[WarmupAnswer]:
    """Read and score each warm-up answer from its prefixed form fields."""
    scored = []
    for item in items:
        prefix = item.prefix
        fields = {k[len(prefix) :]: v for k, v in form.items() if k.startswith(prefix)}
        try:
            answer = parse_answer(item.question, fields)
        except InvalidAnswer as exc:
            scored.append(WarmupAnswer(item, error=str(exc)))
            continue
        scored.append(WarmupAnswer(item, answer, score_question(item.question, answer).fraction))
    return scored
