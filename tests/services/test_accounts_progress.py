"""Accounts and step completions on a real database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from course.content import load_course_or_raise
from course.services import accounts
from course.services.models import Event, StepCompletion, User
from course.services.progress import complete_step, load_progress
from tests.conftest import FIXTURE_COURSE, PASSWORD, now


def test_passwords_are_hashed_with_a_kdf(learner: User) -> None:
    assert learner.password_hash.startswith("scrypt:")
    assert PASSWORD not in learner.password_hash


def test_emails_are_unique_whatever_their_case(db: Session, learner: User) -> None:
    with pytest.raises(accounts.EmailTaken):
        accounts.create_user(
            db, email=" LEARNER@example.org ", display_name="x", password=PASSWORD, now=now()
        )


@pytest.mark.parametrize(
    ("email", "password", "ok"),
    [
        ("learner@example.org", PASSWORD, True),
        ("Learner@Example.org", PASSWORD, True),
        ("learner@example.org", "wrong-password", False),
        ("nobody@example.org", PASSWORD, False),
    ],
)
def test_authenticate(db: Session, learner: User, email: str, password: str, ok: bool) -> None:
    assert (accounts.authenticate(db, email, password) is not None) is ok


def test_completing_a_step_twice_stores_it_once(db: Session, learner: User) -> None:
    course = load_course_or_raise(FIXTURE_COURSE)
    module = course.module("m1")
    step = module.steps[0]
    assert complete_step(db, course, learner.id, module, step, now=now())
    db.commit()
    assert not complete_step(db, course, learner.id, module, step, now=now())
    db.commit()
    assert db.scalar(select(func.count()).select_from(StepCompletion)) == 1
    assert load_progress(db, learner.id).done_steps == {step.id}
    completed = db.scalars(select(Event.object_id).where(Event.verb == "completed")).all()
    assert completed == [step.id]
