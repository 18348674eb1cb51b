"""Cohort tallies kept with the standings, so the dashboard reads its summary in one query.

Whatever changes what a cohort counts (a standing stored, a learner joining or leaving, signals
handled) takes the standings' mark first (snapshots.hold), counts the learners it touches
before, changes them, counts them after, and adds the difference: the counts change in the
same transaction as what they count. A cohort without a BUILT row, or whose learners counted do
not match its memberships (rows inserted in bulk, a deleted account), is counted again whole.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, func, select
from sqlalchemy.orm import Session

from course.domain import metrics, tallies
from course.domain.metrics import CellValue, LearnerRow
from course.domain.progression import State
from course.domain.tallies import BUILT, LearnerKey

from .db import dialect_insert, prepared
from .models import (
    Cohort,
    CohortMembership,
    CohortTally,
    HandledHelp,
    ProgressCell,
    ProgressSnapshot,
)
from .models import table as table_of

Counts = Counter[tuple[int, str]]  # (cohort id, encoded key) -> learners or cells


def read(db: Session, cohort_id: int) -> tuple[dict[LearnerKey, int], dict[CellValue, int]]:
    """Return a cohort's kept learner and cell counts (one query)."""
    rows = db.execute(
        select(CohortTally.key, CohortTally.n).where(CohortTally.cohort_id == cohort_id)
    )
    return tallies.split((key, n) for key, n in rows)


@contextmanager
def changing(db: Session, where: ColumnElement[bool]) -> Iterator[None]:
    """Keep the counts right while the block changes the memberships matching `where`
    (their standings, handled signals, or the memberships themselves)."""
    before = _counted(db, where)
    yield
    _add(db, _difference(_counted(db, where), before))


def replacing(db: Session, who: Select[Any]) -> Any:
    """Count the memberships of learners whose standings are about to be replaced; return a
    function that takes their new rows and adds the difference."""
    members = _members(db, CohortMembership.user_id.in_(who))
    before = _learners(members) + _cells(db, CohortMembership.user_id.in_(who))

    def replaced(rows: Mapping[int, LearnerRow]) -> None:
        after: Counts = Counter()
        for m in members:
            row = rows.get(m.user_id)
            if row is None:
                continue
            keys = metrics.help_keys(row)
            key = tallies.learner_key(
                row.status,
                metrics.static_signals(row),
                row.last_activity,
                m.joined_at,
                keys,
                m.handled,
            )
            after[m.cohort_id, tallies.encode(key)] += 1
            after.update(
                (m.cohort_id, tallies.encode(CellValue(c.module_id, c.state, c.best_score)))
                for c in row.cells
            )
        _add(db, _difference(after, before))

    return replaced


def build_missing(db: Session) -> None:
    """Count whole the cohorts never counted (new, or counted before the tallies were kept)."""
    built = select(CohortTally.cohort_id).where(CohortTally.key == BUILT)
    for cohort_id in db.scalars(select(Cohort.id).where(Cohort.id.not_in(built))):
        rebuild(db, cohort_id)


def rebuild(db: Session, cohort_id: int) -> None:
    """Count a cohort's learners and cells again from their stored standings."""
    db.execute(delete(CohortTally).where(CohortTally.cohort_id == cohort_id))
    where = CohortMembership.cohort_id == cohort_id
    counts = _learners(_members(db, where)) + _cells(db, where)
    counts[cohort_id, BUILT] = 1
    _add(db, counts)


class _Member:
    """One membership as the tallies need it."""

    __slots__ = ("cohort_id", "handled", "joined_at", "key", "user_id")

    def __init__(self, row: Any) -> None:
        self.cohort_id, self.user_id, self.joined_at = row[0], row[1], row[2]
        self.handled: str | None = row[3]
        status, signals, last, help_key, help_key_idle = row[4:]
        # Without a standing yet, a learner is counted once the refresh stores theirs.
        self.key = (
            None
            if status is None
            else tallies.learner_key(
                status,
                signals,
                last,
                self.joined_at,
                (help_key, help_key_idle),
                self.handled,
            )
        )


def _members(db: Session, where: ColumnElement[bool]) -> list[_Member]:
    query = (
        select(
            CohortMembership.cohort_id,
            CohortMembership.user_id,
            CohortMembership.joined_at,
            HandledHelp.help_key,
            ProgressSnapshot.status,
            ProgressSnapshot.signals,
            ProgressSnapshot.last_activity,
            ProgressSnapshot.help_key,
            ProgressSnapshot.help_key_idle,
        )
        .outerjoin(ProgressSnapshot, ProgressSnapshot.user_id == CohortMembership.user_id)
        .outerjoin(
            HandledHelp,
            and_(
                HandledHelp.cohort_id == CohortMembership.cohort_id,
                HandledHelp.user_id == CohortMembership.user_id,
            ),
        )
        .where(where)
    )
    return [_Member(row) for row in db.execute(query)]


def _learners(members: Iterable[_Member]) -> Counts:
    return Counter((m.cohort_id, tallies.encode(m.key)) for m in members if m.key is not None)


def _cells(db: Session, where: ColumnElement[bool]) -> Counts:
    rows = db.execute(
        select(
            CohortMembership.cohort_id,
            ProgressCell.module_id,
            ProgressCell.state,
            ProgressCell.best_score,
            func.count(),
        )
        .join(ProgressCell, ProgressCell.user_id == CohortMembership.user_id)
        .where(where)
        .group_by(
            CohortMembership.cohort_id,
            ProgressCell.module_id,
            ProgressCell.state,
            ProgressCell.best_score,
        )
    )
    return Counter({(c, tallies.encode(CellValue(m, State(s), b))): n for c, m, s, b, n in rows})


def _counted(db: Session, where: ColumnElement[bool]) -> Counts:
    return _learners(_members(db, where)) + _cells(db, where)


def _difference(after: Counts, before: Counts) -> dict[tuple[int, str], int]:
    keys = set(after) | set(before)
    return {k: after[k] - before[k] for k in keys if after[k] != before[k]}


def _add(db: Session, changes: Mapping[tuple[int, str], int]) -> None:
    if not changes:
        return
    rows = [{"cohort_id": c, "key": k, "n": n} for (c, k), n in changes.items()]
    db.execute(_adding(db.get_bind().dialect.name), rows)
    cohorts = {c for c, _ in changes}
    db.execute(delete(CohortTally).where(CohortTally.cohort_id.in_(cohorts), CohortTally.n == 0))


@functools.cache
def _adding(dialect_name: str) -> Any:
    """Return the upsert that adds to a count (compiled once per dialect: see `db.prepared`)."""
    table = table_of(CohortTally)
    statement = dialect_insert(dialect_name, table)
    upsert = statement.on_conflict_do_update(
        index_elements=["cohort_id", "key"], set_={"n": table.c.n + statement.excluded.n}
    )
    return prepared(upsert, dialect_name, ["cohort_id", "key", "n"])
