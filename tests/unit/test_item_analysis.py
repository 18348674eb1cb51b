"""Item analysis agrees with Moodle's formulas computed independently on the same answers."""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter

import pytest

from course.content.model import Course, Quiz
from course.demo.synthetic import right_response, wrong_response
from course.domain import item_analysis
from course.domain.item_analysis import AnswerFact, ItemSums, analyse, gather
from course.domain.scoring import score_question


@pytest.fixture(scope="module")
def quiz(course: Course) -> Quiz:
    return course.quizzes["m1-quiz"]


def answers_for(quiz: Quiz, learners: int, seed: int) -> list[AnswerFact]:
    """Answers of learners with some ability; the last question is answered at random."""
    rng = random.Random(seed)
    found = []
    for learner in range(learners):
        ability = rng.gauss(0, 1)
        for index, question in enumerate(quiz.questions):
            noisy = index == len(quiz.questions) - 1
            right = rng.random() < (0.5 if noisy else 1 / (1 + math.exp(-2 * (ability + 0.3))))
            response = right_response(question) if right else wrong_response(question, rng)
            result = score_question(question, response)
            found.append(
                AnswerFact(
                    learner,
                    1000 + learner,
                    question.id,
                    result.points,
                    result.fraction,
                    response,
                    rng.choice((1, 2, 3)),
                )
            )
    return found


