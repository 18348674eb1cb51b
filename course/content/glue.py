"""The content package's only Flask glue: load the course once, at start, and share it."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from .loader import load_course_or_raise
from .model import Course


def init_app(app: Flask) -> None:
    """Load and check the course; an error stops the app from starting (ContentError)."""
    cache = app.config.get("CONTENT_CACHE")
    app.extensions["course"] = load_course_or_raise(
        Path(app.config["COURSE_DIR"]), Path(cache) if cache else None
    )


def current_course() -> Course:
    """Return the course the running app loaded."""
    course = current_app.extensions["course"]
    assert isinstance(course, Course)
    return course
