"""One database session per request: readers for safe methods, writers for the rest.

No page renders inside a write transaction: when a page's template is about to render, the
request's writer ends its transaction (`Database.release`: committed when it wrote nothing,
else rolled back, as the request's end would) and the rest of the request only reads.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask, g, has_request_context, request
from flask.signals import before_render_template
from jinja2 import Template
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from course.database import database

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
View = TypeVar("View", bound=Callable[..., Any])


def init_app(app: Flask) -> None:
    """Close each request's session at teardown (what the view did not commit is rolled back);
    end its write transaction before a page renders."""
    app.teardown_appcontext(_close)
    before_render_template.connect(_before_page, app)


def writes(view: View) -> View:
    """Give a safe-method view a writer session: it stores derived data, then commits."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g.db_writer = True
        return view(*args, **kwargs)

    return cast(View, wrapper)


def db() -> Session:
    """Return this request's session (a writer unless the method is safe and the view reads).

    A reader goes on with the connection the request has read on (`read_connection`); a writer
    closes that one first, so a request holds one pooled connection at a time.
    """
    if "db_session" not in g:
        reads = has_request_context() and request.method in SAFE_METHODS
        writer = not (reads or g.get("db_rendering")) or g.get("db_writer", False)
        if writer:
            _end_reads()
        connection = g.get("db_reads")  # the session does not close it: the request's end does
        g.db_session = database().session(writer=writer, guarded=True, reads=connection)
    session = g.db_session
    assert isinstance(session, Session)
    return session


def read_connection() -> Connection:
    """Return a connection for a statement that only reads: the request's session's when it
    has one, else a pooled connection, which a reader session opened later shares.

    The step page, served whole, runs a single query (the viewer's session and progress):
    on a bare connection it costs about 6 % fewer instructions than through a session.
    """
    session = g.get("db_session")
    if session is not None:
        return session.connection()
    if "db_reads" not in g:
        g.db_reads = database().reads()
    connection = g.db_reads
    assert isinstance(connection, Connection)
    return connection


def writer_db() -> Session:
    """Return this request's session as a writer: a safe request that records something (a
    step's first visit) trades its reader for a writer, so SQLite never upgrades a read lock."""
    session = g.get("db_session")
    if session is None or not session.info.get("writer"):
        if session is not None:
            session.close()
        _end_reads()
        g.db_session = database().session(writer=True, guarded=True)
    return db()


def _end_reads() -> None:
    """Close the connection the request has read on, if any (its session, if any, is closed)."""
    connection = g.pop("db_reads", None)
    if connection is not None:
        connection.close()


def pause_writes() -> None:
    """End the request's write transaction (it wrote nothing) before slow work such as a
    password's hash; the next statement locks again, and a logged-in view then checks its
    account again (`auth.hold_account_again`)."""
    session = g.get("db_session")
    if session is not None:
        database().pause(session)


def only_reads() -> None:
    """Let the rest of this request read, holding no write lock (what it wrote and did not
    commit is rolled back, as the request's end would)."""
    g.db_rendering = True
    g.db_writer = False
    session = g.get("db_session")
    if session is not None and session.info.get("writer"):
        database().release(session)


def _before_page(_app: Flask, template: Template, **_context: Any) -> None:
    """Let a page render holding no write lock (a mail's text may be written mid-transaction)."""
    if has_request_context() and not (template.name or "").startswith("mail/"):
        only_reads()


def _close(_exc: BaseException | None) -> None:
    # Whatever was not committed by the view is rolled back here.
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
    _end_reads()
