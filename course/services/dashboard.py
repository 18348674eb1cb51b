"""A cohort's dashboard, exports and learner pages, put together from facts and standings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from course.content.model import Course
from course.domain import metrics
from course.domain.exports import AttemptLine
from course.domain.gain import CohortModuleGain, cohort_module_gains
from course.domain.metrics import LearnerRow, Summary, Thresholds
from course.domain.permissions import Actor
from course.domain.progression import ModuleStatus, course_status
from course.domain.roster import Page, RosterQuery
from course.domain.selection import Selection
from course.domain.timeline import HIDDEN_VERBS, Entry, describe

from . import cohorts, handling, history, snapshots, tools, waivers
from .facts import load_facts, members
from .models import (
    Attempt,
    CertaintyScore,
    Cohort,
    CohortMembership,
    Event,
    Submission,
    ToolEntry,
    User,
)
from .progress import load_progress

TIMELINE_LIMIT = 300
TRIAGE_SIZE = 12  # learners listed under « Besoin d'aide »; the matrix's filter shows them all
TRIAGE_QUERY = RosterQuery(needs_help=True, sort="help", descending=True)


@dataclass(frozen=True)
class Board:
    """What the dashboard shows: the summary of everyone, and one page of learners."""

    summary: Summary
    page: Page
    triage: list[LearnerRow]  # the most urgent learners needing help, at most TRIAGE_SIZE
    triage_total: int  # how many need help in all


def refresh_standings(
    db: Session, course: Course, thresholds: Thresholds, *, now: datetime
) -> dict[int, LearnerRow]:
    """Bring stored standings up to date; return the rows computed (the caller commits).

    Refreshes take turns on the mark's row, held until the commit: commit before reading the
    board, so that other dashboards and, on SQLite, every writer wait for the refresh alone.
    """
    return snapshots.refresh(db, course, thresholds, now=now)


def cohort_board(
    db: Session,
    course: Course,
    cohort_id: int,
    query: RosterQuery,
    thresholds: Thresholds,
    *,
    now: datetime,
    size: int,
    fresh: dict[int, LearnerRow],
) -> Board:
    """Count the cohort from stored standings, then show one page (reads only).

    Each learner's row is computed once: the page reuses the rows `fresh` from the refresh
    (`refresh_standings`), placed in this cohort.
    """
    learners, cells = snapshots.tallies(db, cohort_id, thresholds, now=now)
    counted = learners
    ids, number, total = snapshots.roster(
        db, cohort_id, query, thresholds, now=now, size=size, counted=counted
    )
    urgent, _, helped = snapshots.roster(
        db, cohort_id, TRIAGE_QUERY, thresholds, now=now, size=TRIAGE_SIZE, counted=counted
    )
    both = list(dict.fromkeys([*ids, *urgent]))
    rows = {r.user_id: r for r in _page_rows(db, course, cohort_id, both, fresh, thresholds, now)}
    return Board(
        metrics.summarize(course, learners, cells),
        Page([rows[i] for i in ids], number, size, total),
        [rows[i] for i in urgent],
        helped,
    )


def _page_rows(
    db: Session,
    course: Course,
    cohort_id: int,
    ids: list[int],
    fresh: dict[int, LearnerRow],
    thresholds: Thresholds,
    now: datetime,
) -> list[LearnerRow]:
    """Return the rows of a page in its order: fresh ones placed in the cohort, others computed."""
    others = [i for i in ids if i not in fresh]
    rows = metrics.learner_rows(
        course, load_facts(db, others, cohort_id=cohort_id), thresholds, now
    )
    joined = cohorts.joined_at(db, cohort_id, [i for i in ids if i in fresh])
    rows += [metrics.placed(fresh[i], when, thresholds, now) for i, when in joined.items()]
    handled = handling.handled_in(db, cohort_id, ids)
    order = {user_id: index for index, user_id in enumerate(ids)}
    placed = [metrics.with_handled(r, handled.get(r.user_id)) for r in rows]
    return sorted(placed, key=lambda r: order[r.user_id])


def cohort_rows(
    db: Session, course: Course, cohort_id: int, thresholds: Thresholds, *, now: datetime
) -> list[LearnerRow]:
    """Return every learner's row, computed from their history, sorted by name."""
    facts = load_facts(db, members(cohort_id), cohort_id=cohort_id)
    rows = metrics.learner_rows(course, facts, thresholds, now)
    handled = handling.handled_in(db, cohort_id, [r.user_id for r in rows])
    rows = [metrics.with_handled(r, handled.get(r.user_id)) for r in rows]
    return sorted(rows, key=lambda r: (r.name.lower(), r.user_id))


