"""Replayed learners: copies of drawn learners' rows, made by the database itself.

Past the drawn journeys, each new demo learner replays one drawn learner's journey under a new
name. The new accounts go in with a map (new user, the learner replayed, which copy); then one
INSERT … SELECT per table copies the sources' rows, standings included. Each table's new ids come
from one range reserved at once: id = first + copy * n + rank - 1, with n the sources' rows and
rank a source row's place among them by id, so a child finds its parent's new id by the same
formula. Nothing goes through Python but the accounts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Index,
    Integer,
    MetaData,
    Select,
    Subquery,
    Table,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session

from course.domain.first_sums import HOLDER
from course.services.models import (
    AnswerRow,
    Attempt,
    CertaintyScore,
    CohortMembership,
    Event,
    FirstAttemptSum,
    ProgressCell,
    ProgressSnapshot,
    StepCompletion,
    Submission,
)

from .writers import writer

# The new learners, each with the learner it replays and its copy's number from 0 (per run).
REPLAYS = Table(
    "demo_replays",
    MetaData(),
    Column("user_id", Integer, primary_key=True),
    Column("source_id", Integer, nullable=False),
    Column("copy_number", Integer, nullable=False),
    Index("demo_replays_source", "source_id", "copy_number"),  # each copy joins its source's rows
    prefixes=["TEMPORARY"],
)


@dataclass(frozen=True)
class Replay:
    user_id: int  # the new learner
    source_id: int  # the learner whose rows it gets
    copy_number: int  # 0 for a source's first replay in this run, 1 for its second…


@dataclass(frozen=True)
class _Range:
    """The ids reserved for a table's copies: first + copy * rows + rank - 1."""

    first: int
    rows: int

    def new_id(self, rank: Any) -> ColumnElement[Any]:
        return self.first - 1 + REPLAYS.c.copy_number * self.rows + rank  # type: ignore[no-any-return]


def replay(db: Session, cohort_id: int, replays: Sequence[Replay]) -> None:
    """Copy each source's history, cohort membership, standing and item-sum holder rows to the
    learners replaying it."""
    if not replays:
        return
    bind = db.connection()
    REPLAYS.create(bind)
    writer(db).rows(REPLAYS, [vars(r) for r in replays])
    if bind.dialect.name == "postgresql":
        db.execute(text(f"ANALYZE {REPLAYS.name}"))
    copies = 1 + max(r.copy_number for r in replays)
    members = _sources(CohortMembership).where(CohortMembership.cohort_id == cohort_id)
    _copy(db, CohortMembership, members.subquery(), {})
    for owned in (StepCompletion, Event):
        _copy_with_ids(db, owned, copies)
    attempts = _copy_with_ids(db, Attempt, copies)
    for result in (Submission, CertaintyScore):
        _copy_children(db, result, attempts, copies)
    _copy_children(db, AnswerRow, attempts, copies, own_ids=True)
    for standing in (ProgressSnapshot, ProgressCell):
        _copy(db, standing, _sources(standing).subquery(), {})
    _copy_holders(db, cohort_id)
    REPLAYS.drop(bind)


def _sources(model: Any) -> Select[Any]:
    """Return the rows of a table that belong to a replayed learner, with all their columns."""
    table = model.__table__
    return select(table).where(table.c.user_id.in_(select(REPLAYS.c.source_id)))


def _copy(db: Session, model: Any, rows: Subquery, changed: dict[str, Any]) -> None:
    """Insert a copy of each source row for every learner replaying its owner."""
    table = model.__table__
    owner = rows.c.owner if "owner" in rows.c else rows.c.user_id
    values = {column.name: rows.c[column.name] for column in table.c}
    values.update(user_id=REPLAYS.c.user_id, **changed)
    values = {name: value for name, value in values.items() if name in table.c}
    copied = select(*values.values()).join_from(rows, REPLAYS, REPLAYS.c.source_id == owner)
    db.execute(insert(table).from_select(list(values), copied))


def _copy_holders(db: Session, cohort_id: int) -> None:
    """Name the copies among the holders of the misconceptions their sources hold (the item
    sums' counts were made with the copies in already: first_sums.rebuild's weights)."""
    sums = FirstAttemptSum.__table__
    holders = select(sums, sums.c.learner_id.label("owner")).where(
        sums.c.cohort_id == cohort_id,
        sums.c.kind == HOLDER,
        sums.c.learner_id.in_(select(REPLAYS.c.source_id)),
    )
    _copy(db, FirstAttemptSum, holders.subquery(), {"learner_id": REPLAYS.c.user_id})


def _copy_with_ids(db: Session, model: Any, copies: int) -> _Range:
    """Copy a table whose rows have their own ids (and belong to a learner)."""
    table = model.__table__
    rows = _sources(model).add_columns(_rank(table.c.id)).subquery()
    ids = _reserve(db, model, rows, copies)
    _copy(db, model, rows, {"id": ids.new_id(rows.c.rank)})
    return ids


def _copy_children(
    db: Session, model: Any, attempts: _Range, copies: int, *, own_ids: bool = False
) -> None:
    """Copy the rows that belong to the sources' attempts, given their attempts' new ids."""
    table = model.__table__
    ranked = (
        select(Attempt.id, Attempt.user_id, _rank(Attempt.id))
        .where(Attempt.user_id.in_(select(REPLAYS.c.source_id)))
        .subquery()
    )
    query = select(table, ranked.c.user_id.label("owner"), ranked.c.rank.label("attempt_rank"))
    query = query.join(ranked, ranked.c.id == table.c.attempt_id)
    if own_ids:
        query = query.add_columns(_rank(table.c.id))
    rows = query.subquery()
    changed = {"attempt_id": attempts.new_id(rows.c.attempt_rank)}
    if own_ids:
        changed["id"] = _reserve(db, model, rows, copies).new_id(rows.c.rank)
    _copy(db, model, rows, changed)


def _rank(column: Any) -> Any:
    return func.row_number().over(order_by=column).label("rank")


def _reserve(db: Session, model: Any, rows: Subquery, copies: int) -> _Range:
    """Reserve ids for `copies` copies of the source rows; return the range."""
    count = db.scalar(select(func.count()).select_from(rows)) or 0
    table = model.__tablename__
    span = count * copies
    if db.get_bind().dialect.name == "postgresql":
        # Take the next id and move the sequence past the range, so later rows come after it.
        first = db.scalar(
            text(
                "SELECT setval(seq, nextval(seq) + :span - 1) - :span + 1"
                " FROM (SELECT CAST(pg_get_serial_sequence(:table, 'id') AS regclass) AS seq) AS s"
            ),
            {"table": table, "span": max(span, 1)},
        )
    else:
        first = (db.scalar(select(func.max(model.id))) or 0) + 1
    return _Range(int(first or 1), count)
