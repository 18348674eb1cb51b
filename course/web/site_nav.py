"""The site's links in every page's header, rendered once per kind of viewer.

The links are the same for every visitor, every learner and every trainer but for the viewer's
name and the logout form's token: the kept rendering (fragments.py) holds markers where those
go, and each page puts in its viewer's, escaped (`fill`). A page kept whole (kept_pages.py)
holds the same markers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flask import Flask
from flask_login import current_user
from markupsafe import Markup, escape

from course.domain.permissions import can_train

from . import fragments
from .csrf_tokens import csrf_token

NAME = "\x00name\x00"  # no rendered template holds a NUL: a marker nothing else can match
TOKEN = "\x00token\x00"
_MARKERS = re.compile(f"({NAME}|{TOKEN})")


def init_app(app: Flask) -> None:
    """Offer `site_nav()` to templates."""
    app.add_template_global(site_nav)


def viewer_kind() -> str:
    """Tell which links the viewer sees: "visitor", "learner" or "trainer"."""
    if not current_user.is_authenticated:
        return "visitor"
    return "trainer" if can_train(current_user) else "learner"


def site_nav() -> Markup:
    """Return the header's links for this viewer."""
    return fill(marked_nav())


def marked_nav() -> Markup:
    """Return the header's links for this kind of viewer, with markers for name and token."""
    kind = viewer_kind()
    if kind == "visitor":
        return fragments.rendered("_site_nav.html", kind, signed_in=False)
    return fragments.rendered(
        "_site_nav.html", kind, signed_in=True, trainer=kind == "trainer", name=NAME, token=TOKEN
    )


def token_marker() -> str:
    """Stand for the viewer's form token in a kept rendering."""
    return TOKEN


def fill(marked: str) -> Markup:
    """Put this viewer's name (escaped) and form token where a kept rendering marks them."""
    # A rendering of the app's templates, which escape what they are given (autoescape), with
    # the name and token escaped: markup.
    return Markup(filled(*split(str(marked))).decode())  # nosec B704


def split(marked: str) -> tuple[tuple[bytes, ...], tuple[str, ...]]:
    """Cut a kept rendering at its markers: the parts between them, encoded, and the markers,
    for `filled` to join without searching the page or encoding it again."""
    pieces = _MARKERS.split(marked)
    return tuple(p.encode() for p in pieces[0::2]), tuple(pieces[1::2])


def filled(parts: Sequence[bytes], markers: Sequence[str]) -> bytes:
    """Join a kept rendering's parts (`split`) with this viewer's name and form token, escaped,
    where its markers were."""
    values = {marker: _value(marker).encode() for marker in set(markers)}
    joined = [parts[0]]
    for marker, part in zip(markers, parts[1:], strict=True):
        joined += (values[marker], part)
    return b"".join(joined)


def _value(marker: str) -> str:
    return escape(current_user.display_name if marker == NAME else csrf_token())
