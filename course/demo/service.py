"""Demo data: the demo accounts, a cohort and synthetic learners inserted in bulk."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from course.content.model import Course
from course.domain.metrics import Thresholds
from course.domain.scoring import is_right
from course.services import accounts, cohort_tallies, cohorts, first_sums, snapshots
from course.services.models import (
    AnswerRow,
    Attempt,
    CertaintyScore,
    Cohort,
    CohortMembership,
    Event,
    StepCompletion,
    Submission,
    User,
)

from . import replay
from .synthetic import PlannedLearner, item_parameters, learner_name, plan_learner
from .writers import Writer, analyze, bulk_load, writer

TRAINER = "trainer@demo.example"
LEARNER = "learner@demo.example"
COHORT = "Groupe de démonstration"
SYNTHETIC = "demo-{:05d}@demo.example"
CHUNK = 500
JOURNEYS = 2_500  # journeys drawn; more learners replay them (the rows they make, copied)
BULK_LOAD = 20_000  # from this many new learners, PostgreSQL builds indexes after the rows


@dataclass(frozen=True)
class DemoResult:
    created: list[str]  # demo accounts made by this run
    cohort: Cohort
    added: int  # synthetic learners added by this run
    total: int  # synthetic learners in the demo cohort now


def make_demo(
    db: Session,
    course: Course,
    *,
    learners: int,
    password: str,
    now: datetime,
    seed: int = 5,
    thresholds: Thresholds | None = None,
) -> DemoResult:
    """Create what is missing of the demo: accounts, cohort, up to `learners` synthetic ones.

    The first JOURNEYS learners are drawn and sent from here; any more replay them, copied by the
    database (replay.py), standings included (computed with `thresholds`, the defaults if None).
    """
    started = now
    # The demo's history ends a little before now, so the dashboard's event mark settles on it
    # at once (snapshots.SETTLE) even though bulk inserts give old events new ids.
    now -= timedelta(minutes=10)
    created = _accounts(db, password, now)
    trainer = db.scalar(select(User).where(User.email == TRAINER))
    assert trainer is not None
    cohort = _cohort(db, trainer.id, now)
    demo_learner = db.scalar(select(User.id).where(User.email == LEARNER))
    if demo_learner is not None:
        cohorts.join(db, cohort, demo_learner, now=now)
    existing = synthetic_count(db)
    password_hash = accounts.hash_password(password)
    journeys = _Journeys(course, seed, now)
    drawn = range(existing, max(existing, min(learners, JOURNEYS)))
    replayed = range(max(existing, JOURNEYS), learners)
    with bulk_load(db, learners - existing >= BULK_LOAD):
        for start in range(drawn.start, drawn.stop, CHUNK):
            plans = journeys.plans(start, min(drawn.stop, start + CHUNK))
            insert_learners(db, cohort, plans, password_hash, now)
        if replayed:
            standings = thresholds or Thresholds()
            names = journeys.names(replayed)
            last_event = _replay(db, course, cohort, names, password_hash, standings, started)
    if replayed:  # the copies came with their standings: count them, and skip their events
        cohort_tallies.rebuild(db, cohort.id)
        snapshots.pass_copied(db, last_event)
    if learners > existing and not replayed:  # the item analysis counts them when next shown
        first_sums.forget(db, cohort.id)
    return DemoResult(created, cohort, max(0, learners - existing), max(existing, learners))


def _replay(
    db: Session,
    course: Course,
    cohort: Cohort,
    names: dict[int, str],
    password_hash: str,
    thresholds: Thresholds,
    now: datetime,
) -> int:
    """Add learners replaying the drawn ones (learner i replays i modulo JOURNEYS): their accounts
    from here, the rest copied by the database. The sources' standings are stored first, so the
    copies get theirs; return the last event before the copies', for the mark to pass them."""
    analyze(db)  # the planner reads the drawn rows as they are
    snapshots.refresh(db, course, thresholds, now=now)
    last_event = db.scalar(select(func.max(Event.id))) or 0
    first = min(names)
    sources = _sources(db, {_source(index) for index in names})
    users = [
        {
            "email": SYNTHETIC.format(index + 1),
            "display_name": name,
            "password_hash": password_hash,
            "role": "learner",
            "created_at": sources[_source(index)][1] if _source(index) in sources else now,
        }
        for index, name in names.items()
    ]
    user_ids = writer(db).ids(User, users)
    replays = [
        replay.Replay(user_id, sources[_source(index)][0], index // JOURNEYS - first // JOURNEYS)
        for user_id, index in zip(user_ids, names, strict=True)
        if _source(index) in sources  # a source erased since leaves its replays an account alone
    ]
    weights = Counter(r.source_id for r in replays)
    for quiz in course.quizzes.values():  # each source counts for itself and its copies
        first_sums.rebuild(
            db, cohort.id, quiz, weights={user: 1 + n for user, n in weights.items()}
        )
    replay.replay(db, cohort.id, replays)
    return last_event


def _source(index: int) -> int:
    """Return the number of the drawn learner that learner number index + 1 replays."""
    return index % JOURNEYS + 1


def _sources(db: Session, numbers: set[int]) -> dict[int, tuple[int, datetime]]:
    """Return the id and creation time of the drawn learners by number (those that exist)."""
    emails = {SYNTHETIC.format(number): number for number in numbers}
    found: dict[int, tuple[int, datetime]] = {}
    names = sorted(emails)
    for start in range(0, len(names), CHUNK):
        query = select(User.email, User.id, User.created_at).where(
            User.email.in_(names[start : start + CHUNK])
        )
        for email, user_id, created_at in db.execute(query):
            found[emails[email]] = (user_id, created_at)
    return found


class _Journeys:
    """Draw learners' journeys, and the names of the learners who replay them."""

    def __init__(self, course: Course, seed: int, now: datetime) -> None:
        self.course, self.seed, self.now = course, seed, now
        self.params = item_parameters(course, random.Random(f"items-{seed}"))

    def plans(self, start: int, stop: int) -> list[PlannedLearner]:
        """Return the plans of learners start+1 to stop (a chunk, start a multiple of CHUNK)."""
        rng = random.Random(f"{self.seed}-{start}")
        return [
            plan_learner(self.course, self.params, rng, index + 1, self.now)
            for index in range(start, stop)
        ]

    def names(self, indexes: range) -> dict[int, str]:
        """Return the names of learners by index (learner index + 1), drawn chunk by chunk."""
        found: dict[int, str] = {}
        for start in range(indexes.start, indexes.stop, CHUNK):
            rng = random.Random(f"{self.seed}-names-{start}")
            for index in range(start, min(indexes.stop, start + CHUNK)):
                found[index] = learner_name(rng)
        return found


def synthetic_count(db: Session) -> int:
    """Return how many synthetic demo learners exist."""
    pattern = SYNTHETIC.replace("{:05d}", "%")
    return db.scalar(select(func.count(User.id)).where(User.email.like(pattern))) or 0


def _accounts(db: Session, password: str, now: datetime) -> list[str]:
    created = []
    people = ((TRAINER, "trainer", "Formatrice (démo)"), (LEARNER, "learner", "Apprenante (démo)"))
    for email, role, name in people:
        try:
            accounts.create_user(
                db,
                email=email,
                display_name=name,
                password=password,
                role=role,
                now=now,
            )
        except accounts.EmailTaken:
            continue
        created.append(email)
    return created


def _cohort(db: Session, trainer_id: int, now: datetime) -> Cohort:
    found = db.scalar(
        select(Cohort).where(Cohort.name == COHORT, Cohort.created_by == trainer_id).limit(1)
    )
    return found or cohorts.create_cohort(db, COHORT, trainer_id, now=now)


def insert_learners(
    db: Session, cohort: Cohort, plans: Sequence[PlannedLearner], password_hash: str, now: datetime
) -> None:
    """Insert planned learners and their whole history with a few bulk statements."""
    out = writer(db)
    user_ids = out.ids(User, [_user(p, password_hash) for p in plans])
    out.rows(
        CohortMembership,
        [
            {"cohort_id": cohort.id, "user_id": uid, "joined_at": p.joined_at}
            for uid, p in zip(user_ids, plans, strict=True)
        ],
    )
    steps = [
        {"user_id": uid, "module_id": m, "step_id": s, "completed_at": when}
        for uid, p in zip(user_ids, plans, strict=True)
        for m, s, when in p.steps
    ]
    out.rows(StepCompletion, steps)
    attempts = [(uid, a) for uid, p in zip(user_ids, plans, strict=True) for a in p.attempts]
    attempt_ids = out.ids(Attempt, [_attempt(uid, a) for uid, a in attempts])
    _insert_results(out, attempts, attempt_ids)
    out.rows(Event, list(_events(user_ids, plans, attempts)))
    db.flush()


def _user(plan: PlannedLearner, password_hash: str) -> dict[str, Any]:
    return {
        "email": SYNTHETIC.format(plan.index),
        "display_name": plan.name,
        "password_hash": password_hash,
        "role": "learner",
        "created_at": plan.joined_at,
    }


def _attempt(user_id: int, attempt: Any) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "quiz_id": attempt.quiz_id,
        "number": attempt.number,
        "content_hash": attempt.content_hash,
        "pass_mark": attempt.pass_mark,
        "question_ids": list(attempt.question_ids),
        "option_orders": attempt.option_orders,
        "started_at": attempt.started_at,
    }


