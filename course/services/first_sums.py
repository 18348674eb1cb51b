"""First-attempt sums per cohort and quiz: added to by each first submission, read by the page.

A first submission adds its counts (domain/first_sums.py) to every cohort of its learner with one
prebuilt upsert, inside the submission's transaction. A cohort's sums are complete for a quiz's
content once a `built` row says so; until then (new content, a learner with attempts who joined
late, sums never made) the page rebuilds them from the stored answers first.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import (
    String,
    bindparam,
    case,
    cast,
    delete,
    exists,
    insert,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from course.content.model import Quiz
from course.domain.first_sums import (
    ATTEMPT,
    HOLDER,
    MARK,
    RESPONSE,
    REST,
    SUMS,
    TAG,
    Answered,
    SumKey,
    SumRow,
    attempt_rows,
    merge,
    quiz_data,
    repeated,
)
from course.domain.item_analysis import QuizData
from course.domain.selection import Selection

from .db import dialect_insert, prepared
from .driver_queries import DriverQuery
from .history import selected_attempts
from .models import AnswerRow, Attempt, CohortMembership, FirstAttemptSum, Submission
from .models import table as table_of

BUILT = "built"
COUNTED = (ATTEMPT, SUMS, MARK, REST, RESPONSE, TAG)  # what the page reads, holders aside
KEY_COLUMNS = ("kind", "key", "question_id", "learner_id", "mark", "total")
SUM_COLUMNS = ("sx", "sxx", "sr", "srr", "sxr")
COUNT_COLUMNS = ("n", "confident", "fraction", "response", *SUM_COLUMNS)


# Built once: the cohorts a submission counts for, when it is its learner's first at the quiz.
_FIRST_FOR = (
    select(CohortMembership.cohort_id)
    .where(CohortMembership.user_id == bindparam("user_id"))
    .where(
        ~exists(
            select(Attempt.id)
            .join(Submission, Submission.attempt_id == Attempt.id)
            .where(Attempt.user_id == bindparam("user_id"))
            .where(Attempt.quiz_id == bindparam("quiz_id"))
            .where(Attempt.number < bindparam("number"))
        )
    )
)


_FIRST_FOR_QUERY = DriverQuery(_FIRST_FOR)


def record(
    db: Session, quiz: Quiz, attempt: Attempt, submission: Submission, answers: Sequence[Answered]
) -> None:
    """Add a submission to its learner's cohorts' sums if it is their first at the quiz.

    Two prebuilt statements: the cohorts it counts for (often none; read on the driver's
    cursor, driver_queries.py), then one upsert run for every row and cohort. Building a
    statement from the rows' literals cost more than the rest of the submission.
    """
    first_for = {"user_id": attempt.user_id, "quiz_id": quiz.id, "number": attempt.number}
    cohorts = [cohort_id for (cohort_id,) in _FIRST_FOR_QUERY.rows(db.connection(), first_for)]
    if not cohorts:
        return
    rows = attempt_rows(quiz, attempt.user_id, submission.score, submission.points, answers)
    params = [_stored(cohort_id, quiz, row) for cohort_id in cohorts for row in rows]
    db.execute(_adding(db.get_bind().dialect.name), params)


@functools.cache
def _adding(dialect_name: str) -> Any:
    """Return the upsert that adds one row's counts (compiled once per dialect: see `prepared`)."""
    table = table_of(FirstAttemptSum)
    statement = dialect_insert(dialect_name, table)
    new = statement.excluded
    upsert = statement.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key],
        set_={
            "n": table.c.n + new.n,
            "confident": table.c.confident + new.confident,
            "fraction": case(
                (new.fraction > table.c.fraction, new.fraction), else_=table.c.fraction
            ),
            **{name: table.c[name] + new[name] for name in SUM_COLUMNS},
        },
    )
    return prepared(upsert, dialect_name, [c.name for c in table.columns])


def load(db: Session, cohort_id: int, quiz: Quiz, *, names: int) -> QuizData:
    """Return a cohort's first-attempt data from its sums (built first if need be), with the
    first `names` holders of each misconception by id."""
    where = _where(cohort_id, quiz)
    if not db.scalar(select(exists().where(*where, FirstAttemptSum.kind == BUILT))):
        rebuild(db, cohort_id, quiz)
    # The response as text, decoded here for the few rows that have one.
    columns = [
        cast(c, String) if c.name == "response" else c
        for c in (FirstAttemptSum.__table__.c[name] for name in (*KEY_COLUMNS, *COUNT_COLUMNS))
    ]
    # One index range per kind: the holder rows, many, lie between them and are never read.
    kinds = [select(*columns).where(*where, FirstAttemptSum.kind == kind) for kind in COUNTED]
    stored = db.execute(union_all(*kinds))
    data = quiz_data(_row(*s) for s in stored)
    data.named = _first_holders(db, where, list(data.holder_counts or {}), names)
    return data


def _first_holders(
    db: Session, where: tuple[Any, ...], tags: list[str], names: int
) -> dict[str, set[int]]:
    """Return the first holders of each misconception by id: one query, an index range each."""
    if not tags:
        return {}
    parts = [
        select(FirstAttemptSum.key, FirstAttemptSum.learner_id)
        .where(*where, FirstAttemptSum.kind == HOLDER, FirstAttemptSum.key == tag)
        .where(FirstAttemptSum.question_id == "")  # so the key's order is the learners' order
        .order_by(FirstAttemptSum.learner_id)
        .limit(names)
        .subquery()
        for tag in tags
    ]
    found: dict[str, set[int]] = {tag: set() for tag in tags}
    for tag, learner_id in db.execute(union_all(*(select(*part.c) for part in parts))):
        found[tag].add(learner_id)
    return found


def _where(cohort_id: int, quiz: Quiz) -> tuple[Any, ...]:
    return (
        FirstAttemptSum.cohort_id == cohort_id,
        FirstAttemptSum.quiz_id == quiz.id,
        FirstAttemptSum.content_hash == quiz.content_hash,
    )


def _row(
    kind: str,
    key: str,
    question_id: str,
    learner_id: int,
    mark: float,
    total: float,
    n: int,
    confident: int,
    fraction: float,
    response: Any,
    *sums: float,
) -> SumRow:
    found = SumKey(kind, key, question_id, learner_id, mark, total)
    decoded = None if response is None else json.loads(response)
    return SumRow(found, n, confident, fraction, decoded, sums)  # type: ignore[arg-type]


def rebuild(
    db: Session, cohort_id: int, quiz: Quiz, *, weights: Mapping[int, int] | None = None
) -> None:
    """Recount a cohort's sums for a quiz from every member's first submitted attempt.

    `weights` counts some members' attempts several times: the demo's drawn learners stand for
    the copies about to join with the same attempts (whose holder rows the demo copies itself).
    """
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
    times = weights or {}
    rows = merge(
        row
        for user_id, score, total, answers in attempts.values()
        for row in repeated(
            attempt_rows(quiz, user_id, score, total, answers), times.get(user_id, 1)
        )
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
        **dict(zip(SUM_COLUMNS, row.sums, strict=True)),
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


def forget(db: Session, cohort_id: int) -> None:
    """Mark a cohort's sums incomplete for every quiz (learners came in bulk with attempts)."""
    db.execute(
        delete(FirstAttemptSum).where(
            FirstAttemptSum.cohort_id == cohort_id, FirstAttemptSum.kind == BUILT
        )
    )
