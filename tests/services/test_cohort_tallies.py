"""Kept cohort tallies: always what a fresh count of the cohort's rows gives."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from course.content.model import Course
from course.demo import service as demo
from course.domain import metrics
from course.domain.metrics import Summary, Thresholds
from course.services import cohort_tallies, cohorts, dashboard, handling, personal_data, snapshots
from course.services.models import Cohort, CohortTally, User
from course.services.progress import complete_step
from tests.conftest import now

TH = Thresholds()
LATER = [timedelta(0), timedelta(days=3), timedelta(days=8, hours=5), timedelta(days=20)]


@pytest.fixture
def cohort(db: Session, make_user) -> Cohort:  # type: ignore[no-untyped-def]
    trainer = make_user("formatrice@example.org", role="trainer")
    made = cohorts.create_cohort(db, "Groupe A", trainer.id, now=now())
    db.commit()
    return made


@pytest.fixture
def crowd(db: Session, course: Course, cohort: Cohort) -> None:
    """Forty synthetic learners, inserted in bulk as the demo does (no join counted)."""
    from course.demo.synthetic import item_parameters, plan_learner

    rng = random.Random(7)
    params = item_parameters(course, random.Random(3))
    plans = [plan_learner(course, params, rng, i, now()) for i in range(1, 41)]
    demo.insert_learners(db, cohort, plans, "x", now())
    db.commit()


def kept(db: Session, course: Course, cohort: Cohort, at: datetime) -> Summary:
    return metrics.summarize(course, *snapshots.tallies(db, cohort.id, TH, now=at))


def fresh(db: Session, course: Course, cohort: Cohort, at: datetime) -> Summary:
    rows = dashboard.cohort_rows(db, course, cohort.id, TH, now=at)
    return metrics.summarize(course, *metrics.tally(rows, TH, at))


def refreshed(db: Session, course: Course, at: datetime) -> None:
    snapshots.refresh(db, course, TH, now=at)
    db.commit()


def assert_counts_agree(db: Session, course: Course, cohort: Cohort) -> None:
    """The kept counts equal a fresh count, seen from several moments (thresholds move),
    among them moments whose threshold falls in the very hour some learners last acted."""
    lasts = sorted(
        r.last_activity
        for r in dashboard.cohort_rows(db, course, cohort.id, TH, now=now())
        if r.last_activity is not None
    )
    edges = [
        lasts[len(lasts) // 2] + timedelta(days=days, minutes=minutes)
        for days in (TH.active_days, TH.inactive_days)
        for minutes in (-1, 0, 1)
    ]
    for at in [*(now() + later for later in LATER), *edges]:
        refreshed(db, course, at)
        assert kept(db, course, cohort, at) == fresh(db, course, cohort, at), at


def test_the_tallies_follow_learners_who_join_act_are_handled_and_leave(
    db: Session, course: Course, cohort: Cohort, crowd: None, learner: User
) -> None:
    assert_counts_agree(db, course, cohort)
    assert kept(db, course, cohort, now()).enrolled == 40
    # A learner with a standing already joins; then completes a step.
    refreshed(db, course, now())
    cohorts.join(db, cohort, learner.id, now=now())
    db.commit()
    assert kept(db, course, cohort, now()).enrolled == 41
    assert_counts_agree(db, course, cohort)
    module = course.modules[0]
    complete_step(db, course, learner.id, module, module.steps[0], now=now())
    db.commit()
    assert_counts_agree(db, course, cohort)
    # A trainer handles someone's signals: they no longer count as needing help.
    at = now() + timedelta(days=20)
    refreshed(db, course, at)
    row = next(r for r in dashboard.cohort_rows(db, course, cohort.id, TH, now=at) if r.needs_help)
    before = kept(db, course, cohort, at).needs_help
    handling.mark_handled(db, cohort.id, row.user_id, row.help_key, learner.id, now=at)
    db.commit()
    assert kept(db, course, cohort, at).needs_help == before - 1
    assert_counts_agree(db, course, cohort)
    # The learner's account is erased (its history stays), then another learner leaves.
    personal_data.erase_learner(db, learner.id, now=now())
    db.commit()
    assert_counts_agree(db, course, cohort)
    assert cohorts.leave(db, cohort, row.user_id, now=now())
    assert not cohorts.leave(db, cohort, row.user_id, now=now())
    db.commit()
    assert kept(db, course, cohort, now()).enrolled == 40
    assert_counts_agree(db, course, cohort)


def test_a_new_learner_is_counted_once_whether_joining_before_or_after_a_standing(
    db: Session,
    course: Course,
    cohort: Cohort,
    crowd: None,
    make_user,  # type: ignore[no-untyped-def]
) -> None:
    refreshed(db, course, now())
    early = make_user("tot@example.org")
    cohorts.join(db, cohort, early.id, now=now())  # no standing yet: counted by the refresh
    db.commit()
    late = make_user("tard@example.org")
    refreshed(db, course, now())
    cohorts.join(db, cohort, late.id, now=now())  # standing already stored: counted on joining
    db.commit()
    assert_counts_agree(db, course, cohort)
    assert kept(db, course, cohort, now()).enrolled == 42


def test_a_cohort_counted_before_the_tallies_were_kept_is_counted_whole(
    db: Session, course: Course, cohort: Cohort, crowd: None
) -> None:
    refreshed(db, course, now())
    db.execute(CohortTally.__table__.delete())
    db.commit()
    assert_counts_agree(db, course, cohort)
    rows = db.scalars(select(CohortTally.n).where(CohortTally.cohort_id == cohort.id)).all()
    assert sum(rows) > 40  # learners, cells and the built mark
    cohort_tallies.rebuild(db, cohort.id)
    assert kept(db, course, cohort, now()) == fresh(db, course, cohort, now())
