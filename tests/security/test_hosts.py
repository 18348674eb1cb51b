"""A request's Host never reaches an absolute URL, and a foreign host gets a 400 page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from course.services.models import User
from tests.conftest import PASSWORD, make_app
from tests.web.test_certificates import certificate_code, complete_course

PUBLIC = "https://cours.example.org"


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app as configured in production: PUBLIC_URL and TRUSTED_HOSTS set."""
    application = make_app(
        database_url,
        PRODUCTION=True,
        PUBLIC_URL=PUBLIC,
        TRUSTED_HOSTS=["cours.example.org", "localhost"],
        SIGNING_KEY_PATH=str(tmp_path / "signing_key.pem"),
    )
    yield application
    application.extensions["database"].dispose()


def urls_in(value: object) -> list[str]:
    """Return every string in a JSON value that looks like an absolute URL."""
    if isinstance(value, dict):
        return [u for v in value.values() for u in urls_in(v)]
    if isinstance(value, list):
        return [u for v in value for u in urls_in(v)]
    return [value] if isinstance(value, str) and "://" in value else []


def test_a_poisoned_host_never_reaches_a_credential_or_the_printed_link(
    app: Flask, learner: User
) -> None:
    # Without TRUSTED_HOSTS (or behind a proxy that passes any Host on), the holder chooses Host.
    app.config["TRUSTED_HOSTS"] = None
    client = app.test_client()
    client.environ_base["HTTP_HOST"] = "evil.example"
    client.post("/login", data={"email": learner.email, "password": PASSWORD})
    complete_course(client)
    code = certificate_code(client)
    poisoned = client.get(f"/certificates/{code}/credential.json")
    assert poisoned.status_code == 200
    found = urls_in(json.loads(poisoned.text))
    own = [u for u in found if "example.org" in u or "evil" in u]
    assert own, found
    assert all(u.startswith(PUBLIC + "/") for u in own), own
    printed = client.get(f"/certificates/{code}/print")
    assert f"{PUBLIC}/certificates/{code}" in printed.text
    assert "evil.example" not in printed.text


def test_another_host_gets_the_400_page_not_a_500(app: Flask) -> None:
    response = app.test_client().get("/about", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "pas pu être traitée" in response.text
