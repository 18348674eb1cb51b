"""Learning gain: g per learner, module and objective; cohort averages with an insufficient mark."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from course.content.model import Course
from course.domain.gain import (
    Gain,
    cohort_gain,
    cohort_module_gains,
    learner_gains,
    module_gain,
    normalised_gain,
    objective_scores,
    overall_score,
)
from course.domain.history import Answered, first_attempts

# The fixture's pre-test: p-vf, p-vf2 on m1-o1; p-vf3, p-vf4, p-vf5 on m1-o2 (1 point each).
PRE_40 = {"p-vf": 1.0, "p-vf2": 1.0, "p-vf3": 0.0, "p-vf4": 0.0, "p-vf5": 0.0}
# The fixture's quiz: q-single, q-multiple on m1-o1; q-vf, q-num, q-text on m1-o2.
POST_80 = {"q-single": 1.0, "q-multiple": 1.0, "q-vf": 1.0, "q-num": 1.0, "q-text": 0.0}


@pytest.mark.parametrize(
    ("pre", "post", "g"),
    [
        (0.4, 0.8, 2 / 3),
        (0.0, 1.0, 1.0),
        (0.5, 0.5, 0.0),
        (0.6, 0.4, -1 / 3),  # worse than at the start: a third of what was known, lost
        (0.96, 0.62, -0.34 / 0.96),  # near the ceiling, Hake's g would be -8.5
        (0.5, 0.0, -1.0),  # everything lost: the least it can be
        (1.0, 1.0, None),  # no room to gain
        (None, 0.8, None),
        (0.4, None, None),
    ],
)
def test_normalised_gain(pre: float | None, post: float | None, g: float | None) -> None:
    found = normalised_gain(pre, post)
    assert found == (pytest.approx(g) if g is not None else None)


def test_forty_then_eighty_percent_is_a_gain_of_0_67() -> None:
    assert round(normalised_gain(0.4, 0.8) or 0, 2) == 0.67


def test_objective_scores_weigh_questions_by_points(course: Course) -> None:
    quiz = course.quizzes["m1-quiz"]
    assert objective_scores(quiz, POST_80) == {"m1-o1": 1.0, "m1-o2": pytest.approx(2 / 3)}
    assert objective_scores(quiz, {"q-single": 0.5, "unknown": 1.0}) == {"m1-o1": 0.5}
    assert overall_score(quiz, POST_80) == pytest.approx(0.8)
    assert overall_score(quiz, {}) is None


def test_module_gain_overall_and_per_objective(course: Course) -> None:
    first = {"m1-positionnement": PRE_40, "m1-quiz": POST_80}
    gain = module_gain(course, course.module("m1"), first)
    assert gain is not None
    assert gain.overall.pre == pytest.approx(0.4)
    assert gain.overall.post == pytest.approx(0.8)
    assert gain.overall.g == pytest.approx(2 / 3)
    objectives = dict(gain.objectives)
    assert objectives["m1-o1"].ceiling  # 100 % at the pre-test
    assert objectives["m1-o1"].g is None
    assert objectives["m1-o2"].g == pytest.approx(2 / 3)


def test_modules_without_a_pretest_have_no_gain(course: Course) -> None:
    assert module_gain(course, course.module("m2"), {}) is None
    assert [g.module_id for g in learner_gains(course, {})] == ["m1"]


def test_a_missing_quiz_leaves_post_empty(course: Course) -> None:
    gain = module_gain(course, course.module("m1"), {"m1-positionnement": PRE_40})
    assert gain is not None
    assert gain.overall.post is None
    assert gain.overall.g is None


def test_first_attempts_ignore_retakes() -> None:
    moment = datetime(2026, 11, 27, tzinfo=UTC)
    answers = [
        Answered("m1-quiz", "q-single", 2, 1.0, None, moment),
        Answered("m1-quiz", "q-single", 1, 0.0, None, moment),
        Answered("m1-quiz", "q-vf", 1, 1.0, None, moment),
    ]
    assert first_attempts(answers) == {"m1-quiz": {"q-single": 0.0, "q-vf": 1.0}}


def test_cohort_gain_is_hakes_gain_of_the_mean_scores() -> None:
    gains = [Gain(0.2, 0.6), Gain(0.4, 0.8), Gain(0.6, 1.0), Gain(0.0, 0.4), Gain(0.3, 0.7)]
    cohort = cohort_gain(gains)
    assert cohort.learners == 5
    assert not cohort.insufficient
    assert cohort.pre == pytest.approx(0.3)
    assert cohort.post == pytest.approx(0.7)
    assert cohort.g == pytest.approx(0.4 / 0.7)


def test_cohort_gain_marks_thin_data_and_skips_unpaired_learners() -> None:
    gains = [Gain(0.2, 0.6), Gain(None, 0.9), Gain(0.5, None), Gain(0.4, 0.8)]
    cohort = cohort_gain(gains)
    assert cohort.learners == 2
    assert cohort.insufficient
    assert cohort.g is not None  # still computed; the mark says how far to trust it
    assert cohort_gain([]).learners == 0
    assert cohort_gain([]).g is None
    assert not cohort_gain(gains, minimum=2).insufficient


def test_cohort_module_gains_per_module_and_objective(course: Course) -> None:
    learners = [{"m1-positionnement": PRE_40, "m1-quiz": POST_80}] * 5 + [{}]
    (m1,) = cohort_module_gains(course, learners)
    assert m1.module_id == "m1"
    assert m1.overall.learners == 5
    assert m1.overall.g == pytest.approx(2 / 3)
    objectives = dict(m1.objectives)
    assert objectives["m1-o2"].g == pytest.approx(2 / 3)
    assert objectives["m1-o1"].g is None  # the cohort was already at 100 %
    few = cohort_module_gains(course, learners[:2])
    assert few[0].overall.insufficient
