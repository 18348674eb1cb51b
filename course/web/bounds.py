"""Bounded forms: each POST route takes at most the fields its form can have (413 beyond).

Checked before anything else of the request (the account's lock, the database), so a forged
form of thousands of fields costs its parsing and nothing more. MAX_FORM_PARTS caps every route.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, render_template, request
from flask.typing import ResponseReturnValue

from course.domain import form_bounds, numbers

from .content import course
from .database import only_reads

# The routes whose forms grow with the course (others take SMALL_FORM fields).
LIMITS: dict[str, Callable[..., int]] = {
    "tools.save": lambda tool_id: (
        form_bounds.tool_fields(course().tools[tool_id]) if tool_id in course().tools else 0
    ),
    "quiz.submit": lambda attempt_id: form_bounds.attempt_fields(course()),
    "quiz.save_draft": lambda attempt_id: form_bounds.attempt_fields(course()),
    "warmup.check": lambda module_id: form_bounds.warmup_fields(course()),
    "trainer.send_reminders": lambda cohort_id: int(current_app.config["MAX_FORM_PARTS"]),
}


def init_app(app: Flask) -> None:
    """Check every form's size first (install before the login and the account's lock)."""
    app.before_request(_bounded_form)


def form_limit(endpoint: str | None, view_args: dict[str, object] | None) -> int:
    """Return the most fields this route's form may send (MAX_FORM_PARTS at most)."""
    cap = int(current_app.config.get("MAX_FORM_PARTS") or 1000)
    limit = LIMITS.get(endpoint or "")
    return min(cap, limit(**(view_args or {})) if limit else form_bounds.SMALL_FORM)


def _bounded_form() -> ResponseReturnValue | None:
    """Refuse (413) a form with more fields than its route takes; urlencoded or multipart."""
    if request.method != "POST" or request.mimetype not in _FORMS:
        return None
    sent = sum(1 for _ in request.form.items(multi=True)) + len(request.files)
    limit = form_limit(request.endpoint, request.view_args)
    if sent <= limit:
        return None
    only_reads()  # the page below loads its viewer: no write lock for that
    message = (
        f"Ce formulaire a envoyé {numbers.decimal(sent)} champs ; il en compte au plus "
        f"{numbers.decimal(limit)}. Rechargez la page et réessayez."
    )
    return render_template("errors/error.html", code=413, message=message), 413


_FORMS = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
