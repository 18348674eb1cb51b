"""Login sessions: one row per signed-in browser, found by the id and secret its cookie names.

The cookie value is `<user id>:<session id>:<secret>`; the row keeps the secret's SHA-256 only.
Deleting the row ends the session, wherever the cookie was copied.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, delete, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from course.domain.integers import MAX_ID, bounded_int
from course.domain.login_sessions import Lifetimes, describe_browser, may_be_active
from course.domain.progression import Progress

from . import progress
from .db import check_at_write_lock
from .driver_queries import DriverQuery
from .models import LoginSession, User


class SignedIn(NamedTuple):
    """What each request needs of the logged-in person and their session, read in one query."""

    id: int
    email: str
    display_name: str
    role: str
    session_id: int
    remember: bool
    last_seen_at: datetime
    expires_at: datetime
    progress: Progress  # the learner's, read in the same query (empty for a trainer)


class Started(NamedTuple):
    """A new session: its row's id and the value its cookie carries."""

    id: int
    cookie: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start(
    db: Session,
    user_id: int,
    *,
    remember: bool,
    user_agent: str,
    now: datetime,
    lifetimes: Lifetimes,
) -> Started:
    """Open a session for the account (clearing its expired ones); return its cookie's value."""
    db.execute(
        delete(LoginSession).where(LoginSession.user_id == user_id, LoginSession.expires_at <= now)
    )
    secret = secrets.token_urlsafe(32)
    row = LoginSession(
        user_id=user_id,
        secret_hash=_digest(secret),
        remember=remember,
        browser=describe_browser(user_agent),
        created_at=now,
        last_seen_at=now,
        expires_at=lifetimes.expiry(now, remember=remember),
    )
    db.add(row)
    db.flush()
    return Started(row.id, f"{user_id}:{row.id}:{secret}")


def _parse(value: str) -> tuple[int, int, str] | None:
    """Split a cookie value; None for anything else (such as a cookie from before sessions)."""
    parts = value.split(":")
    if len(parts) != 3 or not parts[2]:
        return None
    user_id, session_id = (bounded_int(p, MAX_ID) for p in parts[:2])
    if user_id is None or session_id is None:
        return None
    return user_id, session_id, parts[2]


# Built once: each request reads its session with it, and building a statement costs more than
# running it.
_SIGNED_IN = (
    select(
        User.id,
        User.email,
        User.display_name,
        User.role,
        LoginSession.id.label("session_id"),
        LoginSession.remember,
        LoginSession.last_seen_at,
        LoginSession.expires_at,
        LoginSession.user_id.label("owner"),
        LoginSession.secret_hash,
    )
    .join(User, User.id == LoginSession.user_id)
    .where(LoginSession.id == bindparam("session_id"))
)


@functools.cache
def _signed_in_with_progress(dialect_name: str) -> DriverQuery:
    """Return the session's query with the learner's progress as one more column (built once
    per dialect: its JSON functions are the dialect's)."""
    return DriverQuery(_SIGNED_IN.add_columns(progress.as_json(dialect_name).label("progress")))


def signed_in(connection: Connection, value: str) -> SignedIn | None:
    """Return the account and session a cookie names, if the session exists, with the learner's
    progress (one query: every page a learner reads shows it, and a write checks its locks with
    it).

    Whether it is still within its lifetimes is the caller's to judge (`is_over`). The progress
    is read for the account the cookie names and kept only once the session is found to be its.
    """
    parsed = _parse(value)
    if parsed is None:
        return None
    user_id, session_id, secret = parsed
    query = _signed_in_with_progress(connection.dialect.name)
    row = query.first(connection, {"session_id": session_id, "user_id": user_id})
    if row is None or row[8] != user_id:  # the session's owner
        return None
    if not secrets.compare_digest(row[9], _digest(secret)):
        return None
    learner = progress.progress_of(row[10] or ())
    user, email, name, role, session, remember, seen, expires = row[:8]
    return SignedIn(user, email, name, role, session, remember, seen, expires, learner)


class SessionEnded(Exception):
    """The session ended (or its account was erased) before the request could write."""


def hold(db: Session, value: str) -> SignedIn | None:
    """Hold the account until the transaction ends, and read the session (and progress) afresh.

    Every write made on a learner's behalf holds the account first, so writes, erasure and
    ending sessions happen one after the other, and a write after them is refused. On
    PostgreSQL the account's row is locked, then the session read, so that it sees what the
    lock's previous holder committed. On SQLite one lock holds every account and a writer
    takes it at its first write: the session is read now, and read again once the lock is
    taken, before anything is written (SessionEnded if it ended meanwhile).
    """
    parsed = _parse(value)
    if parsed is None:
        return None
    if db.get_bind().dialect.name != "sqlite":
        db.execute(_LOCK_ACCOUNT, {"user_id": parsed[0]})
        return signed_in(db.connection(), value)
    found = signed_in(db.connection(), value)
    if found is not None:
        check_at_write_lock(db, functools.partial(_still_signed_in, parsed[0], parsed[1]))
    return found


# SQLite's driver directly, under the lock just taken: the row is there while the session lasts
# (an erased account's rows go with it, ON DELETE CASCADE).
_STILL_THERE = "SELECT 1 FROM login_sessions WHERE id = ? AND user_id = ?"


def _still_signed_in(user_id: int, session_id: int, connection: Connection) -> None:
    driver = connection.connection.driver_connection
    assert driver is not None
    if driver.execute(_STILL_THERE, (session_id, user_id)).fetchone() is None:
        raise SessionEnded(session_id)


_LOCK_ACCOUNT = select(User.id).where(User.id == bindparam("user_id")).with_for_update()


def touch(db: Session, session_id: int, *, now: datetime) -> None:
    """Write down the session's last request."""
    db.execute(update(LoginSession).where(LoginSession.id == session_id).values(last_seen_at=now))


def end(db: Session, user_id: int, session_id: int) -> bool:
    """End one of the account's sessions; tell whether it had such a session."""
    result = db.execute(
        delete(LoginSession).where(LoginSession.id == session_id, LoginSession.user_id == user_id)
    )
    return isinstance(result, CursorResult) and result.rowcount > 0


def end_all(db: Session, user_id: int, *, keep: int | None = None) -> None:
    """End every session of the account, but `keep` (this browser's) when given."""
    statement = delete(LoginSession).where(LoginSession.user_id == user_id)
    if keep is not None:
        statement = statement.where(LoginSession.id != keep)
    db.execute(statement)


def active(db: Session, user_id: int, *, now: datetime, lifetimes: Lifetimes) -> list[LoginSession]:
    """Return the account's sessions that may still be open, the latest used first."""
    rows = db.scalars(
        select(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.expires_at > now)
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())
    )
    return [
        row
        for row in rows
        if may_be_active(
            now,
            persisted=row.last_seen_at,
            expires_at=row.expires_at,
            remember=row.remember,
            lifetimes=lifetimes,
        )
    ]
