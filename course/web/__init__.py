"""The web layer: the only one that sees requests. `init_app` wires its parts."""

from __future__ import annotations

from flask import Flask
from flask_wtf import CSRFProtect

from . import (
    account,
    admin,
    auth,
    bounds,
    certificates,
    converters,
    cookie_sessions,
    csrf_tokens,
    database,
    groups,
    learn,
    mail,
    myprogress,
    pages,
    quiz,
    security,
    site_nav,
    templating,
    tools,
    trainer,
    urls,
    warmup,
)

csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    """Install requests' database sessions, forms, mail, login, routes and error pages."""
    converters.init_app(app)
    cookie_sessions.init_app(app)
    database.init_app(app)
    bounds.init_app(app)  # before CSRF, login and the account's lock: nothing is read first
    csrf.init_app(app)
    csrf_tokens.init_app(app)
    mail.init_app(app)
    auth.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    site_nav.init_app(app)
    urls.init_app(app)
    for blueprint in (
        learn.bp,
        account.bp,
        quiz.bp,
        pages.bp,
        tools.bp,
        myprogress.bp,
        warmup.bp,
        certificates.bp,
        trainer.bp,
        groups.bp,
        admin.bp,
    ):
        app.register_blueprint(blueprint)
