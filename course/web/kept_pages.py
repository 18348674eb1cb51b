"""Whole pages that depend only on the course and on what the view says (its key), rendered
once per process for each kind of viewer and kept; each visit puts in the viewer's own.

A step's page is the same for every learner who has (or has not) done it, but for the name in
the header and the form token: kept with markers where those go (site_nav.py), it costs each
visit a join of its parts, kept encoded and cut at the markers, instead of a rendering (a sixth
of the request), and no search of the page nor encoding of it. A message flashed to the viewer
(after marking the previous step done) is theirs alone: that page is rendered for them, as any
other.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

from flask import current_app, render_template, request, session
from markupsafe import Markup

from . import site_nav

Parts = tuple[tuple[bytes, ...], tuple[str, ...]]  # site_nav.split's


def page(template: str, key: Hashable, context: Callable[[], Mapping[str, Any]]) -> bytes | Markup:
    """Return `template` rendered with what `context()` returns, which must depend only on the
    course and `key`: kept the first time for this key and kind of viewer, then filled in
    (UTF-8). `context` is called only when the page is rendered."""
    if "_flashes" in session:
        # The app's templates escape what they are given (autoescape): their output is markup.
        return Markup(render_template(template, **context()))  # nosec B704
    kept: dict[Hashable, Parts] = current_app.extensions.setdefault("kept_pages", {})
    where = (template, request.script_root, site_nav.viewer_kind(), key)
    found = kept.get(where)
    if found is None:
        # The context's own values override the app's globals: the page holds the markers.
        rendered = render_template(
            template, site_nav=site_nav.marked_nav, csrf_token=site_nav.token_marker, **context()
        )
        found = site_nav.split(rendered)
        kept[where] = found
    return site_nav.filled(*found)
