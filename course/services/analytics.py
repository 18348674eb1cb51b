"""Sum a cohort's answers to one quiz for item analysis, in SQL."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import String, case, cast, func, select, tuple_
from sqlalchemy.orm import Session

from course.content.model import Quiz
from course.domain.answer_text import response_key
from course.domain.distractors import TOP_CONFIDENCE, ResponseTally, tagged_responses
from course.domain.item_analysis import QuizAnalysis, QuizData, add_marks, analyse
from course.domain.selection import Selection

from . import first_sums
from .history import selected_attempts
from .models import AnswerRow, CohortMembership, Submission, User


def _selected(cohort_id: int, quiz_id: str, selection: Selection) -> Any:
    """Return the submitted attempts to analyse: each member's first, last or best, or all."""
    members = select(CohortMembership.user_id).where(CohortMembership.cohort_id == cohort_id)
    chosen = selected_attempts(members, selection, quiz_id)
    return (
        select(
            chosen.c.attempt_id,
            chosen.c.user_id,
            Submission.points.label("total"),
            Submission.score.label("score"),
        )
        .join(Submission, Submission.attempt_id == chosen.c.attempt_id)
        .subquery()
    )


@dataclass
class Loaded:
    """A quiz's summed answers, and the response key of each stored response text."""

    data: QuizData
    keys: dict[tuple[str, str | None], str] = field(default_factory=dict)


def load_data(db: Session, cohort_id: int, quiz: Quiz, selection: Selection) -> Loaded:
    """Sum a cohort's answers to a quiz in SQL: three queries whatever the cohort's size."""
    sel = _selected(cohort_id, quiz.id, selection)
    loaded = Loaded(QuizData())
    _count_attempts(db, sel, loaded.data)
    confident = func.sum(case((AnswerRow.confidence == TOP_CONFIDENCE, 1), else_=0))
    rows = db.execute(
        select(
            AnswerRow.question_id,
            AnswerRow.points,
            sel.c.total,
            _raw(),
            func.max(AnswerRow.fraction),
            confident,
            func.count(),
        )
        .join(sel, sel.c.attempt_id == AnswerRow.attempt_id)
        .group_by(AnswerRow.question_id, AnswerRow.points, sel.c.total, _raw())
    )
    tallies: dict[tuple[str, str], ResponseTally] = {}
    for question_id, x, total, raw, fraction, sure, count in rows:  # sure: at top confidence
        add_marks(loaded.data, question_id, x, total - x, count)
        _add_response(loaded, tallies, question_id, raw, fraction, sure or 0, count)
    loaded.data.responses = list(tallies.values())
    return loaded


def _count_attempts(db: Session, sel: Any, data: QuizData) -> None:
    data.learners, data.attempts = db.execute(
        select(func.count(sel.c.user_id.distinct()), func.count())
    ).one()
    for score, total, count in db.execute(
        select(sel.c.score, sel.c.total, func.count()).group_by(sel.c.score, sel.c.total)
    ):
        data.scores[score] += count
        data.totals[total] += count


def _add_response(
    loaded: Loaded,
    tallies: dict[tuple[str, str], ResponseTally],
    question_id: str,
    raw: str | None,
    fraction: float,
    sure: int,
    count: int,
) -> None:
    """Add stored responses to the tally of their normalised key (texts may differ in form)."""
    if (question_id, raw) not in loaded.keys:
        loaded.keys[(question_id, raw)] = response_key(_decode(raw))
    key = loaded.keys[(question_id, raw)]
    old = tallies.get((question_id, key)) or ResponseTally(
        question_id, key, _decode(raw), fraction, 0, 0
    )
    tallies[(question_id, key)] = replace(
        old,
        fraction=max(old.fraction, fraction),
        count=old.count + count,
        confident=old.confident + sure,
    )


def _decode(raw: str | None) -> Any:
    return json.loads(raw) if raw is not None else None


def holders(
    db: Session, cohort_id: int, quiz: Quiz, selection: Selection, loaded: Loaded
) -> set[tuple[int, str, str]]:
    """Return who gave each response that shows a misconception: (learner, question, key)."""
    tagged = tagged_responses(quiz, loaded.data.responses)
    keys = loaded.keys
    pairs = [pair for pair, key in keys.items() if (pair[0], key) in tagged]
    if not pairs:
        return set()
    sel = _selected(cohort_id, quiz.id, selection)
    rows = db.execute(
        select(sel.c.user_id, AnswerRow.question_id, _raw())
        .join(sel, sel.c.attempt_id == AnswerRow.attempt_id)
        .where(tuple_(AnswerRow.question_id, _raw()).in_(pairs))
        .distinct()
    )
    return {(user_id, q, keys[(q, raw)]) for user_id, q, raw in rows}


def _raw() -> Any:
    return cast(AnswerRow.response, String)


def names(db: Session, user_ids: Iterable[int]) -> dict[int, str]:
    """Return the display names of some users."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = db.execute(select(User.id, User.display_name).where(User.id.in_(ids))).tuples()
    return dict(rows.all())


@dataclass(frozen=True)
class QuizReport:
    """A quiz's item analysis for a cohort, with the names of who holds each misconception."""

    analysis: QuizAnalysis
    names: dict[int, str]


def quiz_report(
    db: Session,
    cohort_id: int,
    quiz: Quiz,
    selection: Selection,
    *,
    min_learners: int,
    weak_efficiency: float,
    max_names: int,
) -> QuizReport:
    """Analyse a cohort's answers to a quiz and name the first `max_names` holders of each idea.

    First attempts are read from their kept sums; the other selections are summed here."""
    if selection is Selection.FIRST:
        data = first_sums.load(db, cohort_id, quiz, names=max_names)
    else:
        loaded = load_data(db, cohort_id, quiz, selection)
        data = replace(loaded.data, holders=holders(db, cohort_id, quiz, selection, loaded))
    analysis = analyse(quiz, data, min_learners=min_learners, weak_efficiency=weak_efficiency)
    shown = {i for m in analysis.misconceptions for i in sorted(m.learners)[:max_names]}
    return QuizReport(analysis, names(db, shown))
