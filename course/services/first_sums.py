"""First-attempt sums per cohort and quiz: added to by each first submission, read by the page.

A first submission adds its counts (domain/first_sums.py) to every cohort of its learner in one
upsert statement, inside the submission's transaction. A cohort's sums are complete for a quiz's
content once a `built` row says so; until then (new content, a learner with attempts who joined
late, sums never made) the page rebuilds them from the stored answers first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    Integer,
    String,
    case,
    delete,
    exists,
    insert,
    literal,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from course.content.model import Quiz
from course.domain.first_sums import (
    HOLDER,
    Answered,
    SumKey,
    SumRow,
    attempt_rows,
    merge,
    quiz_data,
)
from course.domain.item_analysis import QuizData
from course.domain.selection import Selection

from .history import selected_attempts
from .models import AnswerRow, Attempt, CohortMembership, FirstAttemptSum, Submission

BUILT = "built"
KEY_COLUMNS = ("kind", "key", "question_id", "learner_id", "mark", "total")
COUNT_COLUMNS = ("n", "confident", "fraction", "response")
TYPES = {"learner_id": Integer, "mark": Float, "total": Float, "n": Integer, "confident": Integer}


def record(
    db: Session, quiz: Quiz, attempt: Attempt, submission: Submission, answers: Sequence[Answered]
) -> None:
    """Add a submission to its learner's cohorts' sums if it is their first at the quiz."""
    rows = attempt_rows(quiz, attempt.user_id, submission.score, submission.points, answers)
    earlier = (
        select(Attempt.id)
        .join(Submission, Submission.attempt_id == Attempt.id)
        .where(Attempt.user_id == attempt.user_id, Attempt.quiz_id == quiz.id)
        .where(Attempt.number < attempt.number)
    )
    source = _literal_rows(rows)
    chosen = (
        select(
            CohortMembership.cohort_id,
            literal(quiz.id, String),
            literal(quiz.content_hash, String),
            *(source.c[name] for name in (*KEY_COLUMNS, *COUNT_COLUMNS)),
        )
        .join(source, true())
        .where(CohortMembership.user_id == attempt.user_id, ~exists(earlier))
    )
    _upsert(db, chosen)


def _literal_rows(rows: Sequence[SumRow]) -> Any:
    """Return the rows as a SELECT of literals (a VALUES list SQLite can name)."""
    selects = [
        select(
            *(
                literal(getattr(row.key, name), TYPES.get(name, String)).label(name)
                for name in KEY_COLUMNS
            ),
            literal(row.n, Integer).label("n"),
            literal(row.confident, Integer).label("confident"),
            literal(row.fraction, Float).label("fraction"),
            literal(row.response, JSON).label("response"),
        )
        for row in rows
    ]
    return union_all(*selects).subquery("added")


def _upsert(db: Session, source: Any) -> None:
    """Insert the rows of a SELECT, adding their counts to the rows already there."""
    table = FirstAttemptSum.__table__
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).from_select(
        ["cohort_id", "quiz_id", "content_hash", *KEY_COLUMNS, *COUNT_COLUMNS], source
    )
    new = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key],
        set_={
            "n": table.c.n + new.n,
            "confident": table.c.confident + new.confident,
            "fraction": case(
                (new.fraction > table.c.fraction, new.fraction), else_=table.c.fraction
            ),
        },
    )
    db.execute(statement)


def load(db: Session, cohort_id: int, quiz: Quiz, *, names: int) -> QuizData:
    """Return a cohort's first-attempt data from its sums (built first if need be), with the
    first `names` holders of each misconception by id."""
    where = _where(cohort_id, quiz)
    if not db.scalar(select(exists().where(*where, FirstAttemptSum.kind == BUILT))):
        rebuild(db, cohort_id, quiz)
    stored = db.execute(
        select(FirstAttemptSum).where(*where, FirstAttemptSum.kind.not_in((HOLDER, BUILT)))
    ).scalars()
    data = quiz_data(_row(s) for s in stored)
    for tag in data.holder_counts or {}:
        data.named[tag] = set(
            db.scalars(
                select(FirstAttemptSum.learner_id)
                .where(*where, FirstAttemptSum.kind == HOLDER, FirstAttemptSum.key == tag)
                .order_by(FirstAttemptSum.learner_id)
                .limit(names)
            )
        )
    return data


def _where(cohort_id: int, quiz: Quiz) -> tuple[Any, ...]:
    return (
        FirstAttemptSum.cohort_id == cohort_id,
        FirstAttemptSum.quiz_id == quiz.id,
        FirstAttemptSum.content_hash == quiz.content_hash,
    )


def _row(stored: FirstAttemptSum) -> SumRow:
    key = SumKey(*(getattr(stored, name) for name in KEY_COLUMNS))
    return SumRow(key, stored.n, stored.confident, stored.fraction, stored.response)


def rebuild(db: Session, cohort_id: int, quiz: Quiz) -> None:
    """Recount a cohort's sums for a quiz from every member's first submitted attempt."""
    db.execute(
        delete(FirstAttemptSum).where(
            FirstAttemptSum.cohort_id == cohort_id, FirstAttemptSum.quiz_id == quiz.id
        )
    )
    members = select(CohortMembership.user_id).where(CohortMembership.cohort_id == cohort_id)
    chosen = selected_attempts(members, Selection.FIRST, quiz.id)
    found = db.execute(
        select(
            chosen.c.user_id,
            chosen.c.attempt_id,
            Submission.score,
            Submission.points,
            AnswerRow.question_id,
            AnswerRow.response,
            AnswerRow.fraction,
            AnswerRow.points,
            AnswerRow.confidence,
        )
        .join(Submission, Submission.attempt_id == chosen.c.attempt_id)
        .join(AnswerRow, AnswerRow.attempt_id == chosen.c.attempt_id)
        .order_by(chosen.c.attempt_id)
    )
    attempts: dict[int, tuple[int, float, float, list[Answered]]] = {}
    for user_id, attempt_id, score, total, *answer in found:
        attempts.setdefault(attempt_id, (user_id, score, total, []))[3].append(Answered(*answer))
    rows = merge(
        row
        for user_id, score, total, answers in attempts.values()
        for row in attempt_rows(quiz, user_id, score, total, answers)
    )
    built = SumRow(SumKey(BUILT), 0)
    db.execute(
        insert(FirstAttemptSum),
        [_stored(cohort_id, quiz, row) for row in [*rows, built]],
    )


def _stored(cohort_id: int, quiz: Quiz, row: SumRow) -> dict[str, Any]:
    return {
        "cohort_id": cohort_id,
        "quiz_id": quiz.id,
        "content_hash": quiz.content_hash,
        **{name: getattr(row.key, name) for name in KEY_COLUMNS},
        "n": row.n,
        "confident": row.confident,
        "fraction": row.fraction,
        "response": row.response,
    }


def joined(db: Session, cohort_id: int, user_id: int) -> None:
    """Mark a cohort's sums incomplete if a learner who joined it has submitted attempts."""
    submitted = (
        select(Attempt.id)
        .join(Submission, Submission.attempt_id == Attempt.id)
        .where(Attempt.user_id == user_id)
    )
    db.execute(
        delete(FirstAttemptSum).where(
            FirstAttemptSum.cohort_id == cohort_id, FirstAttemptSum.kind == BUILT, exists(submitted)
        )
    )
