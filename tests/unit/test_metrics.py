"""Cohort metrics: rows, needs-help signals (raised and cleared), summary, funnel, medians."""

from __future__ import annotations

import dataclasses
import random
import statistics
from datetime import UTC, datetime, timedelta

import pytest

from course.content.model import Course
from course.domain import metrics
from course.domain.metrics import LearnerFacts, LearnerRow, Thresholds
from course.domain.progression import Progress, QuizRecord, State

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
M1_STEPS = frozenset({"m1-intro", "m1-pratique"})
QUESTION = "q-single"  # objective m1-o1, « Connaître les bases »


def facts(
    *,
    done: frozenset[str] = frozenset(),
    quizzes: dict[str, QuizRecord] | None = None,
    failures: dict[str, int] | None = None,
    wrong: dict[str, int] | None = None,
    last: datetime | None = None,
    user_id: int = 1,
) -> LearnerFacts:
    return LearnerFacts(
        user_id=user_id,
        name=f"Apprenant {user_id}",
        email=f"a{user_id}@example.org",
        joined_at=NOW - timedelta(days=30),
        progress=Progress(done, quizzes or {}),
        failures=failures or {},
        confident_wrong=wrong or {},
        activity={"m1": last} if last else {},
        wrong={q: tuple((QUESTION, True) for _ in range(n)) for q, n in (wrong or {}).items()},
    )


def row(course: Course, fact: LearnerFacts, thresholds: Thresholds | None = None) -> LearnerRow:
    (only,) = metrics.learner_rows(course, [fact], thresholds or Thresholds(), NOW)
    return only


def kinds(course: Course, fact: LearnerFacts, thresholds: Thresholds | None = None) -> set[str]:
    return {s.kind for s in row(course, fact, thresholds).signals}


def test_a_new_learner_has_not_started_and_needs_no_help(course: Course) -> None:
    found = row(course, facts())
    assert found.status == "not_started"
    assert found.percent == 0
    assert [c.state for c in found.cells] == [State.AVAILABLE, State.LOCKED, State.LOCKED]
    assert found.idle_days == 30  # since joining
    assert not found.signals


def test_cells_carry_state_best_score_and_attempts(course: Course) -> None:
    record = QuizRecord(attempts=2, best_score=0.8, passed=True)
    found = row(course, facts(done=M1_STEPS, quizzes={"m1-quiz": record}, last=NOW))
    first = found.cells[0]
    assert (first.state, first.best_percent, first.attempts, first.label) == (
        State.COMPLETED,
        80,
        2,
        "Terminée",
    )
    assert found.cells[1].state is State.AVAILABLE
    assert found.percent == round(100 * 3 / 7)  # 2 steps + quiz, of (2+1)+(1+1)+(1+1) parts


@pytest.mark.parametrize(
    ("failures", "passed", "signalled"),
    [(1, False, set()), (2, False, {"failed_quiz"}), (3, False, {"blocked"}), (2, True, set())],
)
def test_failing_a_quiz_twice_without_passing_it_needs_help(
    course: Course, failures: int, passed: bool, signalled: set[str]
) -> None:
    record = QuizRecord(attempts=failures + passed, best_score=0.5, passed=passed)
    fact = facts(quizzes={"m1-quiz": record}, failures={"m1-quiz": failures}, last=NOW)
    assert kinds(course, fact) == signalled


def test_a_learner_without_attempts_left_is_blocked_until_the_lock_is_lifted(
    course: Course,
) -> None:
    record = QuizRecord(attempts=3, best_score=0.5, passed=False)
    fact = facts(quizzes={"m1-quiz": record}, failures={"m1-quiz": 3}, last=NOW)
    (signal,) = row(course, fact).signals
    assert signal.kind == "blocked"
    assert signal.action == "lever le verrou de la séance 2 ?"
    assert signal.module_id == course.modules[1].id
    lifted = dataclasses.replace(
        fact, progress=Progress(frozenset(), {"m1-quiz": record}, frozenset({signal.module_id}))
    )
    assert not row(course, lifted).signals


@pytest.mark.parametrize(
    ("idle", "done", "signalled"),
    [
        (13, M1_STEPS - {"m1-pratique"}, False),
        (14, M1_STEPS - {"m1-pratique"}, True),
        (30, M1_STEPS - {"m1-pratique"}, True),
    ],
)
def test_inactive_for_two_weeks_while_in_progress_needs_help(
    course: Course, idle: int, done: frozenset[str], signalled: bool
) -> None:
    fact = facts(done=done, last=NOW - timedelta(days=idle, minutes=1))
    assert ("inactive" in kinds(course, fact)) is signalled


def test_a_learner_who_never_started_or_finished_is_not_called_inactive(course: Course) -> None:
    assert "inactive" not in kinds(course, facts())
    passed = QuizRecord(1, 1.0, True)
    everything = facts(
        done=frozenset({"m1-intro", "m1-pratique", "m2-ordre", "m3-fin"}),
        quizzes={"m1-quiz": passed, "m2-quiz": passed, "m3-quiz": passed},
        last=NOW - timedelta(days=40),
    )
    assert row(course, everything).status == "completed"
    assert not row(course, everything).signals


