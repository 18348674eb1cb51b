"""The session cookie's serializer is made once per set of keys, and still signs and checks."""

from __future__ import annotations

from flask import Flask


def test_one_serializer_serves_every_request_until_the_keys_change(app: Flask) -> None:
    sessions = app.session_interface
    first = sessions.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert sessions.get_signing_serializer(app) is first  # type: ignore[attr-defined]
    signed = first.dumps({"n": 1})
    app.config["SECRET_KEY_FALLBACKS"] = [app.secret_key]
    app.secret_key = "another-secret-key-" + "y" * 32
    renewed = sessions.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert renewed is not first
    assert renewed.loads(signed) == {"n": 1}  # the old key still reads, as a fallback
    assert renewed.dumps({"n": 1}) != signed
