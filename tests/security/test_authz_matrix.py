"""Every route is either on the public list or needs a login; staff routes refuse learners.

New routes are covered automatically: a route missing from PUBLIC must send a stranger to the
login page, and a route under /trainer or /admin must refuse a learner.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from course.services.models import User

PUBLIC = {
    "static",
    "pages.healthz",
    "pages.about",
    "pages.page",
    "auth.login",
    "auth.register",
    "account.forgot",  # asking for a reset link needs no login
    "account.reset",  # the mailed link is the credential
    "groups.join_link",  # a stranger is sent to registration with the code filled in
    "certificates.verify",
    "certificates.credential",
    "certificates.issuer_profile",
    "certificates.public_key",
    "certificates.public_key_pem",
    "certificates.revocation_list",  # verifiers read it to learn of revocations
}
STAFF = re.compile(r"^(trainer|admin)\.|^certificates\.(admin_list|revoke)$")


def routes(app: Flask) -> list[tuple[str, str, str]]:
    """Return (endpoint, method, url) for every rule, parameters filled with plausible values."""
    found = []
    for rule in app.url_map.iter_rules():
        url = re.sub(r"<int:[a-z_]+>", "1", rule.rule)
        url = re.sub(r"<(?:path:)?[a-z_]+>", "m1", url)
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            found.append((rule.endpoint, method, url))
    return found


def test_the_public_list_names_real_endpoints(app: Flask) -> None:
    assert {endpoint for endpoint, _, _ in routes(app)} >= PUBLIC


def test_a_stranger_is_sent_to_login_everywhere_but_public_pages(
    app: Flask, client: FlaskClient
) -> None:
    wrong = []
    for endpoint, method, url in routes(app):
        if endpoint in PUBLIC:
            continue
        response = client.open(url, method=method)
        location = response.headers.get("Location", "")
        if response.status_code != 302 or not location.startswith("/login?next=%2F"):
            wrong.append(f"{method} {url} ({endpoint}) -> {response.status_code} {location}")
    assert wrong == []


@pytest.mark.parametrize("role", ["learner"])
def test_staff_routes_refuse_a_learner(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    login: Callable[..., FlaskClient],
    role: str,
) -> None:
    login(make_user(f"{role}@example.org", role=role))
    wrong = []
    for endpoint, method, url in routes(app):
        if STAFF.match(endpoint):
            status = client.open(url, method=method).status_code
            if status not in (403, 404):
                wrong.append(f"{method} {url} ({endpoint}) -> {status}")
    assert wrong == []
