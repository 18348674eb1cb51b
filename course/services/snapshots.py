"""Dashboard standings kept from the event log, so a cohort of thousands is counted in SQL.

Every change to a learner's progress appends an event in its own transaction. `refresh` finds
the learners with events past the mark (or without a standing), recomputes their standing with
the metrics module and stores it; the dashboard then counts and pages stored standings, and
computes exact rows only for the learners it shows. The mark stays behind events younger than
SETTLE, which are read again next time, so that a transaction which took its event id early but
committed late is never skipped.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    not_,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from course.content.model import Course
from course.domain import metrics
from course.domain.metrics import CellTally, CellValue, LearnerRow, Standing, Tally, Thresholds
from course.domain.progression import State
from course.domain.roster import RosterQuery, page_count

from .facts import load_facts
from .models import (
    CohortMembership,
    Event,
    HandledHelp,
    ProgressCell,
    ProgressSnapshot,
    SnapshotMark,
    User,
)

MARK_ID = 1
SETTLE = timedelta(minutes=2)


def bulk(model: Any) -> Any:
    """Return a multi-row INSERT that sends NULLs as they are, so rows are not split in batches."""
    return insert(model).execution_options(render_nulls=True)


def refresh(
    db: Session, course: Course, thresholds: Thresholds, *, now: datetime
) -> dict[int, LearnerRow]:
    """Recompute the standing of every learner who acted since the mark; return their rows.

    The rows' `joined_at` is when the learner registered (a standing belongs to no cohort).
    Refreshes take turns on the mark's row, so two requests never store the same learners.
    """
    mark = _locked_mark(db, now)
    digest = metrics.fingerprint(course, thresholds)
    current = mark.fingerprint == digest
    since = mark.event_id if current else 0
    who = _changed_since(since) if current else select(User.id)
    rows = _store(db, course, thresholds, who, now) if db.scalar(select(exists(who))) else {}
    unsettled = db.scalar(
        select(func.min(Event.id)).where(Event.id > since, Event.timestamp > now - SETTLE)
    )
    top = db.scalar(select(func.max(Event.id))) or 0
    new_mark = unsettled - 1 if unsettled is not None else top
    if (mark.event_id, mark.fingerprint) != (new_mark, digest):
        mark.event_id, mark.fingerprint, mark.refreshed_at = new_mark, digest, now
    db.flush()
    return rows


def _locked_mark(db: Session, now: datetime) -> SnapshotMark:
    """Return the mark, locked until the transaction ends (made on first use)."""
    query = select(SnapshotMark).where(SnapshotMark.id == MARK_ID).with_for_update()
    mark = db.scalars(query).first()
    if mark is None:
        try:
            with db.begin_nested():
                db.add(SnapshotMark(id=MARK_ID, event_id=0, fingerprint="", refreshed_at=now))
        except IntegrityError:
            pass  # another request made it first: wait for it below
        mark = db.scalars(query).one()
    return mark


def _changed_since(event_id: int) -> Select[Any]:
    """Return a query of the learners with events past an id, or without a standing yet."""
    acted = select(Event.user_id).where(Event.id > event_id, Event.user_id.is_not(None))
    missing = select(User.id).where(~exists().where(ProgressSnapshot.user_id == User.id))
    return acted.union(missing)  # type: ignore[return-value]


def _store(
    db: Session, course: Course, thresholds: Thresholds, who: Select[Any], now: datetime
) -> dict[int, LearnerRow]:
    rows = metrics.learner_rows(course, load_facts(db, who), thresholds, now)
    db.execute(delete(ProgressCell).where(ProgressCell.user_id.in_(who)))
    db.execute(delete(ProgressSnapshot).where(ProgressSnapshot.user_id.in_(who)))
    if not rows:
        return {}
    db.execute(
        bulk(ProgressSnapshot),
        [
            {
                "user_id": r.user_id,
                "status": r.status,
                "percent": r.percent,
                "last_activity": r.last_activity,
                "signals": metrics.static_signals(r),
                "priority": metrics.static_priority(r),
                "help_key": metrics.help_keys(r)[0],
                "help_key_idle": metrics.help_keys(r)[1],
            }
            for r in rows
        ],
    )
    db.execute(
        bulk(ProgressCell),
        [
            {
                "user_id": r.user_id,
                "module_id": c.module_id,
                "state": c.state.value,
                "best_score": c.best_score,
            }
            for r in rows
            for c in r.cells
        ],
    )
    return {r.user_id: r for r in rows}


class _Columns:
    """The stored standing as SQL expressions, for counting, filtering and sorting."""

    def __init__(self, thresholds: Thresholds, now: datetime) -> None:
        self.status = func.coalesce(ProgressSnapshot.status, "not_started")
        self.last = ProgressSnapshot.last_activity
        self.idle_from = func.coalesce(ProgressSnapshot.last_activity, CohortMembership.joined_at)
        # The metrics' rules, given SQL columns instead of values.
        since = metrics.inactive_since(now, thresholds)
        self.inactive = metrics.is_inactive(self.status, self.idle_from, since, both=and_)
        self.signals = func.coalesce(ProgressSnapshot.signals, 0)
        key = case((self.inactive, ProgressSnapshot.help_key_idle), else_=ProgressSnapshot.help_key)
        handled = and_(HandledHelp.help_key.is_not(None), HandledHelp.help_key == key)
        self.help = metrics.is_flagged(
            self.signals, self.inactive, handled, both=and_, either=or_, negate=not_
        )
        priority = func.coalesce(ProgressSnapshot.priority, metrics.NO_HELP)
        self.urgency = metrics.urgency(priority, self.inactive, handled, pick=_case, both=and_)
        self.active = self.last >= metrics.active_since(now, thresholds)


def _case(condition: Any, then: Any, otherwise: Any) -> Any:
    return case((condition, then), else_=otherwise)


def _in_cohort(query: Select[Any], cohort_id: int) -> Select[Any]:
    return (
        query.where(CohortMembership.cohort_id == cohort_id)
        .outerjoin(ProgressSnapshot, ProgressSnapshot.user_id == CohortMembership.user_id)
        .outerjoin(
            HandledHelp,
            and_(
                HandledHelp.cohort_id == CohortMembership.cohort_id,
                HandledHelp.user_id == CohortMembership.user_id,
            ),
        )
    )


def tallies(
    db: Session, cohort_id: int, thresholds: Thresholds, *, now: datetime
) -> tuple[Tally, CellTally]:
    """Count a cohort's learners and cells by the values the summary needs (two queries)."""
    cols = _Columns(thresholds, now)
    active = case((cols.active, 1), else_=0)
    helped = case((cols.help, 1), else_=0)
    query = _in_cohort(
        select(cols.status, active, helped, func.count()).select_from(CohortMembership),
        cohort_id,
    ).group_by(cols.status, active, helped)
    learners: Counter[Standing] = Counter()
    for status, is_active, needs_help, count in db.execute(query):
        learners[Standing(status, bool(is_active), bool(needs_help))] += count
    cells = db.execute(
        select(ProgressCell.module_id, ProgressCell.state, ProgressCell.best_score, func.count())
        .join(CohortMembership, CohortMembership.user_id == ProgressCell.user_id)
        .where(CohortMembership.cohort_id == cohort_id)
        .group_by(ProgressCell.module_id, ProgressCell.state, ProgressCell.best_score)
    )
    return learners, {CellValue(m, State(s), b): n for m, s, b, n in cells}