def naive(quiz: Quiz, answers: list[AnswerFact], question_id: str) -> dict[str, float | None]:
    """Moodle's formulas, straight from their definitions (lms-features.md §3.1)."""
    totals: dict[int, float] = {}
    for a in answers:
        totals[a.attempt_id] = totals.get(a.attempt_id, 0.0) + a.points
    own = [a for a in answers if a.question_id == question_id]
    x = [a.points for a in own]
    rest = [totals[a.attempt_id] - a.points for a in own]
    points = next(q.points for q in quiz.questions if q.id == question_id)
    cov = statistics.covariance(x, rest)
    cov_max = statistics.covariance(sorted(x), sorted(rest))
    spread = statistics.stdev(x) * statistics.stdev(rest)
    return {
        "facility": 100 * statistics.fmean(x) / points,
        "sd": 100 * statistics.stdev(x) / points,
        "discrimination": 100 * statistics.correlation(x, rest) if spread else None,
        "efficiency": 100 * cov / cov_max if cov_max > 0 else None,
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_statistics_agree_with_the_formulas(quiz: Quiz, seed: int) -> None:
    answers = answers_for(quiz, 60, seed)
    analysis = analyse(quiz, gather(quiz, answers), min_learners=20, weak_efficiency=15)
    assert analysis.learners == 60
    for stats in analysis.questions:
        expected = naive(quiz, answers, stats.question_id)
        assert stats.n == 60
        for name, value in expected.items():
            got = getattr(stats, name)
            assert (got is None) == (value is None), name
            if value is not None:
                assert got == pytest.approx(value, abs=1e-6), (stats.question_id, name)


def test_a_question_answered_at_random_is_flagged_with_its_file_and_line(quiz: Quiz) -> None:
    data = gather(quiz, answers_for(quiz, 200, 5))
    analysis = analyse(quiz, data, min_learners=20, weak_efficiency=15)
    by_id = {s.question_id: s for s in analysis.questions}
    noisy = by_id[quiz.questions[-1].id]
    assert noisy.weak
    assert noisy.location == f"quizzes/m1-quiz.yaml:{quiz.questions[-1].line}"
    assert quiz.questions[-1].line > 0
    assert not by_id[quiz.questions[0].id].weak


def test_statistics_are_none_when_they_cannot_be_computed(quiz: Quiz) -> None:
    one = answers_for(quiz, 1, 1)
    analysis = analyse(quiz, gather(quiz, one), min_learners=20, weak_efficiency=15)
    assert not analysis.enough
    for stats in analysis.questions:
        assert stats.discrimination is None
        assert stats.efficiency is None
        assert stats.sd is None


def test_everyone_right_means_no_discrimination_and_too_easy(quiz: Quiz) -> None:
    question = quiz.questions[0]
    answers = [
        AnswerFact(i, i, question.id, question.points, 1.0, right_response(question))
        for i in range(30)
    ]
    stats = analyse(quiz, gather(quiz, answers), min_learners=5, weak_efficiency=15).questions[0]
    assert stats.facility == 100
    assert stats.discrimination is None
    assert any("très facile" in f for f in stats.flags)


@pytest.mark.parametrize(
    ("facility", "d", "de", "flag"),
    [
        (50.0, -10.0, -20.0, "discrimination négative"),
        (50.0, 10.0, 12.0, "efficacité discriminante faible"),
        (50.0, 40.0, 50.0, None),
        (97.0, 40.0, 50.0, "très facile"),
        (15.0, 40.0, 50.0, "très difficile"),
    ],
)
def test_weak_flags(facility: float, d: float, de: float, flag: str | None) -> None:
    flags = item_analysis.weak_flags(facility, d, de, 15)
    assert (flags == ()) is (flag is None)
    if flag:
        assert any(flag in f for f in flags)


@pytest.mark.parametrize("seed", range(5))
def test_paired_sum_pairs_the_sorted_values(seed: int) -> None:
    rng = random.Random(seed)
    xs = [rng.choice((0.0, 0.5, 1.0)) for _ in range(40)]
    ys = [float(rng.randrange(10)) for _ in range(40)]
    expected = sum(a * b for a, b in zip(sorted(xs), sorted(ys), strict=True))
    assert item_analysis.paired_sum(Counter(xs), Counter(ys)) == pytest.approx(expected)


def test_choice_distribution_counts_each_choice(quiz: Quiz) -> None:
    answers = [
        AnswerFact(1, 1, "q-single", 1, 1, "a"),
        AnswerFact(2, 2, "q-single", 0, 0, "b"),
        AnswerFact(3, 3, "q-single", 0, 0, "b"),
        AnswerFact(4, 4, "q-single", 0, 0, None),
        AnswerFact(1, 1, "q-multiple", 0.5, 0.5, ["a", "c"]),
        AnswerFact(2, 2, "q-multiple", 1, 1, ["a", "b"]),
    ]
    analysis = analyse(quiz, gather(quiz, answers), min_learners=1, weak_efficiency=15)
    stats = {s.question_id: s for s in analysis.questions}
    counts = {c.key: c.count for c in stats["q-single"].choices}
    assert counts == {"a": 1, "b": 2, "": 1}
    assert {c.key: c.count for c in stats["q-multiple"].choices} == {"a": 2, "b": 1, "c": 1}
    tagged = next(c for c in stats["q-single"].choices if c.key == "b")
    assert tagged.misconception == "confusion-b"
    assert not tagged.correct


def test_misconceptions_are_ranked_by_learners_with_their_names(quiz: Quiz) -> None:
    answers = [
        AnswerFact(1, 1, "q-single", 0, 0, "b", 3),
        AnswerFact(2, 2, "q-single", 0, 0, "b", 1),
        AnswerFact(3, 3, "q-single", 0, 0, "b", 3),
        AnswerFact(1, 1, "q-vf", 0, 0, True, 3),  # question-level misconception: ciel-vert
        AnswerFact(4, 4, "q-vf", 1, 1, False, 3),  # right: no misconception
        AnswerFact(2, 2, "q-multiple", 0.5, 0.5, ["a", "c"], 2),
    ]
    found = analyse(quiz, gather(quiz, answers), min_learners=1, weak_efficiency=15).misconceptions
    assert [(m.id, sorted(m.learners), m.confident) for m in found] == [
        ("confusion-b", [1, 2, 3], 2),
        ("ciel-vert", [1], 1),
        ("confusion-c", [2], 0),
    ]


def test_gathered_sums_are_the_sums_of_the_answers(quiz: Quiz) -> None:
    answers = answers_for(quiz, 10, 9)
    data = gather(quiz, answers)
    own = [a for a in answers if a.question_id == "q-single"]
    assert data.sums["q-single"].n == 10
    assert data.sums["q-single"].sx == pytest.approx(sum(a.points for a in own))
    assert sum(data.scores.values()) == data.attempts == 10
    assert isinstance(data.sums["q-single"], ItemSums)
