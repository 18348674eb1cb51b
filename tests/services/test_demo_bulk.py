"""The demo's bulk paths: replayed journeys, and PostgreSQL's load with indexes built after."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from course.content.model import Course
from course.demo import service as demo
from course.demo import writers
from course.domain.metrics import Thresholds
from course.services import cohort_tallies, first_sums, snapshots
from course.services.db import Database
from course.services.models import (
    AnswerRow,
    Attempt,
    CertaintyScore,
    CohortMembership,
    Event,
    FirstAttemptSum,
    ProgressCell,
    ProgressSnapshot,
    SnapshotMark,
    StepCompletion,
    Submission,
    User,
)
from tests.conftest import now


def _schema(db: Session) -> list[tuple[str, ...]]:
    """Return the bulk tables' constraints and indexes, as PostgreSQL defines them."""
    tables = {"tables": list(writers.BULK_TABLES)}
    constraints = db.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid::regclass::text = ANY(:tables)"
            " OR confrelid::regclass::text = ANY(:tables)"
        ),
        tables,
    )
    indexes = db.execute(
        text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(:tables)"), tables
    )
    return sorted([tuple(row) for row in constraints] + [tuple(row) for row in indexes])


def _history(db: Session, user_id: int) -> tuple[list[tuple[object, ...]], ...]:
    """Return a learner's rows in every table the demo fills, without ids, so copies compare."""
    attempts = select(Attempt.id).where(Attempt.user_id == user_id)
    queries = [
        select(CohortMembership.cohort_id, CohortMembership.joined_at).where(
            CohortMembership.user_id == user_id
        ),
        select(User.created_at, User.role).where(User.id == user_id),
        select(StepCompletion.step_id, StepCompletion.completed_at).where(
            StepCompletion.user_id == user_id
        ),
        select(Attempt.quiz_id, Attempt.number, Attempt.started_at, Attempt.question_ids)
        .where(Attempt.user_id == user_id)
        .order_by(Attempt.id),
        select(Attempt.quiz_id, Attempt.number, Submission.score, Submission.submitted_at)
        .join(Submission)
        .where(Attempt.user_id == user_id),
        select(Attempt.quiz_id, Attempt.number, CertaintyScore.score)
        .join(CertaintyScore, CertaintyScore.attempt_id == Attempt.id)
        .where(Attempt.user_id == user_id),
        select(Attempt.quiz_id, Attempt.number, AnswerRow.question_id, AnswerRow.response)
        .join(AnswerRow, AnswerRow.attempt_id == Attempt.id)
        .where(AnswerRow.attempt_id.in_(attempts))
        .order_by(AnswerRow.id),
        select(Event.verb, Event.object_id, Event.result, Event.timestamp)
        .where(Event.user_id == user_id)
        .order_by(Event.id),
        select(ProgressSnapshot.status, ProgressSnapshot.percent, ProgressSnapshot.help_key).where(
            ProgressSnapshot.user_id == user_id
        ),
        select(ProgressCell.module_id, ProgressCell.state, ProgressCell.best_score).where(
            ProgressCell.user_id == user_id
        ),
    ]
    return tuple(sorted((tuple(r) for r in db.execute(q)), key=repr) for q in queries)


def _standings(db: Session) -> list[tuple[object, ...]]:
    snapshots_ = select(ProgressSnapshot.__table__).order_by(ProgressSnapshot.user_id)
    cells = select(ProgressCell.__table__).order_by(ProgressCell.user_id, ProgressCell.module_id)
    return [tuple(r) for r in db.execute(snapshots_)] + [tuple(r) for r in db.execute(cells)]


def test_learners_past_the_drawn_journeys_replay_them_under_their_own_names(
    db: Session, course: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "CHUNK", 4)
    monkeypatch.setattr(demo, "JOURNEYS", 8)
    demo.make_demo(db, course, learners=14, password="mot-de-passe-demo", now=now())
    demo.make_demo(db, course, learners=27, password="mot-de-passe-demo", now=now())  # adds
    db.commit()
    ids = dict(db.execute(select(User.email, User.id).where(User.email.like("demo-%"))).all())
    assert sorted(ids) == [demo.SYNTHETIC.format(i) for i in range(1, 28)]
    names = {db.get(User, ids[demo.SYNTHETIC.format(i)]).display_name for i in range(1, 28)}
    assert len(names) > 8  # the copies have names of their own
    sources = [_history(db, ids[demo.SYNTHETIC.format(i)]) for i in range(1, 9)]
    assert all(len(h[3]) > 0 for h in sources[:4])  # the sources have attempts to copy
    for index in range(9, 28):  # learner 9 replays learner 1, 17 and 25 too
        source = sources[(index - 1) % 8]
        assert _history(db, ids[demo.SYNTHETIC.format(index)]) == source, index


