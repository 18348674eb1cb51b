"""Pages anyone may see: the course presentation, its pages (glossary, sources), health."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask.typing import ResponseReturnValue

from .access import visible
from .content import course

bp = Blueprint("pages", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Answer that the app is up, touching neither session nor database."""
    return jsonify(status="ok")


@bp.get("/about")
def about() -> ResponseReturnValue:
    """Present the course."""
    return render_template("pages/about.html", info=course().info)


@bp.get("/pages/<page_id>")
def page(page_id: str) -> ResponseReturnValue:
    """Show a course page such as the glossary or the sources."""
    return render_template("pages/page.html", page=visible(course().page(page_id)))
