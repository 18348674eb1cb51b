"""Flask's signed-cookie sessions, with the signing serializer made once per key set and each
cookie's signature checked once per process, not at every request.

Flask builds a new serializer to open each request's session and another to save it; the keys
(SECRET_KEY and SECRET_KEY_FALLBACKS) do not change while the app runs, and a serializer holds
nothing of a request, so one per set of keys serves them all.

A browser sends the same session cookie with every request until the cookie changes, and
checking its signature and decoding it took a tenth of a step page's time. So each process
keeps what the cookies it last checked hold (`KEPT_COOKIES` of them, the least recently used
dropped): the same cookie, byte for byte, under the same keys, holds the same session. What is
checked again at each request is the cookie's age, as Flask does, against the app's
permanent_session_lifetime. Each request gets its own copy of the session, which it may change.
"""

from __future__ import annotations

import copy
import functools
import time
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

KEPT_COOKIES = 1024  # about 1 KB each, per process


class KeptSerializerSessions(SecureCookieSessionInterface):
    """Signed-cookie sessions whose serializer is kept for the app's current keys, and whose
    cookies are checked once each."""

    def __init__(self) -> None:
        self._kept: tuple[tuple[object, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if self._kept is None or self._kept[0] != keys:
            self._kept = (keys, super().get_signing_serializer(app))
        return self._kept[1]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        try:
            data, signed_at = _opened(serializer, cookie)
        except BadSignature:
            return self.session_class()
        age = int(time.time()) - signed_at  # whole seconds, as itsdangerous counts them
        if not 0 <= age <= int(app.permanent_session_lifetime.total_seconds()):
            return self.session_class()  # expired, or from the future: as Flask would say
        return self.session_class(_own_values(data))


_UNCHANGING = (str, int, float, bool, type(None))


def _own_values(data: dict[str, Any]) -> dict[str, Any]:
    """Return what a request's session may start from without changing the kept one. The
    session copies the dict it is given; values that change in place (a list of flashed
    messages) are copied too, deeply; most sessions hold only strings and numbers."""
    if all(type(value) in _UNCHANGING for value in data.values()):
        return data
    return copy.deepcopy(data)


@functools.lru_cache(maxsize=KEPT_COOKIES)
def _opened(serializer: URLSafeTimedSerializer, cookie: str) -> tuple[dict[str, Any], int]:
    """Return what a cookie holds and when it was signed, in whole seconds (BadSignature, not
    kept, if forged).

    Kept by serializer: under other keys, a cookie is checked again."""
    data, signed_at = serializer.loads(cookie, return_timestamp=True)
    return data, int(signed_at.timestamp())


def init_app(app: Flask) -> None:
    """Serve the app's sessions with a kept serializer and kept cookies."""
    app.session_interface = KeptSerializerSessions()
