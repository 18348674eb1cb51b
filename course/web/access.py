"""The two enforcers: `visible` answers 404, `require` answers 403 (with the rule's reason).

The rule, decided once: an object the viewer may not know exists (an unknown id, someone else's
attempt, record, certificate or data, a cohort they do not train, a learner outside it) is
hidden, 404, exactly like an id that does not exist. A page or an action the viewer may know
about but that their role or a lock refuses (the trainer workspace for a learner, the admin
pages for anyone but an admin, a locked module or tool, no attempts left) is refused, 403.
Visibility is checked first, so a refusal never tells about an object one may not see.
"""

from __future__ import annotations

from typing import Literal, NoReturn, TypeVar, overload

from flask import abort
from werkzeug.exceptions import Forbidden

from course.domain.progression import Denial

T = TypeVar("T")


class Refused(Forbidden):
    """A 403 that carries the rule's reason (if any), for the error page."""

    def __init__(self, denial: Denial | None = None) -> None:
        super().__init__()
        self.denial = denial


def visible(value: T | None, allowed: bool = True) -> T:
    """Return the value if it exists and the viewer may know it does; answer 404 otherwise."""
    if value is None or not allowed:
        abort(404)
    return value


@overload
def require(allowed: Literal[False], because: Denial | None = None) -> NoReturn: ...


@overload
def require(allowed: bool, because: Denial | None = None) -> None: ...


def require(allowed: bool, because: Denial | None = None) -> None:
    """Answer 403 unless a permission predicate or a lock rule allowed the request."""
    if not allowed:
        raise Refused(because)
