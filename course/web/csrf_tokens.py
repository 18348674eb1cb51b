"""The CSRF token a page shows: signed once per session and process, not on every page.

Flask-WTF signs the session's secret token with a timestamp each time a page asks for it
(JSON, zlib, base64 and two HMACs: a tenth of a step page). With WTF_CSRF_TIME_LIMIT unset, a
token signed earlier stays valid for as long as its session, so this process keeps the signed
form of each session's token it has signed (by secret key and token) and shows it again.
"""

from __future__ import annotations

from flask import Flask, current_app, session
from flask_wtf.csrf import generate_csrf

KEPT = 10_000  # sessions whose signed token a worker keeps (about 1 MB); then it starts over
_signed: dict[tuple[str, str], str] = {}


def init_app(app: Flask) -> None:
    """Give templates this `csrf_token` (after CSRFProtect, whose own it replaces: CSRFProtect
    offers its own through a context processor too, which this one's, run after, overrides)."""
    app.add_template_global(csrf_token)
    app.context_processor(lambda: {"csrf_token": csrf_token})


def csrf_token() -> str:
    """Return this session's signed CSRF token, signing it the first time only (every time
    if tokens expire: WTF_CSRF_TIME_LIMIT)."""
    if current_app.config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return str(generate_csrf())
    raw = session.get("csrf_token")
    key = (str(current_app.secret_key), raw) if isinstance(raw, str) else None
    if key is not None and key in _signed:
        return _signed[key]
    token = str(generate_csrf())
    if len(_signed) >= KEPT:
        _signed.clear()
    _signed[(str(current_app.secret_key), session["csrf_token"])] = token
    return token
