"""The app's database: made once at start from DATABASE_URL, for requests and commands alike."""

from __future__ import annotations

from flask import Flask, current_app

from course.services.db import Database


def init_app(app: Flask) -> None:
    """Create the app's database (its engine and session factories); under test, slow work in
    a request's write transaction raises instead of being logged. SQLite's log is checkpointed
    by a thread every SQLITE_CHECKPOINT_SECONDS (0: by the commits, as SQLite does)."""
    app.extensions["database"] = Database(
        app.config["DATABASE_URL"],
        strict=app.testing,
        checkpoint_seconds=float(app.config["SQLITE_CHECKPOINT_SECONDS"] or 0),
    )


def database() -> Database:
    """Return the running app's database."""
    found = current_app.extensions["database"]
    assert isinstance(found, Database)
    return found
