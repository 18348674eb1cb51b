"""A learner's own data: exported as JSON, or the account erased (its history kept anonymous).

Erasing keeps the `users` row, emptied of everything personal (email, name, password), so
that attempts, answers, step completions, cohort memberships and learning events keep their
foreign key and still count, anonymously, in cohort statistics. The certificate (it bears the
learner's name), the work saved in practical tools (free text about the learner's own projects),
the drafts of open attempts (typed answers, never scored) and the login sessions (which end
with them) are deleted. `erased_accounts` records when it
happened.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from course.content.model import Course
from course.domain.xapi import Activities, Site

from . import login_sessions, throttle, xapi
from .models import (
    Attempt,
    AttemptDraft,
    CertaintyScore,
    Certificate,
    ErasedAccount,
    Event,
    LoginSession,
    PasswordReset,
    StepCompletion,
    StepOpening,
    Submission,
    ToolEntry,
    User,
    Waiver,
)

ERASED_NAME = "Compte effacé"
ERASED_DOMAIN = "compte-efface.invalid"  # .invalid never resolves (RFC 2606)
ERASED_HASH = "!erased"  # not a "method$salt$hash": check_password_hash refuses every password


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def export_learner(
    db: Session, course: Course, user_id: int, *, base_url: str, now: datetime
) -> dict[str, Any]:
    """Return everything stored about the learner, as JSON-ready data."""
    user = db.get(User, user_id)
    if user is None:
        raise LookupError(user_id)
    return {
        "exported_at": now.isoformat(),
        "account": {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role,
            "created_at": _when(user.created_at),
        },
        "login_sessions": _login_sessions(db, user_id),
        "step_completions": _steps(db, user_id),
        "step_openings": [
            {"module_id": o.module_id, "step_id": o.step_id, "opened_at": _when(o.opened_at)}
            for o in db.scalars(
                select(StepOpening)
                .where(StepOpening.user_id == user_id)
                .order_by(StepOpening.opened_at)
            )
        ],
        "attempts": _attempts(db, user_id),
        "waivers": [
            {"module_id": w.module_id, "created_at": _when(w.created_at)}
            for w in db.scalars(select(Waiver).where(Waiver.user_id == user_id))
        ],
        "tool_entries": _tools(db, user_id),
        "certificate": _certificate(db, user_id),
        "events": xapi.statements(
            db,
            Activities(Site(base_url), course),
            list(db.scalars(select(Event).where(Event.user_id == user_id).order_by(Event.id))),
        ),
    }


def _login_sessions(db: Session, user_id: int) -> list[dict[str, Any]]:
    rows = db.scalars(
        select(LoginSession).where(LoginSession.user_id == user_id).order_by(LoginSession.id)
    )
    return [
        {
            "browser": r.browser,
            "remember": r.remember,
            "created_at": _when(r.created_at),
            "last_seen_at": _when(r.last_seen_at),
            "expires_at": _when(r.expires_at),
        }
        for r in rows
    ]


def _steps(db: Session, user_id: int) -> list[dict[str, Any]]:
    rows = db.scalars(
        select(StepCompletion)
        .where(StepCompletion.user_id == user_id)
        .order_by(StepCompletion.completed_at)
    )
    return [
        {"module_id": r.module_id, "step_id": r.step_id, "completed_at": _when(r.completed_at)}
        for r in rows
    ]


def _tools(db: Session, user_id: int) -> list[dict[str, Any]]:
    rows = db.scalars(
        select(ToolEntry)
        .where(ToolEntry.user_id == user_id)
        .order_by(ToolEntry.tool_id, ToolEntry.version)
    )
    return [
        {
            "tool_id": t.tool_id,
            "version": t.version,
            "saved_at": _when(t.saved_at),
            "answers": t.answers,
        }
        for t in rows
    ]


def _attempts(db: Session, user_id: int) -> list[dict[str, Any]]:
    attempts = db.scalars(
        select(Attempt)
        .where(Attempt.user_id == user_id)
        .options(selectinload(Attempt.submission).selectinload(Submission.answers))
        .order_by(Attempt.started_at, Attempt.id)
    ).all()
    rows = db.execute(
        select(CertaintyScore.attempt_id, CertaintyScore.score).where(
            CertaintyScore.attempt_id.in_([a.id for a in attempts])
        )
    )
    cbm: dict[int, float] = dict(rows.tuples().all())
    drafts = {
        d.attempt_id: {
            "answers": d.answers,
            "confidence": d.confidence,
            "saved_at": _when(d.saved_at),
        }
        for d in db.scalars(
            select(AttemptDraft).where(AttemptDraft.attempt_id.in_([a.id for a in attempts]))
        )
    }
    return [_attempt(a, cbm.get(a.id), drafts.get(a.id)) for a in attempts]


def _attempt(attempt: Attempt, cbm: float | None, draft: dict[str, Any] | None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "quiz_id": attempt.quiz_id,
        "number": attempt.number,
        "started_at": _when(attempt.started_at),
        "pass_mark": attempt.pass_mark,
        "question_ids": attempt.question_ids,
        "draft": draft,
        "submission": None,
    }
    submission = attempt.submission
    if submission is not None:
        found["submission"] = {
            "submitted_at": _when(submission.submitted_at),
            "score": submission.score,
            "certainty_score": cbm,
            "points": submission.points,
            "max_points": submission.max_points,
            "passed": submission.passed,
            "answers": [
                {
                    "question_id": a.question_id,
                    "response": a.response,
                    "fraction": a.fraction,
                    "points": a.points,
                    "confidence": a.confidence,
                }
                for a in submission.answers
            ],
        }
    return found


def _certificate(db: Session, user_id: int) -> dict[str, Any] | None:
    certificate = db.scalar(select(Certificate).where(Certificate.user_id == user_id))
    if certificate is None:
        return None
    return {
        "code": certificate.code,
        "learner_name": certificate.learner_name,
        "course_title": certificate.course_title,
        "modules": certificate.modules,
        "issued_at": _when(certificate.issued_at),
        "revoked_at": _when(certificate.revoked_at),
    }


def erase_learner(db: Session, user_id: int, *, now: datetime) -> None:
    """Empty the account of personal data; delete certificate, tool work, drafts; keep attempts."""
    user = db.get(User, user_id)
    if user is None:
        raise LookupError(user_id)
    throttle.clear(db, user.email)  # failed logins name the email and the addresses used
    user.email = f"efface-{user.id}-{secrets.token_hex(8)}@{ERASED_DOMAIN}"
    user.display_name = ERASED_NAME
    user.password_hash = ERASED_HASH  # of no method: no password matches it, nothing to hash
    db.execute(delete(Certificate).where(Certificate.user_id == user_id))
    db.execute(delete(ToolEntry).where(ToolEntry.user_id == user_id))
    own_attempts = select(Attempt.id).where(Attempt.user_id == user_id)
    db.execute(delete(AttemptDraft).where(AttemptDraft.attempt_id.in_(own_attempts)))
    db.execute(delete(PasswordReset).where(PasswordReset.user_id == user_id))
    login_sessions.end_all(db, user_id)
    db.add(ErasedAccount(user_id=user_id, erased_at=now))
    db.flush()
