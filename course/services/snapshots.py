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
    literal,
    not_,
    or_,
    select,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from course.content.model import Course
from course.domain import metrics
from course.domain import tallies as kept
from course.domain.metrics import CellTally, LearnerRow, Standing, Tally, Thresholds
from course.domain.roster import RosterQuery, page_count

from . import cohort_tallies
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
    mark = hold(db, now)
    digest = metrics.fingerprint(course, thresholds)
    current = mark.fingerprint == digest
    since, users_since = (mark.event_id, mark.user_id) if current else (0, 0)
    who = _changed_since(since, users_since) if current else select(User.id)
    rows = _store(db, course, thresholds, who, now) if db.scalar(select(exists(who))) else {}
    cohort_tallies.build_missing(db)
    new_mark = _settled(db, Event.id, Event.timestamp, since, now)
    new_users = _settled(db, User.id, User.created_at, users_since, now)
    if (mark.event_id, mark.user_id, mark.fingerprint) != (new_mark, new_users, digest):
        mark.event_id, mark.user_id, mark.fingerprint = new_mark, new_users, digest
        mark.refreshed_at = now
    db.flush()
    return rows


def _settled(db: Session, key: Any, when: Any, since: int, now: datetime) -> int:
    """Return the highest id past which no row younger than SETTLE has been seen: rows that took
    their id early but committed late are read again next time."""
    unsettled = db.scalar(select(func.min(key)).where(key > since, when > now - SETTLE))
    top = db.scalar(select(func.max(key))) or 0  # asked always: a view's statements stay as many
    return unsettled - 1 if unsettled is not None else top


def hold(db: Session, now: datetime) -> SnapshotMark:
    """Take the standings' mark until the transaction ends: whatever changes what the kept
    tallies count takes it first, so counts and standings change one writer at a time."""
    return _locked_mark(db, now)


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


def _changed_since(event_id: int, user_id: int) -> Select[Any]:
    """Return a query of the learners with events past an id, or new and without a standing."""
    acted = select(Event.user_id).where(Event.id > event_id, Event.user_id.is_not(None))
    missing = select(User.id).where(
        User.id > user_id, ~exists().where(ProgressSnapshot.user_id == User.id)
    )
    return acted.union(missing)  # type: ignore[return-value]


def _store(
    db: Session, course: Course, thresholds: Thresholds, who: Select[Any], now: datetime
) -> dict[int, LearnerRow]:
    rows = metrics.learner_rows(course, load_facts(db, who), thresholds, now)
    replaced = cohort_tallies.replacing(db, who)
    db.execute(delete(ProgressCell).where(ProgressCell.user_id.in_(who)))
    db.execute(delete(ProgressSnapshot).where(ProgressSnapshot.user_id.in_(who)))
    if not rows:
        replaced({})
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
    stored = {r.user_id: r for r in rows}
    replaced(stored)
    return stored


class _Columns:
    """The stored standing as SQL expressions, for counting, filtering and sorting."""

    def __init__(self, thresholds: Thresholds, now: datetime) -> None:
        self.status = func.coalesce(ProgressSnapshot.status, "not_started")
        self.last = ProgressSnapshot.last_activity
        self.idle_from = func.coalesce(ProgressSnapshot.last_activity, CohortMembership.joined_at)
        # The metrics' rules, given SQL columns instead of values.
        since = self.idle_since = metrics.inactive_since(now, thresholds)
        self.inactive = metrics.is_inactive(self.status, self.idle_from, since, both=and_)
        self.signals = func.coalesce(ProgressSnapshot.signals, 0)
        key = case((self.inactive, ProgressSnapshot.help_key_idle), else_=ProgressSnapshot.help_key)
        handled = and_(HandledHelp.help_key.is_not(None), HandledHelp.help_key == key)
        self.help = metrics.is_flagged(
            self.signals, self.inactive, handled, both=and_, either=or_, negate=not_
        )
        self.priority = func.coalesce(ProgressSnapshot.priority, metrics.NO_HELP)
        self.urgency = metrics.urgency(self.priority, self.inactive, handled, pick=_case, both=and_)
        self.active = self.last >= metrics.active_since(now, thresholds)


def _case(condition: Any, then: Any, otherwise: Any) -> Any:
    return case((condition, then), else_=otherwise)