def _insert_results(out: Writer, attempts: Sequence[tuple[int, Any]], ids: Sequence[int]) -> None:
    submitted = [(aid, a) for aid, (_, a) in zip(ids, attempts, strict=True) if a.submitted_at]
    out.rows(
        Submission,
        [
            {
                "attempt_id": aid,
                "score": a.score,
                "points": a.points,
                "max_points": a.max_points,
                "passed": a.passed,
                "submitted_at": a.submitted_at,
            }
            for aid, a in submitted
        ],
    )
    certain = [(aid, a.certainty_score) for aid, a in submitted if a.certainty_score is not None]
    out.rows(CertaintyScore, [{"attempt_id": aid, "score": score} for aid, score in certain])
    out.rows(
        AnswerRow,
        [
            {
                "attempt_id": aid,
                "question_id": answer.question_id,
                "response": answer.response,
                "fraction": answer.fraction,
                "points": answer.points,
                "confidence": answer.confidence,
            }
            for aid, a in submitted
            for answer in a.answers
        ],
    )


def _event(
    user_id: int, verb: str, kind: str, object_id: str, when: datetime, result: Any = None
) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "verb": verb,
        "object_type": kind,
        "object_id": object_id,
        "result": result,
        "timestamp": when,
    }


def _events(
    user_ids: Sequence[int],
    plans: Sequence[PlannedLearner],
    attempts: Sequence[tuple[int, Any]],
) -> Iterator[dict[str, Any]]:
    """Yield the learning events the real journey would have appended, xAPI-shaped."""
    for uid, plan in zip(user_ids, plans, strict=True):
        yield _event(uid, "registered", "course", "course", plan.joined_at)
        for _module, step, when in plan.steps:
            yield _event(uid, "completed", "step", step, when)
        for module, when in plan.completed_modules:
            yield _event(uid, "completed", "module", module, when)
    for uid, attempt in attempts:
        yield _event(uid, "attempted", "quiz", attempt.quiz_id, attempt.started_at)
        if attempt.submitted_at is None:
            continue
        for answer in attempt.answers:
            result = {
                "success": is_right(answer.fraction),
                "score": {"scaled": round(answer.fraction, 4)},
            }
            yield _event(
                uid,
                "answered",
                "question",
                f"{attempt.quiz_id}/{answer.question_id}",
                attempt.submitted_at,
                result,
            )
        score = {
            "scaled": round(attempt.score, 4),
            "raw": attempt.points,
            "max": attempt.max_points,
        }
        verb = "passed" if attempt.passed else "failed"
        result = {"success": attempt.passed, "score": score}
        yield _event(uid, verb, "quiz", attempt.quiz_id, attempt.submitted_at, result)
