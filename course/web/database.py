"""One database session per request: readers for safe methods, writers for the rest."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask, g, has_request_context, request
from sqlalchemy.orm import Session

from course.database import database

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
View = TypeVar("View", bound=Callable[..., Any])


def init_app(app: Flask) -> None:
    """Close each request's session at teardown (what the view did not commit is rolled back)."""
    app.teardown_appcontext(_close)


def writes(view: View) -> View:
    """Give a safe-method view a writer session: it stores derived data, then commits."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g.db_writer = True
        return view(*args, **kwargs)

    return cast(View, wrapper)


def db() -> Session:
    """Return this request's session (a writer unless the method is safe and the view reads)."""
    if "db_session" not in g:
        safe = has_request_context() and request.method in SAFE_METHODS
        g.db_session = database().session(writer=not safe or g.get("db_writer", False))
    session = g.db_session
    assert isinstance(session, Session)
    return session


def writer_db() -> Session:
    """Return this request's session as a writer: a safe request that records something (a
    step's first visit) trades its reader for a writer, so SQLite never upgrades a read lock."""
    session = g.get("db_session")
    if session is None or not session.info.get("writer"):
        if session is not None:
            session.close()
        g.db_session = database().session(writer=True)
    return db()


def _close(_exc: BaseException | None) -> None:
    # Whatever was not committed by the view is rolled back here.
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
