"""Bounded forms: each POST route takes at most the fields its form can have (413 beyond),
and no form or query holds a NUL character (400).

Checked before anything else of the request (the account's lock, the database), so a forged
form of thousands of fields costs its parsing and nothing more. MAX_FORM_PARTS caps every route.
The limits are counted once, when the app starts: the course does not change while it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, render_template, request
from flask.typing import ResponseReturnValue

from course.content.model import Course
from course.domain import form_bounds, numbers

from .database import only_reads


@dataclass(frozen=True)
class Limits:
    """The most fields each form of the course can send, counted once from the course."""

    attempt: int
    warmup: int
    tools: dict[str, int]

    @classmethod
    def of(cls, course: Course) -> Limits:
        return cls(
            attempt=form_bounds.attempt_fields(course),
            warmup=form_bounds.warmup_fields(course),
            tools={tool_id: form_bounds.tool_fields(t) for tool_id, t in course.tools.items()},
        )


# The routes whose forms grow with the course (others take SMALL_FORM fields).
LIMITS: dict[str, Callable[..., int]] = {
    "tools.save": lambda limits, tool_id: limits.tools.get(tool_id, 0),
    "quiz.submit": lambda limits, attempt_id: limits.attempt,
    "quiz.save_draft": lambda limits, attempt_id: limits.attempt,
    "warmup.check": lambda limits, module_id: limits.warmup,
    "trainer.send_reminders": lambda limits, cohort_id: int(current_app.config["MAX_FORM_PARTS"]),
}


def init_app(app: Flask) -> None:
    """Count the course's form sizes, then check every form's size first (install before the
    login and the account's lock)."""
    app.extensions["form_limits"] = Limits.of(app.extensions["course"])
    app.before_request(_bounded_form)
    app.before_request(_no_nul)


def form_limit(endpoint: str | None, view_args: dict[str, object] | None) -> int:
    """Return the most fields this route's form may send (MAX_FORM_PARTS at most)."""
    cap = int(current_app.config.get("MAX_FORM_PARTS") or 1000)
    limit = LIMITS.get(endpoint or "")
    if limit is None:
        return min(cap, form_bounds.SMALL_FORM)
    return min(cap, limit(current_app.extensions["form_limits"], **(view_args or {})))


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
NUL_MESSAGE = (
    "Ce que vous avez envoyé contient un caractère invisible (NUL) qui ne peut pas être "
    "enregistré ; il vient souvent d'un copier-coller. Retirez-le et réessayez."
)


def _no_nul() -> ResponseReturnValue | None:
    """Refuse (400) a form or a query holding a NUL character, before any query: no one types
    one, and PostgreSQL's text cannot hold it (SQLite would keep it and show it later)."""
    sent = request.form if request.method == "POST" and request.mimetype in _FORMS else None
    texts = [*request.args.items(multi=True)] if request.query_string else []
    if sent is not None:
        texts += sent.items(multi=True)
    if not any("\0" in key or "\0" in value for key, value in texts):
        return None
    only_reads()
    return render_template("errors/error.html", code=400, message=NUL_MESSAGE), 400
