"""Learners' work on practical tools: each save is a new version; earlier ones are kept."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import ToolEntry


class SaveConflict(Exception):
    """Another save of the same tool took this version number at the same moment."""


def latest(db: Session, user_id: int, tool_id: str) -> ToolEntry | None:
    """Return the learner's latest saved version of a tool, if any."""
    return db.scalar(
        select(ToolEntry)
        .where(ToolEntry.user_id == user_id, ToolEntry.tool_id == tool_id)
        .order_by(ToolEntry.version.desc())
        .limit(1)
    )


def version(db: Session, user_id: int, tool_id: str, number: int) -> ToolEntry | None:
    """Return one saved version of the learner's work on a tool."""
    return db.scalar(
        select(ToolEntry).where(
            ToolEntry.user_id == user_id, ToolEntry.tool_id == tool_id, ToolEntry.version == number
        )
    )


def history(db: Session, user_id: int, tool_id: str) -> list[tuple[int, datetime]]:
    """Return every saved version's number and date, newest first."""
    rows = db.execute(
        select(ToolEntry.version, ToolEntry.saved_at)
        .where(ToolEntry.user_id == user_id, ToolEntry.tool_id == tool_id)
        .order_by(ToolEntry.version.desc())
    )
    return [(number, saved_at) for number, saved_at in rows]


def save(
    db: Session, user_id: int, tool_id: str, answers: dict[str, Any], *, now: datetime
) -> ToolEntry:
    """Save the learner's work as a new version (unless nothing changed since the last)."""
    current = latest(db, user_id, tool_id)
    if current is not None and current.answers == answers:
        return current
    number = db.scalar(
        select(func.coalesce(func.max(ToolEntry.version), 0)).where(
            ToolEntry.user_id == user_id, ToolEntry.tool_id == tool_id
        )
    )
    entry = ToolEntry(
        user_id=user_id, tool_id=tool_id, version=(number or 0) + 1, answers=answers, saved_at=now
    )
    try:
        with db.begin_nested():
            db.add(entry)
    except IntegrityError:
        raise SaveConflict(tool_id) from None
    return entry


def entries_of(db: Session, user_id: int) -> dict[str, ToolEntry]:
    """Return the latest version of each tool the learner worked on."""
    rows = db.scalars(
        select(ToolEntry)
        .where(ToolEntry.user_id == user_id)
        .order_by(ToolEntry.tool_id, ToolEntry.version)
    )
    return {entry.tool_id: entry for entry in rows}
