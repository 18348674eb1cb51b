"""Synthetic learners follow the course's rules and answer every question type plausibly."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from course.config import REPO_ROOT
from course.content import load_course_or_raise
from course.content.model import Course
from course.demo.synthetic import item_parameters, plan_learner, right_response, wrong_response
from course.domain.progression import Progress, QuizRecord, State, module_status
from course.domain.scoring import score_question
from tests.conftest import FIXTURE_COURSE

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module", params=["fixture", "real"])
def course(request: pytest.FixtureRequest) -> Course:
    return load_course_or_raise(FIXTURE_COURSE if request.param == "fixture" else REPO_ROOT)


def test_right_and_wrong_responses_score_as_they_say(course: Course) -> None:
    rng = random.Random(1)
    for quiz in course.quizzes.values():
        for question in quiz.questions:
            assert score_question(question, right_response(question)).correct, question.id
            for _ in range(5):
                assert not score_question(question, wrong_response(question, rng)).correct


def test_journeys_respect_locks_attempt_limits_and_time(course: Course) -> None:
    params = item_parameters(course, random.Random(2))
    rng = random.Random(3)
    for index in range(200):
        plan = plan_learner(course, params, rng, index, NOW)
        done = {step for _, step, _ in plan.steps}
        times = [when for _, _, when in plan.steps] + [a.started_at for a in plan.attempts]
        times += [a.submitted_at for a in plan.attempts if a.submitted_at is not None]
        assert all(plan.joined_at <= t < NOW for t in times)
        records: dict[str, QuizRecord] = {}
        for attempt in plan.attempts:
            quiz = course.quizzes[attempt.quiz_id]
            assert quiz.max_attempts is None or attempt.number <= quiz.max_attempts
            records[quiz.id] = QuizRecord(attempt.number, None, attempt.passed)
            if attempt.submitted_at is not None:
                assert attempt.points == pytest.approx(sum(a.points for a in attempt.answers))
        progress = Progress(frozenset(done), records)
        for module in course.modules:
            if any(m == module.id for m, _, _ in plan.steps):
                # Passes are never taken back: a module worked in is open at the end too.
                assert module_status(course, module, progress).state is not State.LOCKED
            if module.id in {m for m, _ in plan.completed_modules}:
                assert module_status(course, module, progress).state is State.COMPLETED


def test_learners_vary(course: Course) -> None:
    params = item_parameters(course, random.Random(2))
    rng = random.Random(4)
    plans = [plan_learner(course, params, rng, i, NOW) for i in range(300)]
    reached = {len(p.completed_modules) for p in plans}
    assert len(reached) >= 3  # some stop early, some go further
    confidences = {a.confidence for p in plans for t in p.attempts for a in t.answers}
    assert {1, 2, 3} <= confidences
    assert any(not t.passed for p in plans for t in p.attempts if t.submitted_at)
