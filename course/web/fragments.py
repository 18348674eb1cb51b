"""Parts of pages that depend only on the course, rendered once per process and kept.

A step's text, activities and links are the same for every learner and do not change while the
app runs (the course is loaded at start); rendering them on each visit cost about as much as
the rest of the page. A kept part is rendered outside any learner's context, so it cannot show
one learner's data to another: its template sees only what it is given and the app's globals.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from flask import current_app, request
from markupsafe import Markup


def rendered(template: str, key: Hashable, **context: Any) -> Markup:
    """Return `template` rendered with `context`, the first time for this key, then as kept."""
    kept: dict[Hashable, Markup] = current_app.extensions.setdefault("fragments", {})
    where = (template, request.script_root, key)  # links hold where the site is mounted
    found = kept.get(where)
    if found is None:
        # The app's templates escape what they are given (autoescape): their output is markup.
        page = current_app.jinja_env.get_template(template).render(**context)
        found = Markup(page)  # nosec B704
        kept[where] = found
    return found
