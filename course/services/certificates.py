"""Certificates: issued once when the course is completed, verifiable by code, revocable."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from course.content.model import Course
from course.domain.credentials import CODE_ALPHABET, CODE_LENGTH, format_code, normalise_code
from course.domain.progression import Progress, course_completed

from . import events
from .models import Certificate, User
from .progress import load_progress

ISSUE_TRIES = 3


def new_code() -> str:
    """Draw a random verification code ("ABCD-EFGH-JKMN", 60 bits)."""
    return format_code("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))


def for_user(db: Session, user_id: int) -> Certificate | None:
    """Return the learner's certificate, if one was issued."""
    return db.scalar(select(Certificate).where(Certificate.user_id == user_id))


def by_code(db: Session, code: str) -> Certificate | None:
    """Return the certificate a code names; None for a code that is malformed or unknown."""
    canonical = normalise_code(code)
    if canonical is None:
        return None
    return db.scalar(select(Certificate).where(Certificate.code == canonical))


def all_certificates(db: Session) -> list[Certificate]:
    """Return every certificate, the latest first."""
    return list(db.scalars(select(Certificate).order_by(Certificate.issued_at.desc())))


def module_scores(course: Course, progress: Progress) -> list[dict[str, Any]]:
    """Return each module with the learner's best score on its quiz, in whole percent."""
    scores = []
    for module in course.modules:
        best = progress.record(module.quiz).best_score
        score = round(best * 100) if best is not None else None
        scores.append({"id": module.id, "title": module.title, "score": score})
    return scores


def issue_if_completed(
    db: Session, course: Course, user_id: int, *, now: datetime
) -> Certificate | None:
    """Issue the learner's certificate once the course is completed; return it (or None)."""
    existing = for_user(db, user_id)
    if existing is not None:
        return existing
    progress = load_progress(db, user_id)
    user = db.get(User, user_id)
    if user is None or not course_completed(course, progress):
        return None
    for _ in range(ISSUE_TRIES):
        certificate = Certificate(
            code=new_code(),
            user_id=user_id,
            learner_name=user.display_name,
            course_title=course.info.title,
            modules=module_scores(course, progress),
            issued_at=now,
        )
        try:
            with db.begin_nested():
                db.add(certificate)
        except IntegrityError:
            # Issued at the same moment by another request, or (rarely) a code already taken.
            if (existing := for_user(db, user_id)) is not None:
                return existing
            continue
        events.record(db, user_id, "completed", "course", "course", now=now)
        return certificate
    raise RuntimeError("could not draw a free certificate code")


def revoke(db: Session, certificate: Certificate, *, by: int, reason: str, now: datetime) -> bool:
    """Revoke a certificate (once); return False if it already was."""
    if certificate.revoked_at is not None:
        return False
    certificate.revoked_at = now
    certificate.revoked_by = by
    certificate.revocation_reason = reason.strip()[:200]
    db.flush()
    return True


def revocation_bits(db: Session) -> tuple[list[int], int]:
    """Return the status-list indices of revoked certificates, and the highest index in use."""
    revoked = list(db.scalars(select(Certificate.id).where(Certificate.revoked_at.is_not(None))))
    highest = db.scalar(select(func.max(Certificate.id))) or 0
    return revoked, highest
