"""A page that reads starts on a bare connection, and a request holds one at a time (issue 15).

The viewer's session and progress are read on a pooled connection without an ORM session (the
step page, served whole, needs nothing else); a reader session opened later in the request goes
on with that connection, and a writer closes it first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from course.services.models import User
from course.services.statement_log import recorded

STEP = "/modules/m1/steps/m1-intro"


@dataclass
class Checkouts:
    """The pool's checkouts while a test lasts, and the most held at once."""

    taken: int = 0
    held: int = 0
    most: int = 0

    def out(self, *_args: Any) -> None:
        self.taken += 1
        self.held += 1
        self.most = max(self.most, self.held)

    def back(self, *_args: Any) -> None:
        self.held -= 1

    def clear(self) -> None:
        self.taken = self.most = self.held = 0


@pytest.fixture
def checkouts(app: Flask) -> Iterator[Checkouts]:
    pool = app.extensions["database"].pooled.pool  # writers' engine shares it on PostgreSQL
    seen = Checkouts()
    event.listen(pool, "checkout", seen.out)
    event.listen(pool, "checkin", seen.back)
    yield seen
    event.remove(pool, "checkout", seen.out)
    event.remove(pool, "checkin", seen.back)


@pytest.fixture
def learner_in(login: Callable[[User], FlaskClient], learner: User) -> FlaskClient:
    return login(learner)


def test_a_page_that_reads_more_than_the_viewer_goes_on_with_the_same_connection(
    app: Flask, learner_in: FlaskClient, checkouts: Checkouts
) -> None:
    learner_in.get(STEP)  # the first visit records the opening
    checkouts.clear()
    with recorded(app.extensions["database"].pooled) as statements:
        assert learner_in.get("/progress").status_code == 200
    assert len(statements) > 1, "the page should read more than the viewer"
    assert (checkouts.taken, checkouts.held) == (1, 0)


def test_a_first_visit_that_records_closes_the_reading_connection_before_writing(
    learner_in: FlaskClient, checkouts: Checkouts
) -> None:
    checkouts.clear()
    assert learner_in.get(STEP).status_code == 200
    assert checkouts.most == 1, "a request held two connections at once"
    assert checkouts.held == 0
    checkouts.clear()
    learner_in.get(STEP)  # recorded: this visit only reads, on one connection
    assert (checkouts.taken, checkouts.held) == (1, 0)