@pytest.mark.parametrize(
    ("wrong", "signalled"),
    [
        ({"m1-quiz": 3}, False),
        ({"m1-quiz": 4}, True),
        ({"m1-quiz": 2, "m2-quiz": 2}, False),  # errors cluster in one quiz to make a signal
        ({"m1-quiz": 2, "m2-quiz": 4}, True),
        ({"m1-positionnement": 5}, False),  # a pre-test is before learning: it never clears
    ],
)
def test_four_confident_errors_in_one_quiz_need_help(
    course: Course, wrong: dict[str, int], signalled: bool
) -> None:
    assert ("confident_wrong" in kinds(course, facts(wrong=wrong, last=NOW))) is signalled


def test_thresholds_come_from_settings(course: Course) -> None:
    settings = {
        "NEEDS_HELP_FAILED_ATTEMPTS": 1,
        "NEEDS_HELP_INACTIVE_DAYS": 3,
        "NEEDS_HELP_CONFIDENT_WRONG": 10,
        "TRAINER_ACTIVE_DAYS": 2,
    }
    strict = Thresholds.from_settings(settings)
    fact = facts(
        done=frozenset({"m1-intro"}),
        quizzes={"m1-quiz": QuizRecord(1, 0.2, False)},
        failures={"m1-quiz": 1},
        wrong={"m1-quiz": 4},
        last=NOW - timedelta(days=4),
    )
    assert kinds(course, fact, strict) == {"failed_quiz", "inactive"}
    assert kinds(course, fact) == {"confident_wrong"}


def test_each_signal_says_why(course: Course) -> None:
    fact = facts(
        done=frozenset({"m1-intro"}),
        quizzes={"m1-quiz": QuizRecord(2, 0.4, False)},
        failures={"m1-quiz": 2},
        wrong={"m1-quiz": 4},
        last=NOW - timedelta(days=16),
    )
    signals = row(course, fact).signals
    assert [s.reason for s in signals] == [  # the most urgent first
        "A échoué 2 fois au quiz « Quiz des bases » sans le réussir",
        "Parcours en cours, sans activité depuis 16 jours",
        "4 réponses fausses données « très sûr(e) » au quiz « Quiz des bases »",
    ]
    assert [s.action for s in signals] == [
        "revoir ensemble la notion « Connaître les bases »",
        "relancer",
        "revoir ensemble la notion « Connaître les bases »",
    ]
    assert row(course, fact).priority == 2
    assert metrics.static_signals(row(course, fact)) == 2


def random_facts(rng: random.Random, user_id: int) -> LearnerFacts:
    steps = ["m1-intro", "m1-pratique", "m2-ordre", "m3-fin"]
    done = frozenset(steps[: rng.randrange(len(steps) + 1)])
    quizzes = {
        q: QuizRecord(
            rng.randrange(1, 4), rng.choice((0.0, 0.4, 0.5, 0.7, 1.0)), rng.random() < 0.5
        )
        for q in ("m1-quiz", "m2-quiz", "m3-quiz")
        if rng.random() < 0.6
    }
    last = NOW - timedelta(days=rng.randrange(0, 20)) if done or quizzes else None
    return facts(done=done, quizzes=quizzes, last=last, user_id=user_id)


def test_summary_from_rows_matches_a_recount(course: Course) -> None:
    rng = random.Random(7)
    rows = metrics.learner_rows(
        course, [random_facts(rng, i) for i in range(300)], Thresholds(), NOW
    )
    summary = metrics.summarize(course, *metrics.tally(rows, Thresholds(), NOW))
    assert summary.enrolled == 300
    assert summary.completed == sum(r.status == "completed" for r in rows)
    assert summary.completion_rate == summary.completed / 300
    assert summary.needs_help == sum(bool(r.signals) for r in rows)
    week = NOW - timedelta(days=7)
    assert summary.active == sum(
        r.last_activity is not None and r.last_activity >= week for r in rows
    )
    for index, module in enumerate(course.modules):
        bests = [r.cells[index].best_score for r in rows if r.cells[index].best_score is not None]
        assert summary.median_best[module.id] == statistics.median(bests)
        assert sum(summary.distributions[module.id]) == len(bests)
    funnel = [step.count for step in summary.funnel]
    assert funnel[0] == 300
    assert funnel == sorted(funnel, reverse=True)  # a linear course only narrows


@pytest.mark.parametrize(
    ("values", "median"),
    [
        ([], None),
        ([(0.5, 1)], 0.5),
        ([(0.2, 1), (0.8, 1)], 0.5),
        ([(0.2, 3), (0.9, 1)], 0.2),
        ([(0.9, 2), (0.1, 2)], 0.5),
    ],
)
def test_weighted_median(values: list[tuple[float, int]], median: float | None) -> None:
    assert metrics.weighted_median(values) == median
    flat = [v for v, n in values for _ in range(n)]
    assert median == (statistics.median(flat) if flat else None)


@pytest.mark.parametrize(
    ("score", "bin_index"), [(0.0, 0), (0.0999, 0), (0.1, 1), (0.7, 7), (0.95, 9), (1.0, 9)]
)
def test_histogram_bins(score: float, bin_index: int) -> None:
    counts = metrics.histogram([(score, 2)])
    assert counts[bin_index] == 2
    assert sum(counts) == 2


def test_fingerprint_changes_with_thresholds(course: Course) -> None:
    base = metrics.fingerprint(course, Thresholds())
    assert base == metrics.fingerprint(course, Thresholds())
    assert base != metrics.fingerprint(course, Thresholds(confident_wrong=5))
