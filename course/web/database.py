"""One database session per request: readers for safe methods, writers for the rest."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.orm import Session

from course.services.db import Database

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask) -> None:
    """Create the app's database and close each request's session at teardown."""
    app.extensions["database"] = Database(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close)


def database() -> Database:
    """Return the running app's database."""
    found = current_app.extensions["database"]
    assert isinstance(found, Database)
    return found


def db() -> Session:
    """Return this request's session (a writer unless the method is safe)."""
    if "db_session" not in g:
        writer = not has_request_context() or request.method not in SAFE_METHODS
        g.db_session = database().session(writer=writer)
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
