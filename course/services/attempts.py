"""Quiz attempts: laid out by the server, submitted once, never rewritten."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from course.content.model import Course, Module, Quiz
from course.domain.answers import ParsedAnswers, answered_certainties
from course.domain.drawing import draw_layout
from course.domain.first_sums import Answered
from course.domain.progression import Progress, State, module_status, with_pass
from course.domain.scoring import Answer, QuestionResult, counted_score, passed, score_attempt
from course.domain.xapi import iso_duration

from . import certificates, drafts, events, first_sums
from .driver_inserts import DriverInsert
from .models import AnswerRow, Attempt, CertaintyScore, Submission, table
from .progress import load_progress

# On the driver's cursor (driver_inserts): a submission, unless its attempt has one, and
# one statement for every answer.
_INSERT_SUBMISSION = DriverInsert(
    table(Submission),
    [c.name for c in table(Submission).columns],
    returning="attempt_id",
    skip_conflicts=True,
)
_INSERT_ANSWERS = DriverInsert(
    table(AnswerRow), ("attempt_id", "question_id", "response", "fraction", "points", "confidence")
)


class AttemptConflict(Exception):
    """Another request took the same attempt number at the same moment."""


class NoAttemptsLeft(Exception):
    """The quiz's `max_attempts` are all used."""


def open_attempt(db: Session, user_id: int, quiz_id: str) -> Attempt | None:
    """Return the learner's unsubmitted attempt at a quiz, if any."""
    return db.scalar(
        select(Attempt)
        .outerjoin(Submission, Submission.attempt_id == Attempt.id)
        .where(Attempt.user_id == user_id, Attempt.quiz_id == quiz_id)
        .where(Submission.attempt_id.is_(None))
        .order_by(Attempt.number.desc())
    )


def start_attempt(
    db: Session, user_id: int, quiz: Quiz, *, rng: random.Random, now: datetime
) -> Attempt:
    """Create an attempt (or return the open one); raise NoAttemptsLeft past `max_attempts`.

    Numbers run 1, 2, 3... and are unique per learner and quiz, and no number above
    `max_attempts` is given: so even a count read before a concurrent insert cannot let a
    learner exceed the limit (the colliding number fails instead).
    """
    current = open_attempt(db, user_id, quiz.id)
    if current is not None:
        return current
    count = db.scalar(
        select(func.count(Attempt.id)).where(Attempt.user_id == user_id, Attempt.quiz_id == quiz.id)
    )
    number = (count or 0) + 1
    if quiz.max_attempts is not None and number > quiz.max_attempts:
        raise NoAttemptsLeft(quiz.id)
    layout = draw_layout(quiz, rng)
    attempt = Attempt(
        user_id=user_id,
        quiz_id=quiz.id,
        number=number,
        content_hash=quiz.content_hash,
        pass_mark=quiz.pass_mark,
        question_ids=list(layout.question_ids),
        option_orders=layout.option_orders,
        started_at=now,
    )
    try:
        with db.begin_nested():
            db.add(attempt)
    except IntegrityError:
        raise AttemptConflict(quiz.id) from None
    events.record(db, user_id, "attempted", "quiz", quiz.id, now=now)
    return attempt


# Built once (building a statement costs more than running it): the attempt, and whether it
# has a submission, in one query; the submission and its answers are loaded only if it has.
_OWN = (
    select(Attempt, Submission.attempt_id)
    .outerjoin(Submission, Submission.attempt_id == Attempt.id)
    .where(Attempt.id == bindparam("attempt_id"), Attempt.user_id == bindparam("user_id"))
)
_SUBMITTED = [selectinload(Submission.answers)]


@dataclass(frozen=True)
class Owned:
    """A learner's attempt, and whether it has been submitted (its submission not loaded)."""

    attempt: Attempt
    submitted: bool


def find_own(db: Session, user_id: int, attempt_id: int) -> Owned | None:
    """Return an attempt if it belongs to this learner (strangers' attempts are not found), and
    whether it has been submitted, in one query: what a submission needs to know. An attempt
    not submitted has its `submission` set to None; a submitted one's is left unloaded."""
    found = db.execute(_OWN, {"attempt_id": attempt_id, "user_id": user_id}).first()
    if found is None:
        return None
    attempt, submitted = found
    if submitted is None:
        set_committed_value(attempt, "submission", None)
    return Owned(attempt, submitted is not None)


def get_own(db: Session, user_id: int, attempt_id: int) -> Attempt | None:
    """Return an attempt if it belongs to this learner, with its submission and the
    submission's answers, if it has one (loaded then: the joined loading of a submission that
    is most often not there cost a tenth of a quiz submission, the loaders' set-up at each
    query)."""
    owned = find_own(db, user_id, attempt_id)
    if owned is None:
        return None
    if owned.submitted:
        submission = db.get(Submission, attempt_id, options=_SUBMITTED, populate_existing=True)
        set_committed_value(owned.attempt, "submission", submission)
    return owned.attempt


