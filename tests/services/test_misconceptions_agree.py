"""The learner's review, the trainer's analytics and the needs-help signal read answers alike."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from course.content import load_course_or_raise
from course.content.model import Course
from course.domain.calibration import Verdict, certainty_review
from course.domain.distractors import misconceptions
from course.services import analytics, cohorts
from course.services.facts import load_facts, members
from course.services.models import AnswerRow, Attempt
from tests.conftest import FIXTURE_COURSE, now

from .test_trainer_services import submit

# Each learner's answers, every one given « très sûr(e) » (3): right, partly right, wrong.
SURE = {f"c-q-{q}": ["3"] for q in ("single", "multiple", "vf", "num", "text")}
FORMS = [
    {"q-q-single": ["b"], "q-q-multiple": ["a", "c"], "q-q-vf": ["true"], "q-q-num": ["12"]},
    {"q-q-single": ["a"], "q-q-multiple": ["a"], "q-q-vf": ["false"], "q-q-text": ["x"]},
    {"q-q-multiple": ["a", "b"], "q-q-vf": ["true"], "q-q-num": ["69"]},
]


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course_or_raise(FIXTURE_COURSE)


def test_the_same_answers_show_the_same_misconceptions_everywhere(
    db: Session,
    course: Course,
    make_user,  # type: ignore[no-untyped-def]
) -> None:
    trainer = make_user("formatrice@example.org", role="trainer")
    cohort = cohorts.create_cohort(db, "Groupe A", trainer.id, now=now())
    learners = []
    for index, form in enumerate(FORMS):
        user = make_user(f"l{index}@example.org")
        cohorts.join(db, cohort, user.id, now=now())
        db.commit()
        submit(db, course, user.id, {**SURE, **form})
        learners.append(user.id)
    quiz = course.quizzes["m1-quiz"]

    # The learner's review: tags named under each answer, and the sure-but-wrong answers.
    by_review: defaultdict[str, set[int]] = defaultdict(set)
    sure_wrong: dict[int, int] = {}
    for user_id in learners:
        rows = db.scalars(
            select(AnswerRow)
            .join(Attempt, Attempt.id == AnswerRow.attempt_id)
            .where(Attempt.user_id == user_id)
        ).all()
        review = certainty_review(quiz, rows)
        for found in review.insights.values():
            for tag in found.misconceptions:
                by_review[tag].add(user_id)
        sure_wrong[user_id] = review.counts.get(Verdict.SURE_WRONG, 0)

    # The trainer's analytics: who holds which misconception.
    loaded = analytics.load_data(db, cohort.id, quiz, "all")
    holders = analytics.holders(db, cohort.id, quiz, "all", loaded)
    by_analytics = {
        m.id: set(m.learners) for m in misconceptions(quiz, loaded.data.responses, holders)
    }

    # The needs-help signal: wrong answers given « très sûr(e) ».
    facts = load_facts(db, members(cohort.id), cohort_id=cohort.id)
    confident_wrong = {f.user_id: f.confident_wrong.get(quiz.id, 0) for f in facts}

    assert by_analytics == dict(by_review)
    assert by_review == {
        "confusion-b": {learners[0]},
        "confusion-c": {learners[0]},
        "ciel-vert": {learners[0], learners[2]},
    }
    assert confident_wrong == sure_wrong
    assert sure_wrong[learners[2]] == 1  # a certainty on a blank counts nowhere
