"""Score answers, one pure function per question type."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import singledispatch
from typing import Any

from course.content.model import (
    MatchingQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderingQuestion,
    QuestionBase,
    SingleQuestion,
    TextQuestion,
    TrueFalseQuestion,
)
from course.content.textfold import fold

# An answer as stored: a choice id, a list of ids, a bool, a number, a text, or {pair: pair}.
Answer = str | float | bool | list[str] | dict[str, str] | None
_EPSILON = 1e-9


@dataclass(frozen=True)
class QuestionResult:
    """What one answer earned."""

    question_id: str
    fraction: float
    points: float
    max_points: float

    @property
    def correct(self) -> bool:
        """Tell whether the answer earned every point."""
        return self.fraction >= 1 - _EPSILON


@dataclass(frozen=True)
class AttemptResult:
    """What a whole submission earned."""

    results: tuple[QuestionResult, ...]

    @property
    def points(self) -> float:
        return sum(r.points for r in self.results)

    @property
    def max_points(self) -> float:
        return sum(r.max_points for r in self.results)

    @property
    def score(self) -> float:
        """Return the fraction of points earned, 0 to 1."""
        return self.points / self.max_points if self.max_points else 0.0


def score_question(question: QuestionBase, answer: Answer) -> QuestionResult:
    """Score one answer to one question."""
    fraction = max(0.0, min(1.0, answer_fraction(question, answer)))
    return QuestionResult(question.id, fraction, fraction * question.points, question.points)


def score_attempt(
    questions: Sequence[QuestionBase], answers: Mapping[str, Answer]
) -> AttemptResult:
    """Score a submission: every drawn question, answered or not."""
    return AttemptResult(tuple(score_question(q, answers.get(q.id)) for q in questions))


def passed(score: float, pass_mark: float) -> bool:
    """Tell whether a score reaches a pass mark."""
    return score >= pass_mark - _EPSILON


# Certainty-based marking, Moodle's table: (mark if right, mark if wrong) by certainty 1-3.
CBM_MARKS: dict[int, tuple[float, float]] = {1: (1.0, 0.0), 2: (2.0, -2.0), 3: (3.0, -6.0)}
CBM_MAX = 3.0
DEFAULT_CERTAINTY = 1  # Moodle's rule when the learner says nothing: the lowest certainty


def cbm_mark(fraction: float, certainty: int | None) -> float:
    """Return one answer's CBM mark: 1, 2 or 3 times its fraction if right, 0, -2 or -6 if wrong."""
    right, wrong = CBM_MARKS[certainty or DEFAULT_CERTAINTY]
    return wrong if fraction <= _EPSILON else right * fraction


def cbm_score(results: Sequence[QuestionResult], certainty: Mapping[str, int | None]) -> float:
    """Return the certainty-based score, from -2 to 1: CBM marks weighted by points, over 3."""
    total = sum(r.max_points for r in results)
    if not total:
        return 0.0
    marks = sum(r.max_points * cbm_mark(r.fraction, certainty.get(r.question_id)) for r in results)
    return marks / (CBM_MAX * total)


def counted_score(
    scoring: str, result: AttemptResult, certainty: Mapping[str, int | None]
) -> float:
    """Return the score that decides passing: the plain one, or the CBM one for `scoring: cbm`."""
    return cbm_score(result.results, certainty) if scoring == "cbm" else result.score


@singledispatch
def answer_fraction(question: QuestionBase, answer: Any) -> float:
    """Return the fraction of the question's points that an answer earns."""
    raise TypeError(f"no scoring rule for {type(question).__name__}")


@answer_fraction.register
def _single(question: SingleQuestion, answer: Any) -> float:
    return float(any(c.correct and c.id == answer for c in question.choices))


@answer_fraction.register
def _multiple(question: MultipleQuestion, answer: Any) -> float:
    chosen = set(answer) if isinstance(answer, list) else set()
    right = {c.id for c in question.choices if c.correct}
    if not question.partial:
        return float(chosen == right)
    hits = len(chosen & right)
    misses = len(chosen - right)
    return (hits - misses) / len(right)


@answer_fraction.register
def _true_false(question: TrueFalseQuestion, answer: Any) -> float:
    return float(isinstance(answer, bool) and answer == question.answer)


@answer_fraction.register
def _numeric(question: NumericQuestion, answer: Any) -> float:
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        return 0.0
    return float(abs(answer - question.answer) <= question.tolerance + _EPSILON)


@answer_fraction.register
def _text(question: TextQuestion, answer: Any) -> float:
    if not isinstance(answer, str):
        return 0.0
    return float(fold(answer) in {fold(a) for a in question.accept})


@answer_fraction.register
def _ordering(question: OrderingQuestion, answer: Any) -> float:
    expected = [item.id for item in question.items]
    given = list(answer) if isinstance(answer, list) else []
    if not question.partial:
        return float(given == expected)
    in_place = sum(1 for a, b in zip(given, expected, strict=False) if a == b)
    return in_place / len(expected)


@answer_fraction.register
def _matching(question: MatchingQuestion, answer: Any) -> float:
    given = answer if isinstance(answer, dict) else {}
    matched = sum(1 for pair in question.pairs if given.get(pair.id) == pair.id)
    if not question.partial:
        return float(matched == len(question.pairs))
    return matched / len(question.pairs)
