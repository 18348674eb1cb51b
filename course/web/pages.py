"""Pages anyone may see: the course presentation, its pages (glossary, sources), its media
(images), health."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from .access import visible
from .content import course
from .database import db

bp = Blueprint("pages", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Answer that the app is up, touching neither session nor database."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """Answer 200 when the database answers and the course is loaded, 503 otherwise."""
    try:
        db().execute(text("SELECT 1"))
        loaded = bool(course().modules)
    except Exception:  # any failure means "not ready"; the reason goes to the log
        log.warning("not ready", exc_info=True)
        loaded = False
    return jsonify(status="ready" if loaded else "unavailable"), 200 if loaded else 503


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """Send browsers and crawlers that ask for /favicon.ico to the course's icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/about")
def about() -> ResponseReturnValue:
    """Present the course."""
    return render_template("pages/about.html", info=course().info)


@bp.get("/pages/<page_id>")
def page(page_id: str) -> ResponseReturnValue:
    """Show a course page such as the glossary or the sources."""
    return render_template("pages/page.html", page=visible(course().page(page_id)))


# A course's images live in its own folder (COURSE_DIR/media/), written `/media/<file>` in its
# Markdown, so a course kept outside this repository ships its images with it.
MEDIA_FOLDER = "media"


@bp.get(f"/{MEDIA_FOLDER}/<path:filename>")
def media(filename: str) -> ResponseReturnValue:
    """Send a file of the course's media folder (404 outside it or when missing)."""
    folder = Path(current_app.config["COURSE_DIR"]) / MEDIA_FOLDER
    return send_from_directory(folder, filename, max_age=3600)
