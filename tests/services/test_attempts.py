"""Attempts on a real database: laid out by the server, submitted once, capped by constraints."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from course.content.model import Course
from course.domain.answers import parse_answers
from course.services import attempts
from course.services.models import AnswerRow, Attempt, Event, Submission, User
from course.services.progress import load_progress
from tests.conftest import now

GOOD = {
    "q-q-single": ["a"],
    "q-q-multiple": ["a", "b"],
    "q-q-vf": ["false"],
    "q-q-num": ["69"],
    "q-q-text": ["catalyse territoriale"],
    "c-q-single": ["3"],
}


def start(db: Session, course: Course, user: User, quiz_id: str = "m1-quiz") -> Attempt:
    attempt = attempts.start_attempt(
        db, user.id, course.quizzes[quiz_id], rng=random.Random(1), now=now()
    )
    db.commit()
    return attempt


def submit(
    db: Session, course: Course, attempt_id: int, user: User, form: dict
) -> attempts.Outcome:
    attempt = attempts.get_own(db, user.id, attempt_id)
    assert attempt is not None
    quiz = course.quizzes[attempt.quiz_id]
    questions = [quiz.question(q) for q in attempt.question_ids]
    outcome = attempts.submit(db, course, attempt, parse_answers(questions, form), now=now())
    db.commit()
    return outcome


def test_attempt_stores_layout_hash_and_pass_mark(
    db: Session, course: Course, learner: User
) -> None:
    attempt = start(db, course, learner)
    quiz = course.quizzes["m1-quiz"]
    assert sorted(attempt.question_ids) == sorted(q.id for q in quiz.questions)
    assert set(attempt.option_orders["q-single"]) == {"a", "b"}
    assert attempt.content_hash == quiz.content_hash
    assert attempt.pass_mark == 0.7
    assert attempt.number == 1


def test_starting_again_resumes_the_open_attempt(
    db: Session, course: Course, learner: User
) -> None:
    first = start(db, course, learner)
    assert start(db, course, learner).id == first.id
    assert db.scalar(select(func.count(Attempt.id))) == 1


def test_submission_scores_and_keeps_answers_and_confidence(
    db: Session, course: Course, learner: User
) -> None:
    attempt = start(db, course, learner)
    outcome = submit(db, course, attempt.id, learner, GOOD)
    assert outcome.first
    assert outcome.submission.score == 1.0
    assert outcome.submission.passed
    rows = db.scalars(select(AnswerRow).order_by(AnswerRow.question_id)).all()
    assert len(rows) == 5
    assert {r.question_id: r.confidence for r in rows}["q-single"] == 3
    assert load_progress(db, learner.id).record("m1-quiz").passed


def test_a_repeated_submission_returns_the_first_and_stores_nothing(
    db: Session, course: Course, learner: User
) -> None:
    attempt = start(db, course, learner)
    first = submit(db, course, attempt.id, learner, {"q-q-single": ["b"]})
    again = submit(db, course, attempt.id, learner, GOOD)
    assert not again.first
    assert again.submission.score == first.submission.score == 0.0
    assert db.scalar(select(func.count()).select_from(Submission)) == 1
    assert db.scalar(select(func.count()).select_from(AnswerRow)) == 5


def test_twenty_concurrent_submissions_store_one_result(
    app: Flask, db: Session, course: Course, learner: User
) -> None:
    attempt = start(db, course, learner)
    database = app.extensions["database"]
    barrier = threading.Barrier(20)
    firsts: list[bool] = []
    errors: list[BaseException] = []

    def worker() -> None:
        session = database.session(writer=True)
        try:
            barrier.wait()
            firsts.append(submit(session, course, attempt.id, learner, GOOD).first)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            session.close()

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert firsts.count(True) == 1
    assert db.scalar(select(func.count()).select_from(Submission)) == 1
    assert db.scalar(select(func.count()).select_from(AnswerRow)) == 5
    assert db.scalar(select(func.count()).where(Event.verb == "passed")) == 1


def test_the_attempt_number_is_unique_per_learner_and_quiz(
    db: Session, course: Course, learner: User
) -> None:
    def attempt_number_one() -> Attempt:
        return Attempt(
            user_id=learner.id,
            quiz_id="m1-quiz",
            number=1,
            content_hash="x",
            pass_mark=0.7,
            question_ids=[],
            option_orders={},
            started_at=now(),
        )

    db.add(attempt_number_one())
    db.commit()
    db.add(attempt_number_one())
    with pytest.raises(IntegrityError):
        db.commit()


def test_events_are_appended_with_the_submission(
    db: Session, course: Course, learner: User
) -> None:
    attempt = start(db, course, learner)
    submit(db, course, attempt.id, learner, {"q-q-single": ["a"]})
    verbs = db.scalars(select(Event.verb).where(Event.user_id == learner.id)).all()
    assert verbs.count("answered") == 5
    assert "attempted" in verbs
    assert "failed" in verbs
    assert "registered" in verbs


def test_a_stranger_does_not_get_the_attempt(
    db: Session, course: Course, learner: User, make_user: Callable[..., User]
) -> None:
    attempt = start(db, course, learner)
    stranger = make_user("stranger@example.org")
    assert attempts.get_own(db, stranger.id, attempt.id) is None


def test_the_pass_mark_in_force_is_the_attempts(db: Session, course: Course, learner: User) -> None:
    attempt = start(db, course, learner)
    attempt.pass_mark = 0.1  # as if the quiz's mark had been lowered since
    db.commit()
    outcome = submit(db, course, attempt.id, learner, {"q-q-single": ["a"]})
    assert outcome.submission.score == pytest.approx(0.2)
    assert outcome.submission.passed


def test_passing_after_the_steps_completes_the_module_once(
    db: Session, course: Course, learner: User
) -> None:
    from course.services.progress import complete_step

    module = course.module("m1")
    for step in module.steps:
        complete_step(db, course, learner.id, module, step, now=now())
    db.commit()
    for _ in range(2):
        attempt = start(db, course, learner)
        submit(db, course, attempt.id, learner, GOOD)
    completed = db.scalars(
        select(Event.object_id).where(Event.verb == "completed", Event.object_type == "module")
    ).all()
    assert completed == ["m1"]
