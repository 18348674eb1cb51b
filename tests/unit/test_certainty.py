"""Certainty-based marking (Moodle's table) and calibration: verdicts, misconceptions, levels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import TypeAdapter

from course.content.model import Question, Quiz
from course.domain.calibration import (
    PLOT_HEIGHT,
    Verdict,
    calibration,
    certainty_review,
    chart_bars,
    insight,
    plot_y,
    verdict,
)
from course.domain.history import Answered
from course.domain.scoring import (
    QuestionResult,
    cbm_mark,
    cbm_score,
    counted_score,
    score_attempt,
)

QUESTION = TypeAdapter(Question)


def make(type_: str, **fields: Any) -> Any:
    return QUESTION.validate_python(
        {"id": "q", "type": type_, "prompt": "?", "objective": "o", **fields}
    )


SINGLE = make(
    "single",
    step="s-intro",
    choices=[
        {"id": "a", "text": "A", "correct": True},
        {"id": "b", "text": "B", "misconception": "perimetre-administratif"},
        {"id": "c", "text": "C"},
    ],
)
MULTIPLE = make(
    "multiple",
    choices=[
        {"id": "a", "text": "A", "correct": True},
        {"id": "b", "text": "B", "misconception": "idee-b"},
        {"id": "c", "text": "C", "misconception": "idee-c"},
    ],
)
TRUE_FALSE = make("true_false", answer=False, misconception="ciel-vert")


@pytest.mark.parametrize(
    ("fraction", "certainty", "mark"),
    [
        (1.0, 1, 1.0),
        (1.0, 2, 2.0),
        (1.0, 3, 3.0),
        (0.0, 1, 0.0),
        (0.0, 2, -2.0),
        (0.0, 3, -6.0),
        (0.5, 3, 1.5),  # partly right counts as right, scaled (Moodle)
        (1.0, None, 1.0),  # no certainty given: the lowest
        (0.0, None, 0.0),
    ],
)
def test_cbm_mark_follows_moodles_table(
    fraction: float, certainty: int | None, mark: float
) -> None:
    assert cbm_mark(fraction, certainty) == pytest.approx(mark)


def results(*fractions: float, points: float = 1.0) -> list[QuestionResult]:
    return [QuestionResult(f"q{i}", f, f * points, points) for i, f in enumerate(fractions)]


@pytest.mark.parametrize(
    ("fractions", "certainty", "score"),
    [
        ((1.0, 1.0), {"q0": 3, "q1": 3}, 1.0),
        ((1.0, 1.0), {"q0": 1, "q1": 1}, 1 / 3),
        ((1.0, 0.0), {"q0": 3, "q1": 3}, (3 - 6) / 6),
        ((1.0, 0.0), {"q0": 3, "q1": 1}, 3 / 6),
        ((0.0, 0.0), {"q0": 3, "q1": 3}, -2.0),
        ((), {}, 0.0),
    ],
)
def test_cbm_score_is_the_mean_mark_over_three(
    fractions: tuple[float, ...], certainty: dict[str, int], score: float
) -> None:
    assert cbm_score(results(*fractions), certainty) == pytest.approx(score)


def test_cbm_score_weights_questions_by_points() -> None:
    weighted = [QuestionResult("a", 1.0, 3.0, 3.0), QuestionResult("b", 0.0, 0.0, 1.0)]
    assert cbm_score(weighted, {"a": 3, "b": 3}) == pytest.approx((3 * 3 - 6) / (3 * 4))


def test_counted_score_is_plain_unless_the_quiz_says_cbm() -> None:
    result = score_attempt([SINGLE], {"q": "a"})
    assert counted_score("plain", result, {"q": 1}) == pytest.approx(1.0)
    assert counted_score("cbm", result, {"q": 1}) == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("fraction", "confidence", "expected"),
    [
        (1.0, 3, Verdict.SURE_RIGHT),
        (1.0, 2, Verdict.SURE_RIGHT),
        (0.0, 3, Verdict.SURE_WRONG),
        (0.5, 2, Verdict.SURE_WRONG),  # partly right is not right
        (1.0, 1, Verdict.UNSURE_RIGHT),
        (0.0, 1, Verdict.UNSURE_WRONG),
        (1.0, None, None),
    ],
)
def test_verdict(fraction: float, confidence: int | None, expected: Verdict | None) -> None:
    assert verdict(fraction, confidence) == expected


def test_a_right_answer_shows_no_misconception_and_points_to_the_step() -> None:
    assert insight(SINGLE, 1.0, 3, "a").misconceptions == ()
    wrong = insight(SINGLE, 0.0, 3, "b")
    assert wrong.verdict is Verdict.SURE_WRONG
    assert wrong.misconceptions == ("perimetre-administratif",)
    assert wrong.step_id == "s-intro"


def answered(fraction: float, confidence: int | None, minute: int = 0) -> Answered:
    moment = datetime(2026, 11, 27, 9, minute, tzinfo=UTC)
    return Answered("quiz", f"q{minute}", 1, fraction, confidence, moment)


def test_calibration_counts_right_answers_per_certainty() -> None:
    answers = [answered(1.0, 3), answered(0.0, 3), answered(1.0, 1), answered(1.0, None)]
    levels = {level.certainty: level for level in calibration(answers)}
    assert (levels[3].answers, levels[3].right, levels[3].accuracy) == (2, 1, 0.5)
    assert (levels[1].answers, levels[1].right) == (1, 1)
    assert levels[2].answers == 0
    assert levels[2].accuracy is None


@pytest.mark.parametrize(
    ("certainty", "right", "total", "status"),
    [
        (3, 1, 4, "overconfident"),  # 25 % right when "very sure"
        (3, 9, 10, "calibrated"),
        (1, 9, 10, "underconfident"),  # 90 % right when "unsure"
        (1, 5, 10, "calibrated"),
        (2, 7, 10, "calibrated"),
        (2, 2, 2, "too_few"),
    ],
)
def test_calibration_status(certainty: int, right: int, total: int, status: str) -> None:
    answers = [answered(1.0 if i < right else 0.0, certainty, i) for i in range(total)]
    level = next(lv for lv in calibration(answers) if lv.certainty == certainty)
    assert level.status == status


def test_chart_bars_reach_the_accuracy_and_sit_over_the_expected_band() -> None:
    answers = [answered(1.0, 3, i) for i in range(4)] + [answered(0.0, 1, 9)]
    bars = {bar.level.certainty: bar for bar in chart_bars(calibration(answers))}
    assert bars[3].height == pytest.approx(PLOT_HEIGHT)
    assert bars[3].y == pytest.approx(plot_y(1.0))
    assert bars[1].height == 0
    assert bars[2].band_y == pytest.approx(plot_y(0.8))
    assert bars[2].band_height == pytest.approx(PLOT_HEIGHT * (0.8 - 2 / 3))
    assert bars[1].x < bars[2].x < bars[3].x


@dataclass
class Row:
    question_id: str
    fraction: float
    points: float
    confidence: int | None
    response: Any


def test_certainty_review_reads_each_answer_and_scores_cbm() -> None:
    quiz = Quiz(id="qz", module="m", title="T", pass_mark=0.5, confidence=True, questions=(SINGLE,))
    review = certainty_review(quiz, [Row("q", 0.0, 0.0, 3, "b")])
    assert review.insights["q"].misconceptions == ("perimetre-administratif",)
    assert review.counts == {Verdict.SURE_WRONG: 1}
    assert review.cbm == pytest.approx(-2.0)
    assert certainty_review(quiz, [Row("q", 0.0, 0.0, 3, "b")], stored_cbm=0.25).cbm == 0.25


def test_no_cbm_score_when_the_quiz_asks_no_certainty() -> None:
    quiz = Quiz(id="qz", module="m", title="T", pass_mark=0.5, questions=(SINGLE,))
    review = certainty_review(quiz, [Row("q", 1.0, 1.0, None, "a")])
    assert review.cbm is None
    assert review.counts == {}