def test_the_copies_standings_are_those_a_refresh_computes(
    db: Session, course: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "CHUNK", 4)
    monkeypatch.setattr(demo, "JOURNEYS", 8)
    made = demo.make_demo(db, course, learners=30, password="mot-de-passe-demo", now=now())
    db.commit()
    assert snapshots.refresh(db, course, Thresholds(), now=now()) == {}  # nothing left to do
    copied = _standings(db)
    counted = cohort_tallies.read(db, made.cohort.id)
    assert sum(counted[0].values()) == 31  # the dashboard counts the copies too
    cohort_tallies.rebuild(db, made.cohort.id)
    assert cohort_tallies.read(db, made.cohort.id) == counted
    db.execute(update(SnapshotMark).values(fingerprint=""))  # as if the course had changed
    assert len(snapshots.refresh(db, course, Thresholds(), now=now())) == 32  # and the accounts
    assert _standings(db) == copied
    assert cohort_tallies.read(db, made.cohort.id) == counted
    # The sequences went past the copied ids: new rows of every kind find a free one.
    learner = User(email="new@example.org", display_name="N", password_hash="x", created_at=now())
    db.add(learner)
    db.flush()
    db.add(StepCompletion(user_id=learner.id, module_id="m1", step_id="s", completed_at=now()))
    db.add(Event(user_id=learner.id, verb="v", object_type="t", object_id="o", timestamp=now()))
    attempt = Attempt(
        user_id=learner.id,
        quiz_id="q",
        number=1,
        content_hash="h",
        pass_mark=0.5,
        question_ids=[],
        option_orders={},
        started_at=now(),
    )
    db.add(attempt)
    db.flush()
    db.add(
        Submission(
            attempt_id=attempt.id, score=1, points=1, max_points=1, passed=True, submitted_at=now()
        )
    )
    db.flush()
    db.add(AnswerRow(attempt_id=attempt.id, question_id="q1", fraction=1, points=1))
    db.commit()


def test_item_sums_built_before_the_demo_adds_learners_count_them_after(
    db: Session, course: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "CHUNK", 4)
    monkeypatch.setattr(demo, "JOURNEYS", 8)
    quiz = course.quizzes["m1-quiz"]
    made = demo.make_demo(db, course, learners=6, password="mot-de-passe-demo", now=now())
    before = first_sums.load(db, made.cohort.id, quiz, names=40)  # built, then kept
    demo.make_demo(db, course, learners=20, password="mot-de-passe-demo", now=now())
    got = first_sums.load(db, made.cohort.id, quiz, names=40)
    first_sums.rebuild(db, made.cohort.id, quiz)
    recounted = first_sums.load(db, made.cohort.id, quiz, names=40)
    assert got.attempts > before.attempts
    assert (got.attempts, got.scores, got.marks) == (
        recounted.attempts,
        recounted.scores,
        recounted.marks,
    )


def _sums(db: Session, cohort_id: int, quiz_id: str) -> dict[tuple[object, ...], list[object]]:
    table = FirstAttemptSum.__table__
    keys = [table.c[name] for name in ("kind", "key", "question_id", "learner_id", "mark", "total")]
    values = [table.c[name] for name in ("n", "confident", "fraction", "sx", "sxx", "sr", "srr")]
    rows = db.execute(
        select(*keys, *values).where(table.c.cohort_id == cohort_id, table.c.quiz_id == quiz_id)
    )
    return {tuple(row[: len(keys)]): list(row[len(keys) :]) for row in rows}


def test_the_demo_keeps_the_item_sums_of_its_copies_as_a_recount_finds_them(
    db: Session, course: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "CHUNK", 4)
    monkeypatch.setattr(demo, "JOURNEYS", 8)
    made = demo.make_demo(db, course, learners=29, password="mot-de-passe-demo", now=now())
    db.commit()
    holders = 0
    for quiz in course.quizzes.values():
        kept = _sums(db, made.cohort.id, quiz.id)
        assert ("built", "", "", 0, 0.0, 0.0) in kept  # the page will not count them again
        first_sums.rebuild(db, made.cohort.id, quiz)
        recounted = _sums(db, made.cohort.id, quiz.id)
        assert kept.keys() == recounted.keys(), quiz.id
        for key, values in kept.items():
            assert values == pytest.approx(recounted[key]), (quiz.id, key)
        holders += sum(1 for key in kept if key[0] == "holder")
    assert holders > 8  # copies are named among the holders too


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite keeps them
def test_a_large_load_on_postgresql_gives_back_every_index_and_foreign_key(
    db: Session, course: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _schema(db)
    monkeypatch.setattr(demo, "BULK_LOAD", 1)
    monkeypatch.setattr(demo, "JOURNEYS", 8)  # drawn, then replayed: two loads
    demo.make_demo(db, course, learners=20, password="mot-de-passe-demo", now=now())
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


def test_each_copy_finds_its_source_in_the_map_of_replays_by_index(
    tmp_path: Path, course: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an index on the map's source, SQLite scanned the whole map for each copied row
    (the 10,000-learner demo took minutes); the plan of each copy shows the index."""
    database = Database(f"sqlite:///{tmp_path / 'replays.sqlite'}")
    database.create_all()
    monkeypatch.setattr(demo, "CHUNK", 4)
    monkeypatch.setattr(demo, "JOURNEYS", 8)
    plans: dict[str, str] = {}

    def explain(_conn, cursor, statement, parameters, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith("INSERT INTO events") and "demo_replays" in statement:
            rows = cursor.connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plans["events"] = " | ".join(str(row[-1]) for row in rows)

    event.listen(database.engine, "after_cursor_execute", explain)
    session = database.session(writer=True)
    try:
        demo.make_demo(session, course, learners=20, password="mot-de-passe-demo", now=now())
    finally:
        session.close()
        database.dispose()
    assert "demo_replays_source" in plans["events"], plans
