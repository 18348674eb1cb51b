"""Every route, with odd values, as a stranger and as a learner: never a 500."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from course.services.models import User

# Out-of-range ids: above PostgreSQL's int4, above SQLite's int64, above Python's str->int limit.
HUGE = ["2147483648", "9223372036854775808", "9" * 5000]
ODD_VALUES = ["m1", "1", "999999", "nope", "..%2F..%2Fetc", "%00", "x" * 300, "-1", *HUGE]
QUERY = "?version={0}&page={0}&idle={0}&sort={0}&order={0}&status={0}&q={0}&attempts={0}"


# Crawled last: they end the crawler's own session, and what follows would be a stranger's.
ENDING = {"auth.logout", "account.end_one_session", "account.end_other_sessions"}


def urls(app: Flask) -> list[tuple[str, str]]:
    """Return (method, url) for every rule, each parameter filled with every odd value."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for value in ODD_VALUES:
            path = re.sub(r"<(?:[a-z]+:)?[a-z_]+>", value, rule.rule)
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                found.add((rule.endpoint in ENDING, method, path))
    return [(method, path) for _, method, path in sorted(found)]


def crawl(client: FlaskClient, app: Flask) -> list[str]:
    failures = []
    for method, url in urls(app):
        queries = ["", QUERY.format(HUGE[0]), QUERY.format(HUGE[2])] if method == "GET" else [""]
        for target in (url + query for query in queries):
            response = client.open(target, method=method, data={"x": "=1", "q-q-single": "zz"})
            if response.status_code >= 500:
                failures.append(f"{method} {target[:80]} -> {response.status_code}")
    return failures


def test_no_route_answers_500_to_a_stranger(app: Flask, client: FlaskClient) -> None:
    assert len(urls(app)) > 100
    assert crawl(client, app) == []


def test_no_route_answers_500_to_a_learner(
    app: Flask, client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    assert crawl(client, app) == []


def test_no_route_answers_500_to_a_trainer(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    login: Callable[..., FlaskClient],
) -> None:
    login(make_user("trainer@example.org", role="trainer"))
    client.post("/trainer/cohorts", data={"name": "Groupe"})
    assert crawl(client, app) == []


def test_no_route_answers_500_to_an_admin(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    login: Callable[..., FlaskClient],
) -> None:
    login(make_user("admin@example.org", role="admin"))
    assert crawl(client, app) == []