def attempt_lines(db: Session, cohort_id: int) -> list[AttemptLine]:
    """Return every attempt of a cohort's learners, by learner then quiz and number."""
    rows = db.execute(
        select(
            User.id,
            User.display_name,
            User.email,
            Attempt.quiz_id,
            Attempt.number,
            Attempt.started_at,
            Submission.submitted_at,
            Submission.score,
            Submission.points,
            Submission.max_points,
            Submission.passed,
        )
        .join(Attempt, Attempt.user_id == User.id)
        .outerjoin(Submission, Submission.attempt_id == Attempt.id)
        .join(CohortMembership, CohortMembership.user_id == User.id)
        .where(CohortMembership.cohort_id == cohort_id)
        .order_by(User.display_name, User.id, Attempt.quiz_id, Attempt.number)
    )
    return [AttemptLine(*row) for row in rows]


def cohort_gains(db: Session, course: Course, cohort_id: int) -> list[CohortModuleGain]:
    """Return the cohort's learning gain per module and objective (pre-test to first quiz)."""
    ids = list(db.scalars(members(cohort_id)))
    return cohort_module_gains(course, history.selected_answers(db, ids, Selection.FIRST).values())


@dataclass(frozen=True)
class LearnerDetail:
    """Everything the learner page shows."""

    user: User
    row: LearnerRow
    statuses: list[ModuleStatus]
    timeline: list[Entry]
    attempts: list[Attempt]
    waivers: dict[str, tuple[str | None, datetime, str]]
    tools: dict[str, ToolEntry]
    cohorts: list[Cohort]
    # The certainty scores of its submissions to quizzes scored by certainty, by attempt id.
    certainty_scores: dict[int, float]


def learner_detail(
    db: Session,
    course: Course,
    cohort: Cohort,
    user: User,
    thresholds: Thresholds,
    *,
    viewer: Actor,
    now: datetime,
) -> LearnerDetail:
    """Put together a learner's standing, timeline, attempts with answers, waivers and tools.

    Of the learner's other cohorts, the viewer sees only those they train (all for an admin).
    """
    (row,) = metrics.learner_rows(
        course, load_facts(db, [user.id], cohort_id=cohort.id), thresholds, now
    )
    row = metrics.with_handled(row, handling.handled_in(db, cohort.id, [user.id]).get(user.id))
    given = waivers.waivers_of(db, user.id)
    return LearnerDetail(
        user=user,
        row=row,
        statuses=course_status(course, load_progress(db, user.id)),
        timeline=timeline(db, course, user.id, given),
        attempts=list(
            db.scalars(
                select(Attempt)
                .where(Attempt.user_id == user.id)
                .options(selectinload(Attempt.submission).selectinload(Submission.answers))
                .order_by(Attempt.started_at.desc(), Attempt.id.desc())
            )
        ),
        waivers=given,
        tools=tools.entries_of(db, user.id),
        cohorts=cohorts.memberships(db, user.id, seen_by=viewer),
        certainty_scores=dict(
            db.execute(
                select(CertaintyScore.attempt_id, CertaintyScore.score)
                .join(Attempt, Attempt.id == CertaintyScore.attempt_id)
                .where(Attempt.user_id == user.id)
            )
            .tuples()
            .all()
        ),
    )


def timeline(
    db: Session, course: Course, user_id: int, given: dict[str, tuple[str | None, Any, str]]
) -> list[Entry]:
    """Return a learner's latest events, newest first, each told in words."""
    events = db.execute(
        select(Event.verb, Event.object_type, Event.object_id, Event.result, Event.timestamp)
        .where(Event.user_id == user_id, Event.verb.not_in(HIDDEN_VERBS))
        .order_by(Event.timestamp.desc(), Event.id.desc())
        .limit(TIMELINE_LIMIT)
    )
    return [
        Entry(
            when,
            verb,
            describe(
                course,
                verb,
                kind,
                object_id,
                result,
                waived_by=given[object_id][0] if verb == "waived" and object_id in given else None,
            ),
        )
        for verb, kind, object_id, result, when in events
    ]


@dataclass(frozen=True)
class Report:
    """The printable cohort report: the summary, who needs help (most urgent first), the gain."""

    board: Board
    gains: list[CohortModuleGain]


REPORT_HELP_LIMIT = 200  # learners listed in the report's needs-help table


def cohort_report(
    db: Session, course: Course, cohort_id: int, thresholds: Thresholds, *, now: datetime
) -> Report:
    """Put the cohort report together (refreshes stored standings: the caller commits)."""
    query = RosterQuery(needs_help=True, sort="help", descending=True)
    fresh = refresh_standings(db, course, thresholds, now=now)
    board = cohort_board(
        db, course, cohort_id, query, thresholds, now=now, size=REPORT_HELP_LIMIT, fresh=fresh
    )
    return Report(board, cohort_gains(db, course, cohort_id))
