"""What a quiz submission asks of the database (issue 15): the statements the README counts.

A first submission reads the session with the learner's progress in one query and the attempt
with whether it was submitted in another, then writes each kind of row in one statement; a
repeat reads only the session and the attempt, and redirects to the stored result.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from course.services.models import User
from course.services.statement_log import recorded

from .test_journey import RIGHT, start_attempt

WRITES = [
    "INSERT INTO submissions",  # ON CONFLICT DO NOTHING: a concurrent repeat inserts nothing
    "INSERT INTO answers",
    "DELETE FROM attempt_drafts",
    "SELECT cohort_memberships",  # the cohorts whose sums it joins (none here)
    "INSERT INTO events",
]


def kinds(statements: list[str]) -> list[str]:
    """Each statement as its verb and the first name it reads or writes (BEGIN, COMMIT and
    ROLLBACK left out; PostgreSQL's events and their queue are one WITH statement)."""
    found = []
    for statement in statements:
        match = re.match(r"(?:WITH \w+ AS \()?(SELECT|INSERT INTO|DELETE FROM) (\w+)", statement)
        if match:
            found.append(" ".join(match.groups()))
    return found


def test_a_submission_and_its_repeat(
    app: Flask, client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    engine = app.extensions["database"].pooled
    with recorded(engine) as first:
        assert client.post(attempt, data=RIGHT).status_code == 302
    with recorded(engine) as repeat:
        assert client.post(attempt, data=RIGHT).status_code == 302
    postgresql = engine.dialect.name == "postgresql"
    held = ["SELECT users"] if postgresql else []  # the account's row locked first
    reads = [*held, "SELECT users", "SELECT attempts"]  # the session, then the attempt
    queue = [] if postgresql else ["INSERT INTO xapi_outbox"]  # in the events' WITH
    assert kinds(first) == [*reads, *WRITES, *queue]
    assert kinds(repeat) == reads  # the stored result is not loaded to be redirected to
    session_query = first[len(held)]
    assert "progress" in session_query  # read with the session, not in a query of its own
    assert "LEFT OUTER JOIN submissions" in first[len(held) + 1]
