"""The attempt selection's SQL form chooses exactly what its Python form chooses."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from course.domain.selection import Selection, select_attempts
from course.services.history import grade, selected_attempts
from course.services.models import Attempt, CertaintyScore, Submission, User
from tests.factories import now


@dataclass(frozen=True)
class Taken:
    attempt_id: int
    user_id: int
    quiz_id: str
    number: int
    grade: float | None


def store_attempts(db: Session, users: list[User], rng: random.Random) -> None:
    """Give each learner 0-4 submitted attempts per quiz, grades often tied, some CBM, and
    sometimes an open (unsubmitted) last attempt, which no selection may choose."""
    for user in users:
        for quiz_id in ("q1", "q2", "q3"):
            count = rng.randint(0, 4)
            for number in range(1, count + 2):
                attempt = Attempt(
                    user_id=user.id,
                    quiz_id=quiz_id,
                    number=number,
                    content_hash="x",
                    pass_mark=0.5,
                    question_ids=[],
                    option_orders={},
                    started_at=now(),
                )
                db.add(attempt)
                db.flush()
                if number > count:  # the open attempt (or none left)
                    continue
                score = rng.choice([0.0, 0.25, 0.5, 0.5, 1.0])
                db.add(
                    Submission(
                        attempt_id=attempt.id,
                        score=score,
                        points=score * 4,
                        max_points=4,
                        passed=score >= 0.5,
                        submitted_at=now(),
                    )
                )
                if quiz_id == "q3":  # a `scoring: cbm` quiz: the CBM score is the grade
                    db.flush()
                    db.add(
                        CertaintyScore(attempt_id=attempt.id, score=rng.choice([-2.0, 0.5, 1.0]))
                    )
    db.commit()


@pytest.mark.parametrize("selection", list(Selection))
def test_sql_and_python_choose_the_same_attempts(
    db: Session, make_user: Callable[..., User], selection: Selection
) -> None:
    users = [make_user(f"l{i}@example.org") for i in range(12)]
    store_attempts(db, users, random.Random(7))
    ids = [u.id for u in users[:10]]  # two learners are left out of the question
    submitted = [
        Taken(*row)
        for row in db.execute(
            select(Attempt.id, Attempt.user_id, Attempt.quiz_id, Attempt.number, grade())
            .join(Submission, Submission.attempt_id == Attempt.id)
            .outerjoin(CertaintyScore, CertaintyScore.attempt_id == Attempt.id)
            .where(Attempt.user_id.in_(ids))
        )
    ]
    chosen = selected_attempts(ids, selection)
    in_sql = set(db.scalars(select(chosen.c.attempt_id)))
    assert in_sql == {a.attempt_id for a in select_attempts(submitted, selection)}
    assert len(in_sql) >= 20
    one_quiz = selected_attempts(ids, selection, quiz_id="q3")
    assert set(db.scalars(select(one_quiz.c.attempt_id))) == {
        a.attempt_id for a in select_attempts(submitted, selection) if a.quiz_id == "q3"
    }
