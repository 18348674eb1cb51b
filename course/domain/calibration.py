"""Confidence and calibration: what each sure or unsure answer says, and how well certainty fits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from course.content.model import QuestionBase, Quiz

from .history import Answered
from .misconceptions import misconception_tags
from .scoring import QuestionResult, cbm_score, is_right

SURE = 2  # « assez sûr(e) » and « très sûr(e) » count as sure; « peu sûr(e) » does not
# Moodle's CBM ranges: the accuracy at which each certainty level is the best bet.
EXPECTED: dict[int, tuple[float, float]] = {1: (0.0, 2 / 3), 2: (2 / 3, 0.8), 3: (0.8, 1.0)}
MIN_ANSWERS = 3  # fewer answers at a level: no verdict on its calibration


class Verdict(StrEnum):
    SURE_RIGHT = "sure_right"  # knowledge to rely on
    SURE_WRONG = "sure_wrong"  # a misconception to revisit
    UNSURE_RIGHT = "unsure_right"  # knowledge to consolidate
    UNSURE_WRONG = "unsure_wrong"  # a gap the learner knows about


def verdict(fraction: float, confidence: int | None) -> Verdict | None:
    """Classify an answer by correctness and certainty; None when no certainty was given."""
    if confidence is None:
        return None
    right = is_right(fraction)
    if confidence >= SURE:
        return Verdict.SURE_RIGHT if right else Verdict.SURE_WRONG
    return Verdict.UNSURE_RIGHT if right else Verdict.UNSURE_WRONG


@dataclass(frozen=True)
class Insight:
    """What the review says of one answer: its verdict, misconceptions and where to revisit."""

    verdict: Verdict | None
    misconceptions: tuple[str, ...] = ()
    step_id: str | None = None


def insight(
    question: QuestionBase, fraction: float, confidence: int | None, response: Any
) -> Insight:
    """Read one answer: sure or not, right or not, and the misconceptions behind a wrong one."""
    found = verdict(fraction, confidence)
    return Insight(found, misconception_tags(question, response, fraction), question.step)


class StoredAnswer(Protocol):
    """An answer as stored: the question, what it earned, the certainty given, the response."""

    question_id: str
    fraction: float
    points: float
    confidence: int | None
    response: Any


@dataclass(frozen=True)
class CertaintyReview:
    """The review's reading of a submission: each answer's insight, the CBM score, the tally."""

    insights: dict[str, Insight] = field(default_factory=dict)
    cbm: float | None = None  # None when the quiz asks no certainty
    counts: dict[Verdict, int] = field(default_factory=dict)


def certainty_review(
    quiz: Quiz, answers: Sequence[StoredAnswer], stored_cbm: float | None = None
) -> CertaintyReview:
    """Read every answer of a submission and its CBM score (the stored one when there is one)."""
    insights: dict[str, Insight] = {}
    results: list[QuestionResult] = []
    for answer in answers:
        question = quiz.question(answer.question_id)
        if question is None:
            continue
        insights[question.id] = insight(
            question, answer.fraction, answer.confidence, answer.response
        )
        results.append(QuestionResult(question.id, answer.fraction, answer.points, question.points))
    if not quiz.confidence:
        return CertaintyReview(insights)
    certainty = {a.question_id: a.confidence for a in answers}
    counts = Counter(i.verdict for i in insights.values() if i.verdict is not None)
    cbm = stored_cbm if stored_cbm is not None else cbm_score(results, certainty)
    return CertaintyReview(insights, cbm, dict(counts))


@dataclass(frozen=True)
class Level:
    """How accurate the learner is when they say they are this sure."""

    certainty: int
    answers: int
    right: int

    @property
    def accuracy(self) -> float | None:
        """Return the share of right answers at this level; None without answers."""
        return self.right / self.answers if self.answers else None

    @property
    def expected(self) -> tuple[float, float]:
        """Return the accuracy range where this certainty is well chosen."""
        return EXPECTED[self.certainty]

    @property
    def status(self) -> str:
        """Tell 'too_few', 'overconfident', 'underconfident' or 'calibrated'."""
        accuracy = self.accuracy
        if accuracy is None or self.answers < MIN_ANSWERS:
            return "too_few"
        low, high = self.expected
        if accuracy < low:
            return "overconfident"
        if accuracy > high:
            return "underconfident"
        return "calibrated"


def calibration(answers: Iterable[Answered]) -> tuple[Level, ...]:
    """Count answers and right answers at each certainty level, 1 to 3."""
    counts = {level: [0, 0] for level in EXPECTED}
    for answer in answers:
        if answer.confidence in counts:
            counts[answer.confidence][0] += 1
            counts[answer.confidence][1] += int(answer.right)
    return tuple(Level(level, total, right) for level, (total, right) in counts.items())


@dataclass(frozen=True)
class Bar:
    """One certainty level drawn as a bar, over the band of accuracy it should reach."""

    level: Level
    x: float
    width: float
    y: float
    height: float
    band_y: float
    band_height: float


# The chart's frame, in SVG user units (templates/progress/page.html draws it): 340 wide like
# web/charts.py's, so that its 13-unit text reads at 12 px or more on a 390 px phone.
CHART_WIDTH, CHART_HEIGHT = 340, 256
PLOT_LEFT, PLOT_TOP, PLOT_HEIGHT, SLOT = 48, 24, 170, 96


def plot_y(fraction: float) -> float:
    """Return the height on the chart of an accuracy, 0 at the bottom, 1 at the top."""
    return PLOT_TOP + PLOT_HEIGHT * (1 - fraction)


def chart_bars(levels: Sequence[Level]) -> tuple[Bar, ...]:
    """Lay out one bar per certainty level, with its expected band behind it."""
    bars = []
    for index, level in enumerate(levels):
        low, high = level.expected
        value = level.accuracy or 0.0
        x = PLOT_LEFT + index * SLOT + SLOT * 0.2
        bars.append(
            Bar(
                level=level,
                x=x,
                width=SLOT * 0.6,
                y=plot_y(value),
                height=PLOT_HEIGHT * value,
                band_y=plot_y(high),
                band_height=PLOT_HEIGHT * (high - low),
            )
        )
    return tuple(bars)
