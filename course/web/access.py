"""One enforcer: turn a rule's refusal into the right HTTP answer, with its reason."""

from __future__ import annotations

from typing import NoReturn, TypeVar

from flask import abort, render_template
from werkzeug.exceptions import Forbidden

from course.domain.progression import Denial

T = TypeVar("T")


class Refused(Forbidden):
    """A 403 that carries the rule's reason, for the error page."""

    def __init__(self, denial: Denial) -> None:
        super().__init__()
        self.denial = denial


def found(value: T | None) -> T:
    """Return the value, or answer 404 (unknown ids and other learners' objects alike)."""
    if value is None:
        abort(404)
    return value


def refuse(denial: Denial) -> NoReturn:
    """Answer 403 with the reason the rule gave."""
    raise Refused(denial)


def render_refusal(error: Refused) -> tuple[str, int]:
    """Render a 403 page that explains what is needed."""
    return render_template("errors/locked.html", denial=error.denial), 403


def permit(allowed: bool) -> None:
    """Answer 403 unless a permission predicate allowed the request (roles: trainer, admin)."""
    if not allowed:
        abort(403)
