"""Shared test helpers: the fixture course, submitted quizzes, cohorts and certificates."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from course.content import load_course_or_raise
from course.content.model import Course
from course.domain.answers import parse_answers
from course.services import attempts, certificates, cohorts
from course.services.models import Certificate, Cohort, User

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"
REPO_ROOT = Path(__file__).parent.parent
PASSWORD = "un-mot-de-passe-sûr"

# The right answers to the fixture course's m1-quiz, as form fields.
RIGHT_M1 = {
    "q-q-single": ["a"],
    "q-q-multiple": ["a", "b"],
    "q-q-vf": ["false"],
    "q-q-num": ["69"],
    "q-q-text": ["catalyse territoriale"],
}


def now() -> datetime:
    """Return the fixed moment tests arrange their data at."""
    return datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@cache
def fixture_course() -> Course:
    """Return the tiny fixture course, loaded once per run (it is immutable)."""
    return load_course_or_raise(FIXTURE_COURSE)


@cache
def real_course() -> Course:
    """Return the real course of this repository, loaded once per run."""
    return load_course_or_raise(REPO_ROOT)


def start_quiz(db: Session, course: Course, user_id: int, quiz_id: str = "m1-quiz") -> int:
    """Start an attempt for a learner and commit; return its id."""
    started = attempts.start_attempt(
        db, user_id, course.quizzes[quiz_id], rng=random.Random(1), now=now()
    )
    db.commit()
    return started.id


def submit_quiz(
    db: Session,
    course: Course,
    user_id: int,
    form: dict[str, list[str]],
    quiz_id: str = "m1-quiz",
) -> int:
    """Start and submit an attempt with these form fields, and commit; return its id."""
    quiz = course.quizzes[quiz_id]
    attempt = attempts.get_own(db, user_id, start_quiz(db, course, user_id, quiz_id))
    assert attempt is not None
    questions = [q for q in (quiz.question(i) for i in attempt.question_ids) if q]
    attempts.submit(db, course, attempt, parse_answers(questions, form), now=now())
    db.commit()
    return attempt.id


def make_cohort(db: Session, trainer: User, *members: User, name: str = "Groupe") -> Cohort:
    """Create a cohort trained by `trainer` holding `members`, and commit."""
    cohort = cohorts.create_cohort(db, name, trainer.id, now=now())
    for member in members:
        cohorts.join(db, cohort, member.id, now=now())
    db.commit()
    return cohort


def make_certificate(db: Session, course: Course, user: User) -> Certificate:
    """Store a certificate for a learner, as if they had completed the course, and commit."""
    certificate = Certificate(
        code=certificates.new_code(),
        user_id=user.id,
        learner_name=user.display_name,
        course_title=course.info.title,
        modules=[],
        issued_at=now(),
    )
    db.add(certificate)
    db.commit()
    return certificate