@dataclass(frozen=True)
class Outcome:
    submission: Submission
    first: bool  # False when this request repeated an earlier submission


def submit(
    db: Session,
    course: Course,
    attempt: Attempt,
    parsed: ParsedAnswers,
    *,
    now: datetime,
    learner: Progress | None = None,
) -> Outcome:
    """Score and store a submission once; a repeat, even concurrent, returns the first."""
    if attempt.submission is not None:
        return Outcome(attempt.submission, first=False)
    quiz = course.quizzes[attempt.quiz_id]
    module = course.module(quiz.module)
    if learner is None:  # the caller may pass the progress it already read for the lock check
        learner = load_progress(db, attempt.user_id)
    questions = [q for q in (quiz.question(i) for i in attempt.question_ids) if q is not None]
    result = score_attempt(questions, parsed.answers)
    certainties = answered_certainties(parsed)
    # For `scoring: cbm` quizzes the certainty-based score decides passing; `score` stays plain.
    counted = counted_score(quiz.scoring, result, certainties)
    submission = Submission(
        attempt_id=attempt.id,
        score=result.score,
        points=result.points,
        max_points=result.max_points,
        passed=passed(counted, attempt.pass_mark),
        submitted_at=now,
    )
    if not _insert_once(db, submission):
        return Outcome(_existing(db, attempt.id), first=False)
    if quiz.scoring == "cbm":
        db.execute(insert(table(CertaintyScore)), [{"attempt_id": attempt.id, "score": counted}])
    _add_answers(db, attempt, result.results, parsed.answers, certainties)
    drafts.discard(db, attempt.id)
    answered = [
        Answered(r.question_id, parsed.answers.get(r.question_id), r.fraction, r.points, c)
        for r in result.results
        for c in [certainties.get(r.question_id)]
    ]
    first_sums.record(db, quiz, attempt, submission, answered)
    _record_events(db, quiz, attempt, submission, result.results, now=now)
    if module is not None and quiz.kind == "quiz" and submission.passed:
        _record_completion(db, course, module, attempt, learner, counted, now=now)
    return Outcome(submission, first=True)


def _record_completion(
    db: Session,
    course: Course,
    module: Module,
    attempt: Attempt,
    before: Progress,
    score: float,
    *,
    now: datetime,
) -> None:
    """Record the module's completion if this pass completes it, and the course's certificate."""
    after = with_pass(before, attempt.quiz_id, score)
    was = module_status(course, module, before).state
    if was is not State.COMPLETED and module_status(course, module, after).state is State.COMPLETED:
        events.record(db, attempt.user_id, "completed", "module", module.id, now=now)
        certificates.issue_if_completed(db, course, attempt.user_id, now=now)


def _insert_once(db: Session, submission: Submission) -> bool:
    """Insert the submission unless the attempt has one; tell whether this one went in.

    One statement (INSERT ... ON CONFLICT DO NOTHING), where a savepoint around an ORM flush
    took three; the object stays out of the session, as nothing else writes it.
    """
    values = {c.name: getattr(submission, c.key) for c in table(Submission).columns}
    return bool(_INSERT_SUBMISSION.run(db, [values]))


def _existing(db: Session, attempt_id: int) -> Submission:
    db.expire_all()
    found = db.scalar(
        select(Submission)
        .where(Submission.attempt_id == attempt_id)
        .options(selectinload(Submission.answers))
    )
    assert found is not None, "a unique violation implies the row exists"
    return found


def _add_answers(
    db: Session,
    attempt: Attempt,
    results: tuple[QuestionResult, ...],
    answers: Mapping[str, Answer],
    confidence: Mapping[str, int],
) -> None:
    rows = [
        {
            "attempt_id": attempt.id,
            "question_id": r.question_id,
            "response": answers.get(r.question_id),
            "fraction": r.fraction,
            "points": r.points,
            "confidence": confidence.get(r.question_id),
        }
        for r in results
    ]
    _INSERT_ANSWERS.run(db, rows)


def _record_events(
    db: Session,
    quiz: Quiz,
    attempt: Attempt,
    submission: Submission,
    results: tuple[QuestionResult, ...],
    *,
    now: datetime,
) -> None:
    def event(verb: str, kind: str, object_id: str, result: dict[str, Any]) -> dict[str, Any]:
        return {
            "user_id": attempt.user_id,
            "verb": verb,
            "object_type": kind,
            "object_id": object_id,
            "result": result,
            "timestamp": now,
        }

    rows = [
        event(
            "answered",
            "question",
            f"{quiz.id}/{r.question_id}",
            {"success": r.correct, "score": {"scaled": round(r.fraction, 4)}},
        )
        for r in results
    ]
    score = {
        "scaled": round(submission.score, 4),
        "raw": submission.points,
        "max": submission.max_points,
    }
    verb = "passed" if submission.passed else "failed"
    result = {
        "success": submission.passed,
        "completion": True,
        "score": score,
        "duration": iso_duration(now - attempt.started_at),
    }
    rows.append(event(verb, "quiz", quiz.id, result))
    events.record_many(db, rows)
