"""Public pages, health, security headers and error pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.conftest import make_app


def test_healthz_is_json_and_sets_no_cookie(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


def test_favicon_ico_leads_to_the_course_icon(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.location == "/static/favicon.svg"
    icon = client.get(response.location)
    assert (icon.status_code, icon.mimetype) == (200, "image/svg+xml")
    assert icon.data.startswith(b"<svg")
    icon.close()
    assert 'href="/static/favicon.svg"' in client.get("/about").text


@pytest.mark.parametrize("url", ["/about", "/pages/glossaire"])
def test_public_pages(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert "Cours d&#39;essai" in response.text


def test_security_headers(client: FlaskClient) -> None:
    headers = client.get("/about").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("method", "url", "code"),
    [
        ("get", "/pages/nope", 404),
        ("get", "/nulle-part", 404),
        ("post", "/healthz", 405),
        ("get", "/attempts/abc", 404),
    ],
)
def test_errors_render_a_page(client: FlaskClient, method: str, url: str, code: int) -> None:
    response = getattr(client, method)(url)
    assert response.status_code == code
    assert "Retour à mon parcours" in response.text


def test_readyz_answers_when_the_database_and_course_do(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready"}


def test_readyz_answers_503_without_a_database(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'missing' / 'nowhere.sqlite'}")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable"}
    assert app.test_client().get("/healthz").status_code == 200
