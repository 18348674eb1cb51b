"""The site's links in every page's header, rendered once per kind of viewer.

The links are the same for every visitor, every learner and every trainer but for the viewer's
name and the logout form's token: the kept rendering (fragments.py) holds markers where those
go, and each page puts in its viewer's, escaped.
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


def site_nav() -> Markup:
    """Return the header's links for this viewer."""
    if not current_user.is_authenticated:
        return fragments.rendered("_site_nav.html", "visitor", signed_in=False)
    trainer = can_train(current_user)
    kept = fragments.rendered(
        "_site_nav.html",
        "trainer" if trainer else "learner",
        signed_in=True,
        trainer=trainer,
        name=NAME,
        token=TOKEN,
    )
    # Markup.replace escapes what it puts in: the name cannot add markup.
    return kept.replace(NAME, escape(current_user.display_name)).replace(TOKEN, csrf_token())
