"""Trainer services on a real database: cohorts, facts, stored standings, item sums, demo."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from course.content.model import Course
from course.demo import service as demo
from course.domain import metrics
from course.domain.answers import parse_answers
from course.domain.item_analysis import AnswerFact, analyse, gather
from course.domain.metrics import LearnerRow, Thresholds
from course.domain.roster import RosterQuery
from course.domain.selection import Selection, select_attempts
from course.services import analytics, attempts, cohorts, dashboard, snapshots, waivers
from course.services.facts import load_facts, members
from course.services.models import AnswerRow, Attempt, Cohort, Event, Submission, User, Waiver
from course.services.progress import complete_step, load_progress
from tests.conftest import now

TH = Thresholds()


@pytest.fixture
def trainer(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user("formatrice@example.org", role="trainer")


@pytest.fixture
def cohort(db: Session, trainer: User) -> Cohort:
    made = cohorts.create_cohort(db, "Groupe A", trainer.id, now=now())
    db.commit()
    return made


@pytest.fixture
def crowd(db: Session, course: Course, cohort: Cohort) -> list[int]:
    """Forty synthetic learners with varied journeys, inserted as the demo does."""
    from course.demo.synthetic import item_parameters, plan_learner

    rng = random.Random(11)
    params = item_parameters(course, random.Random(1))
    plans = [plan_learner(course, params, rng, i, now()) for i in range(1, 41)]
    demo.insert_learners(db, cohort, plans, "x", now())
    db.commit()
    return list(db.scalars(members(cohort.id)))


@dataclass(frozen=True)
class Taken:
    user_id: int
    quiz_id: str
    number: int
    grade: float


def cohort_rows(db: Session, course: Course, cohort: Cohort, at: datetime) -> list[LearnerRow]:
    facts = load_facts(db, members(cohort.id), cohort_id=cohort.id)
    return metrics.learner_rows(course, facts, TH, at)


def submit(db: Session, course: Course, user_id: int, form: dict[str, list[str]]) -> None:
    quiz = course.quizzes["m1-quiz"]
    started = attempts.start_attempt(db, user_id, quiz, rng=random.Random(1), now=now())
    db.commit()
    attempt = attempts.get_own(db, user_id, started.id)
    assert attempt is not None
    questions = [q for q in (quiz.question(i) for i in attempt.question_ids) if q]
    attempts.submit(db, course, attempt, parse_answers(questions, form), now=now())
    db.commit()


WRONG_SURE = {
    "q-q-single": ["b"],
    "c-q-single": ["3"],
    "q-q-vf": ["true"],
    "c-q-vf": ["3"],
    "q-q-num": ["12"],
    "c-q-num": ["3"],
    "q-q-text": ["rien"],
    "c-q-text": ["3"],
}


def test_a_cohort_has_a_readable_unique_code_and_its_creator_trains_it(
    db: Session, cohort: Cohort, trainer: User
) -> None:
    assert len(cohort.join_code) == cohorts.CODE_LENGTH
    assert set(cohort.join_code) <= set(cohorts.CODE_ALPHABET)
    assert cohorts.trainer_ids(db, cohort.id) == {trainer.id}
    shown = cohorts.display_code(cohort.join_code)
    assert cohorts.find_by_code(db, f"  {shown.lower()} ") is cohort
    assert cohorts.find_by_code(db, "NOPE-NOPE") is None
    assert cohorts.find_by_code(db, "") is None


def test_joining_twice_keeps_one_membership(db: Session, cohort: Cohort, learner: User) -> None:
    assert cohorts.join(db, cohort, learner.id, now=now())
    assert not cohorts.join(db, cohort, learner.id, now=now())
    db.commit()
    assert [c.id for c in cohorts.memberships(db, learner.id)] == [cohort.id]


def test_trainers_see_their_cohorts_admins_all(db: Session, make_user, cohort: Cohort) -> None:  # type: ignore[no-untyped-def]
    other = make_user("autre@example.org", role="trainer")
    admin = make_user("admin@example.org", role="admin")
    assert cohorts.visible_cohort(db, other, cohort.id) is None
    assert cohorts.visible_cohort(db, admin, cohort.id) is cohort
    assert [c.cohort.id for c in cohorts.cohorts_for(db, admin)] == [cohort.id]
    assert cohorts.cohorts_for(db, other) == []
    cohorts.add_trainer(db, cohort, "AUTRE@example.org", now=now())
    db.commit()
    assert cohorts.visible_cohort(db, other, cohort.id) is cohort
    with pytest.raises(cohorts.NotATrainer):
        cohorts.add_trainer(db, cohort, "nobody@example.org", now=now())


def test_facts_give_each_learner_the_progress_the_rules_read(
    db: Session, course: Course, cohort: Cohort, crowd: list[int], learner: User
) -> None:
    cohorts.join(db, cohort, learner.id, now=now())
    complete_step(db, course, learner.id, course.modules[0], course.modules[0].steps[0], now=now())
    waivers.waive(db, learner.id, "m3", cohort.created_by or 0, now=now())
    db.commit()
    submit(db, course, learner.id, WRONG_SURE)
    found = load_facts(db, members(cohort.id), cohort_id=cohort.id)
    assert len(found) == 41
    for fact in found:
        assert fact.progress == load_progress(db, fact.user_id), fact.user_id
    mine = next(f for f in found if f.user_id == learner.id)
    assert mine.failures == {"m1-quiz": 1}
    assert mine.confident_wrong == {"m1-quiz": 4}
    assert {q for q, _ in mine.wrong["m1-quiz"]} >= {"q-single", "q-vf", "q-num", "q-text"}
    assert all(sure for q, sure in mine.wrong["m1-quiz"] if q != "q-multiple")
    assert mine.activity["m1"] == now()


def test_confident_errors_clear_when_a_new_attempt_corrects_them(
    db: Session, course: Course, cohort: Cohort, learner: User
) -> None:
    cohorts.join(db, cohort, learner.id, now=now())
    submit(db, course, learner.id, WRONG_SURE)

    def kinds() -> set[str]:
        (row,) = cohort_rows(db, course, cohort, now())
        return {s.kind for s in row.signals}

    assert kinds() == {"confident_wrong"}
    submit(db, course, learner.id, {"q-q-single": ["a"], "q-q-vf": ["false"], "c-q-vf": ["3"]})
    assert "confident_wrong" not in kinds()  # the latest attempt holds one confident error
    submit(db, course, learner.id, WRONG_SURE)
    assert kinds() == {"confident_wrong", "blocked"}  # three failures, no attempt left


def test_stored_standings_count_what_the_rows_count(
    db: Session, course: Course, cohort: Cohort, crowd: list[int]
) -> None:
    later = now() + timedelta(days=3)
    assert len(snapshots.refresh(db, course, TH, now=later)) >= 40
    db.commit()
    rows = metrics.learner_rows(
        course, load_facts(db, members(cohort.id), cohort_id=cohort.id), TH, later
    )
    expected = metrics.summarize(course, *metrics.tally(rows, TH, later))
    stored = metrics.summarize(course, *snapshots.tallies(db, cohort.id, TH, now=later))
    assert stored == expected
    assert stored.enrolled == 40


def test_refresh_follows_new_events_only(
    db: Session, course: Course, cohort: Cohort, crowd: list[int], learner: User
) -> None:
    later = now() + timedelta(hours=1)
    snapshots.refresh(db, course, TH, now=later)
    db.commit()
    assert len(snapshots.refresh(db, course, TH, now=later)) == 0  # nothing happened since
    cohorts.join(db, cohort, learner.id, now=now())
    submit(db, course, learner.id, WRONG_SURE)
    assert len(snapshots.refresh(db, course, TH, now=later)) == 1  # only the learner who acted
    db.commit()
    ids, _, _ = snapshots.roster(
        db, cohort.id, RosterQuery(needs_help=True), TH, now=later, size=100
    )
    assert learner.id in ids
    # Different thresholds: every standing is recomputed.
    assert len(snapshots.refresh(db, course, Thresholds(confident_wrong=9), now=later)) >= 41


def test_roster_filters_sorts_and_pages_like_the_rows(
    db: Session, course: Course, cohort: Cohort, crowd: list[int]
) -> None:
    later = now() + timedelta(days=2)
    snapshots.refresh(db, course, TH, now=later)
    db.commit()
    rows = metrics.learner_rows(
        course, load_facts(db, members(cohort.id), cohort_id=cohort.id), TH, later
    )

    def ids(query: RosterQuery, size: int = 100) -> list[int]:
        return snapshots.roster(db, cohort.id, query, TH, now=later, size=size)[0]

    assert set(ids(RosterQuery(needs_help=True))) == {r.user_id for r in rows if r.signals}
    for status in ("not_started", "in_progress", "completed"):
        assert set(ids(RosterQuery(status=status))) == {
            r.user_id for r in rows if r.status == status
        }
    assert set(ids(RosterQuery(idle_days=7))) == {r.user_id for r in rows if r.idle_days >= 7}
    by_progress = ids(RosterQuery(sort="progress", descending=True))
    percents = {r.user_id: r.percent for r in rows}
    assert [percents[i] for i in by_progress] == sorted(percents.values(), reverse=True)
    pages = [ids(RosterQuery(page=p), size=15) for p in (1, 2, 3)]
    assert [len(p) for p in pages] == [15, 15, 10]
    assert sorted(i for page in pages for i in page) == sorted(r.user_id for r in rows)
    name = rows[0].name.split()[0].lower()
    assert set(ids(RosterQuery(search=name))) == {r.user_id for r in rows if name in r.name.lower()}


@pytest.mark.parametrize("selection", list(Selection))
def test_item_sums_in_sql_equal_the_sums_of_the_answers(
    db: Session, course: Course, cohort: Cohort, crowd: list[int], selection: Selection
) -> None:
    quiz = course.quizzes["m1-quiz"]
    loaded = analytics.load_data(db, cohort.id, quiz, selection)
    loaded.data.holders = analytics.holders(db, cohort.id, quiz, selection, loaded)
    rows = db.execute(
        select(Attempt.user_id, Attempt.id, Attempt.number, Submission.score, AnswerRow)
        .join(Submission, Submission.attempt_id == Attempt.id)
        .join(AnswerRow, AnswerRow.attempt_id == Attempt.id)
        .where(Attempt.quiz_id == quiz.id)
    ).all()
    taken = {Taken(u, quiz.id, n, score) for u, _, n, score, _ in rows}
    kept = {(t.user_id, t.number) for t in select_attempts(taken, selection)}
    raw = [
        AnswerFact(u, a, r.question_id, r.points, r.fraction, r.response, r.confidence)
        for u, a, n, _, r in rows
        if (u, n) in kept
    ]
    assert raw, "the crowd answered the quiz"
    expected = gather(quiz, raw)
    got = loaded.data
    assert (got.learners, got.attempts) == (expected.learners, expected.attempts)
    for question_id, sums in expected.sums.items():
        assert got.sums[question_id].n == sums.n
        for name in ("sx", "sxx", "sr", "srr", "sxr"):
            assert getattr(got.sums[question_id], name) == pytest.approx(getattr(sums, name))
    assert sorted((t.question_id, t.key, t.count, t.confident) for t in got.responses) == sorted(
        (t.question_id, t.key, t.count, t.confident) for t in expected.responses
    )
    assert got.holders == expected.holders
    report = analyse(quiz, got, min_learners=1, weak_efficiency=15)
    reference = analyse(quiz, expected, min_learners=1, weak_efficiency=15)
    assert report.misconceptions == reference.misconceptions
    assert report.mean == pytest.approx(reference.mean)
    for mine, theirs in zip(report.questions, reference.questions, strict=True):
        assert mine.choices == theirs.choices
        for name in ("facility", "discrimination", "efficiency"):
            assert getattr(mine, name) == pytest.approx(getattr(theirs, name), abs=1e-9)


def test_a_waiver_records_who_and_when_and_opens_the_module(
    db: Session, course: Course, learner: User, trainer: User
) -> None:
    assert waivers.waive(db, learner.id, "m2", trainer.id, reason="Vu en séance", now=now())
    assert not waivers.waive(db, learner.id, "m2", trainer.id, now=now())
    db.commit()
    assert "m2" in load_progress(db, learner.id).waived
    assert waivers.waivers_of(db, learner.id) == {
        "m2": (trainer.display_name, now(), "Vu en séance")
    }
    event = db.scalar(select(Event).where(Event.verb == "waived"))
    assert event is not None
    assert (event.user_id, event.object_id, event.result) == (
        learner.id,
        "m2",
        {"extensions": {"waived_by": trainer.id, "reason": "Vu en séance"}},
    )
    assert db.scalar(select(func.count(Waiver.id))) == 1


def test_the_demo_makes_accounts_a_cohort_and_learners_once(db: Session, course: Course) -> None:
    first = demo.make_demo(db, course, learners=25, password="mot-de-passe-demo", now=now())
    db.commit()
    assert first.created == [demo.TRAINER, demo.LEARNER]
    assert (first.added, first.total) == (25, 25)
    assert len(snapshots.refresh(db, course, TH, now=now())) == 27  # 25, trainer, demo learner
    assert (
        len(snapshots.refresh(db, course, TH, now=now())) == 0
    )  # the demo's events settle at once
    again = demo.make_demo(db, course, learners=25, password="autre", now=now())
    db.commit()
    assert (again.created, again.added, again.cohort.id) == ([], 0, first.cohort.id)
    ids = list(db.scalars(members(first.cohort.id)))
    assert len(ids) == 26  # the synthetic learners and learner@demo.example
    for fact in load_facts(db, ids, cohort_id=first.cohort.id):
        assert fact.progress == load_progress(db, fact.user_id)
    synthetic = db.scalar(select(User).where(User.email == "demo-00001@demo.example"))
    assert synthetic is not None
    from course.services.accounts import authenticate

    assert authenticate(db, synthetic.email, "mot-de-passe-demo") is not None


@pytest.mark.parametrize("days", [0, 3, 8, 20, 60])
def test_the_needs_help_rule_agrees_in_python_and_in_sql(
    db: Session, course: Course, cohort: Cohort, crowd: list[int], days: int
) -> None:
    """metrics.is_inactive and is_flagged, read over row values and over stored columns."""
    later = now() + timedelta(days=days)
    snapshots.refresh(db, course, TH, now=later)
    rows = cohort_rows(db, course, cohort, later)
    flagged = {r.user_id for r in rows if r.needs_help}
    inactive = {r.user_id for r in rows if any(s.kind == "inactive" for s in r.signals)}
    sql_flagged = set(
        snapshots.roster(db, cohort.id, RosterQuery(needs_help=True), TH, now=later, size=999)[0]
    )
    assert sql_flagged == flagged
    by_help = snapshots.roster(db, cohort.id, RosterQuery(sort="help"), TH, now=later, size=999)
    urgency = {
        r.user_id: metrics.urgency(metrics.static_priority(r), r.user_id in inactive, False)
        for r in rows
    }
    assert [urgency[i] for i in by_help[0]] == sorted(urgency.values())
    assert 0 < len(flagged) < len(rows) or days == 0


def test_the_board_places_freshly_refreshed_rows_in_the_cohort(
    db: Session, course: Course, cohort: Cohort, crowd: list[int]
) -> None:
    later = now() + timedelta(days=9)
    fresh = dashboard.refresh_standings(db, course, TH, now=later)
    board = dashboard.cohort_board(
        db, course, cohort.id, RosterQuery(), TH, now=later, size=999, fresh=fresh
    )
    assert board.page.rows == sorted(
        cohort_rows(db, course, cohort, later), key=lambda r: (r.name.lower(), r.user_id)
    )
