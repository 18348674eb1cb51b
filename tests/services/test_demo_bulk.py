"""The demo's bulk paths: replayed journeys, and PostgreSQL's load with indexes built after."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from course.content.model import Course
from course.demo import service as demo
from course.demo import writers
from course.services.models import AnswerRow, Attempt, User
from tests.conftest import now


def _schema(db: Session) -> list[tuple[str, ...]]:
    """Return the bulk tables' constraints and indexes, as PostgreSQL defines them."""
    tables = {"tables": list(writers.BULK_TABLES)}
    constraints = db.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid::regclass::text = ANY(:tables)"
        ),
        tables,
    )
    indexes = db.execute(
        text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(:tables)"), tables
    )
    return sorted([tuple(row) for row in constraints] + [tuple(row) for row in indexes])


def test_learners_past_the_drawn_journeys_replay_them_under_their_own_names(
    db: Session, course: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "CHUNK", 4)
    monkeypatch.setattr(demo, "JOURNEYS", 8)
    demo.make_demo(db, course, learners=20, password="mot-de-passe-demo", now=now())
    db.commit()
    emails = list(db.scalars(select(User.email).where(User.email.like("demo-%"))))
    assert sorted(emails) == [demo.SYNTHETIC.format(i) for i in range(1, 21)]
    counts = dict(
        db.execute(
            select(User.email, func.count(Attempt.id))
            .join(Attempt, Attempt.user_id == User.id)
            .group_by(User.email)
        ).all()
    )
    for index in range(9, 21):  # learner 9 replays learner 1, 17 replays 1 too
        source = demo.SYNTHETIC.format((index - 1) % 8 + 1)
        assert counts.get(demo.SYNTHETIC.format(index)) == counts.get(source)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite keeps them
def test_a_large_load_on_postgresql_gives_back_every_index_and_foreign_key(
    db: Session, course: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _schema(db)
    monkeypatch.setattr(demo, "BULK_LOAD", 1)
    demo.make_demo(db, course, learners=12, password="mot-de-passe-demo", now=now())
    db.commit()
    assert _schema(db) == before
    assert db.scalar(select(func.count(AnswerRow.id))) > 0
    with pytest.raises(IntegrityError):  # the foreign keys are checked again
        db.execute(
            text(
                "INSERT INTO answers (attempt_id, question_id, fraction, points)"
                " VALUES (999999, 'q', 0, 0)"
            )
        )
    db.rollback()