def _in_cohort(query: Select[Any], cohort_id: int, *, standing: bool = False) -> Select[Any]:
    """Join a cohort's memberships to their standings (only those with one, if `standing`)."""
    joined = query.join if standing else query.outerjoin
    return (
        joined(ProgressSnapshot, ProgressSnapshot.user_id == CohortMembership.user_id)
        .where(CohortMembership.cohort_id == cohort_id)
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
    """Count a cohort's learners and cells by the values the summary needs (two queries): the
    kept counts, and afresh the learners of the hours that hold a threshold."""
    keys, cells = cohort_tallies.read(db, cohort_id)
    active_since, idle_since = (
        metrics.active_since(now, thresholds),
        metrics.inactive_since(now, thresholds),
    )
    learners = Counter(kept.standings(keys, active_since, idle_since))
    cols = _Columns(thresholds, now)
    active = case((cols.active, 1), else_=0)
    helped = case((cols.help, 1), else_=0)
    grouped = [cols.status, active, helped]
    hours = [(start, start + kept.BUCKET) for start in kept.boundaries(active_since, idle_since)]
    acted = or_(*(and_(cols.last >= start, cols.last < end) for start, end in hours))
    joined = or_(
        *(and_(CohortMembership.joined_at >= s, CohortMembership.joined_at < e) for s, e in hours)
    )
    counted = _in_cohort(  # the learners with a standing, as the kept counts hold
        select(*grouped, func.count()).select_from(CohortMembership), cohort_id, standing=True
    )
    query = union_all(
        counted.where(acted).group_by(*grouped),
        counted.where(cols.last.is_(None), joined).group_by(*grouped),
    )
    for status, is_active, needs_help, count in db.execute(query):
        learners[Standing(status, bool(is_active), bool(needs_help))] += count
    return learners, cells


def roster(
    db: Session,
    cohort_id: int,
    query: RosterQuery,
    thresholds: Thresholds,
    *,
    now: datetime,
    size: int,
    counted: Tally | None = None,
) -> tuple[list[int], int, int]:
    """Return the ids of one page of learners, the page number and how many learners match
    (taken from the cohort's `counted` learners when the filters are among theirs)."""
    cols = _Columns(thresholds, now)
    urgent = query.sort == "help" and query.descending and query.needs_help
    base = _in_cohort(
        select(User.id)
        .select_from(CohortMembership)
        .join(User, User.id == CohortMembership.user_id),
        cohort_id,
        standing=urgent,  # needing help takes a standing: without one, nobody does
    ).where(*_filters(query, cols, now))
    total = _counted_total(query, counted)
    if total is None:
        total = db.scalar(select(func.count()).select_from(base.subquery())) or 0
    page = min(query.page, page_count(total, size))
    if urgent:
        return _most_urgent(db, base, cols, page * size)[(page - 1) * size :], page, total
    ordered = base.order_by(*_order(query, cols)).limit(size).offset((page - 1) * size)
    return list(db.scalars(ordered)), page, total


def _most_urgent(db: Session, base: Select[Any], cols: _Columns, limit: int) -> list[int]:
    """Return the first `limit` learners of `base` (who need help), most urgent first, then
    longest idle.

    The urgency moves with the clock, so no index holds its order; each rank and each origin
    of idleness (last activity, or joining) is read apart in index order, and merged.
    """
    idle = metrics.RANKS["inactive"]
    # Per origin of idleness, the same rules on plain columns, so that indexes serve them.
    origins = (
        (ProgressSnapshot.last_activity, ProgressSnapshot.last_activity.is_not(None)),
        (CohortMembership.joined_at, ProgressSnapshot.last_activity.is_(None)),
    )
    parts = []
    for when, origin in origins:
        inactive = and_(ProgressSnapshot.status == "in_progress", when <= cols.idle_since)
        for rank in sorted(set(metrics.RANKS.values())):
            if rank < idle:
                condition = ProgressSnapshot.priority == rank
            elif rank == idle:
                condition = or_(
                    ProgressSnapshot.priority == rank,
                    and_(inactive, ProgressSnapshot.priority > rank),
                )
            else:
                condition = and_(ProgressSnapshot.priority == rank, not_(inactive))
            parts.append(
                base.add_columns(literal(rank).label("rank"), when.label("since"))
                .where(origin, condition)
                .order_by(when, User.id)
                .limit(limit)
            )
    merged = union_all(*(select(part.subquery()) for part in parts))
    found = sorted(db.execute(merged), key=lambda r: (r.rank, r.since, r.id))
    return [r.id for r in found[:limit]]


def _counted_total(query: RosterQuery, counted: Tally | None) -> int | None:
    """Return how many learners match, from the counts, if they tell (None otherwise)."""
    if counted is None or query.search or query.idle_days:
        return None
    return sum(
        n
        for standing, n in counted.items()
        if (not query.status or standing.status == query.status)
        and (not query.needs_help or standing.needs_help)
    )


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
    if query.sort == "name":  # never null: the order of the index on names
        return [key.desc(), User.id.desc()] if query.descending else [key, User.id]
    if query.sort == "help":  # the most urgent first, then the longest idle
        ties = [cols.idle_from.asc(), User.id]
        return [key.desc() if query.descending else key.asc(), *ties]
    if query.descending:
        return [key.desc().nulls_last(), User.id.desc()]
    return [key.asc().nulls_first(), User.id]


def pass_copied(db: Session, last_event: int) -> None:
    """Move the mark from `last_event` past the events written since, when they came with their
    learners' standings (the demo's copied learners). A mark held back stays where it is."""
    mark = db.get(SnapshotMark, MARK_ID)
    if mark is not None and mark.event_id == last_event:
        mark.event_id = db.scalar(select(func.max(Event.id))) or last_event
        db.flush()
