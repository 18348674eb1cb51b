"""Drafts: the answers of an open attempt, kept without submitting or scoring them."""

from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import Executable, bindparam, delete
from sqlalchemy.orm import Session

from course.domain.answer_text import is_blank
from course.domain.answers import ParsedAnswers

from .db import dialect_insert, prepared
from .models import AttemptDraft, table

KEPT = ("answers", "confidence", "saved_at")
_DISCARD = delete(table(AttemptDraft)).where(
    table(AttemptDraft).c.attempt_id == bindparam("attempt_id")
)


def save(db: Session, attempt_id: int, parsed: ParsedAnswers, *, now: datetime) -> None:
    """Keep these answers as the attempt's draft, replacing the one before (one statement)."""
    answers = {qid: answer for qid, answer in parsed.answers.items() if not is_blank(answer)}
    values = {
        "attempt_id": attempt_id,
        "answers": answers,
        "confidence": parsed.confidence,
        "saved_at": now,
    }
    db.execute(_saving(db.get_bind().dialect.name), values)


@functools.cache
def _saving(dialect_name: str) -> Executable:
    """Return the upsert of a draft (compiled once per dialect: see `prepared`)."""
    statement = dialect_insert(dialect_name, table(AttemptDraft))
    upsert = statement.on_conflict_do_update(
        index_elements=["attempt_id"], set_={c: statement.excluded[c] for c in KEPT}
    )
    return prepared(upsert, dialect_name, ["attempt_id", *KEPT])


def load(db: Session, attempt_id: int) -> AttemptDraft | None:
    """Return the attempt's draft, if one was saved."""
    return db.get(AttemptDraft, attempt_id)


def discard(db: Session, attempt_id: int) -> None:
    """Delete the attempt's draft (its submission now holds the answers)."""
    db.execute(_DISCARD, {"attempt_id": attempt_id})
