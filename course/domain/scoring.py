"""Score answers (each question type scores its own), and the rules built on the fractions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from course.content.model import QuestionBase

from .questions import Answer as Answer
from .questions import question_type

# Fractions are sums of float divisions (1/3 + 2/3 may fall a hair short of 1): the one slack.
TOLERANCE = 1e-9
RIGHT_FROM = 1 - TOLERANCE  # the SQL form of is_right: `fraction >= RIGHT_FROM`


def is_right(fraction: float) -> bool:
    """Tell whether an answer earned every point; the one rule, also the Jinja test `right`."""
    return fraction >= RIGHT_FROM


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
        return is_right(self.fraction)


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
    return score >= pass_mark - TOLERANCE


# Certainty-based marking, Moodle's table: (mark if right, mark if wrong) by certainty 1-3.
CBM_MARKS: dict[int, tuple[float, float]] = {1: (1.0, 0.0), 2: (2.0, -2.0), 3: (3.0, -6.0)}
CBM_MAX = 3.0
DEFAULT_CERTAINTY = 1  # Moodle's rule when the learner says nothing: the lowest certainty


def certainty_marks(score: float) -> float:
    """Return a certainty score (-2 to 1) as its average mark per question (-6 to +3), to 0.1:
    how pages and exports give it."""
    return round(score * CBM_MAX, 1)


def cbm_mark(fraction: float, certainty: int | None) -> float:
    """Return one answer's CBM mark: 1, 2 or 3 times its fraction if right, 0, -2 or -6 if wrong."""
    right, wrong = CBM_MARKS[certainty or DEFAULT_CERTAINTY]
    return wrong if fraction <= TOLERANCE else right * fraction


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


def answer_fraction(question: QuestionBase, answer: Answer) -> float:
    """Return the fraction of the question's points that an answer earns (its type decides)."""
    return question_type(question).fraction(question, answer)
