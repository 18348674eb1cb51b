"""The site's links in every page's header, rendered once per kind of viewer.

The links are the same for every visitor, every learner and every trainer but for the viewer's
name and the logout form's token: the kept rendering (fragments.py) holds markers where those
go, and each page puts in its viewer's, escaped (`fill`). A page kept whole (kept_pages.py)
holds the same markers.
"""

from __future__ import annotations

from flask import Flask
from flask_login import current_user
from markupsafe import Markup, escape

from course.domain.permissions import can_train

from . import fragments
from .csrf_tokens import csrf_token

NAME = "\x00name\x00"  # no rendered template holds a NUL: a marker nothing else can match
TOKEN = "\x00token\x00"


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
    # A rendering of the app's templates, which escape what they are given (autoescape).
    page = Markup(marked)  # nosec B704
    if NAME in page:
        # Markup.replace escapes what it puts in: the name cannot add markup.
        page = page.replace(NAME, escape(current_user.display_name))
    return page.replace(TOKEN, csrf_token()) if TOKEN in page else page
