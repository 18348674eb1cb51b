"""Flask's signed-cookie sessions, with the signing serializer made once per key, not per request.

Flask builds a new serializer to open each request's session and another to save it; the keys
(SECRET_KEY and SECRET_KEY_FALLBACKS) do not change while the app runs, and a serializer holds
nothing of a request, so one per set of keys serves them all.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class KeptSerializerSessions(SecureCookieSessionInterface):
    """Signed-cookie sessions whose serializer is kept for the app's current keys."""

    def __init__(self) -> None:
        self._kept: tuple[tuple[object, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if self._kept is None or self._kept[0] != keys:
            self._kept = (keys, super().get_signing_serializer(app))
        return self._kept[1]


def init_app(app: Flask) -> None:
    """Serve the app's sessions with a kept serializer."""
    app.session_interface = KeptSerializerSessions()