def roster(
    db: Session,
    cohort_id: int,
    query: RosterQuery,
    thresholds: Thresholds,
    *,
    now: datetime,
    size: int,
) -> tuple[list[int], int, int]:
    """Return the ids of one page of learners, the page number and how many learners match."""
    cols = _Columns(thresholds, now)
    base = _in_cohort(
        select(User.id)
        .select_from(CohortMembership)
        .join(User, User.id == CohortMembership.user_id),
        cohort_id,
    ).where(*_filters(query, cols, now))
    total = db.scalar(select(func.count()).select_from(base.subquery())) or 0
    page = min(query.page, page_count(total, size))
    ordered = base.order_by(*_order(query, cols)).limit(size).offset((page - 1) * size)
    return list(db.scalars(ordered)), page, total


def _filters(query: RosterQuery, cols: _Columns, now: datetime) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if query.status:
        found.append(cols.status == query.status)
    if query.idle_days:
        found.append(cols.idle_from <= now - timedelta(days=query.idle_days))
    if query.needs_help:
        found.append(cols.help)
    if query.search:
        needle = query.search.lower()
        found.append(
            or_(
                func.lower(User.display_name).contains(needle, autoescape=True),
                func.lower(User.email).contains(needle, autoescape=True),
            )
        )
    return found


def _order(query: RosterQuery, cols: _Columns) -> list[Any]:
    keys: dict[str, Any] = {
        "name": func.lower(User.display_name),
        "progress": func.coalesce(ProgressSnapshot.percent, 0),
        "activity": cols.last,
        "help": cols.urgency,
    }
    key = keys[query.sort]
    if query.sort == "help":  # the most urgent first, then the longest idle
        ties = [cols.idle_from.asc(), User.id]
        return [key.desc() if query.descending else key.asc(), *ties]
    if query.descending:
        return [key.desc().nulls_last(), User.id.desc()]
    return [key.asc().nulls_first(), User.id]
