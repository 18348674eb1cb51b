"""xAPI statements forwarded to a real LRS: Ralph (France Université Numérique's), which
validates every statement it receives. `make test` installs it in `.venv-ralph`.

A learner's journey goes to the LRS, then is read back from its `GET /xAPI/statements`: every
statement is there exactly once, including when the LRS was stopped midway and started again.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from course.content.glue import current_course
from course.domain.xapi import Site
from course.lrs import Lrs, forward_once
from course.services.models import Event, User, XapiOutbox
from tests.conftest import REPO_ROOT
from tests.web.test_journey import RIGHT, WRONG, start_attempt

RALPH_VENV = Path(os.environ.get("RALPH_VENV", REPO_ROOT / ".venv-ralph"))
RALPH = RALPH_VENV / "bin" / "ralph"
SERVE = Path(__file__).with_name("ralph_lrs.py")
USER, PASSWORD = "lrs-user", "lrs-secret-password"
SITE = Site("https://parcours.example")
AUTHORITY = "mailto:lrs@example.org"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RalphServer:
    """A Ralph LRS on a local port, storing statements in files under a temporary folder."""

    home: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "RALPH_APP_DIR": str(self.home / "app"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.home / "data"),
        }

    def set_up(self) -> None:
        for folder in ("app", "data"):
            (self.home / folder).mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(RALPH), "auth", "-u", USER, "-p", PASSWORD, "-s", "all", "-M", AUTHORITY, "-w"],
            env=self.environment(),
            cwd=self.home,
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(RALPH_VENV / "bin" / "python"), str(SERVE), str(self.port)],
            env=self.environment(),
            cwd=self.home,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.read_all()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("Ralph did not start within 60 s")

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
            self.process = None

    def read_all(self) -> list[dict]:
        """Read every stored statement, following the LRS's `more` links."""
        statements, path = [], "/xAPI/statements?limit=500"
        while path:
            request = urllib.request.Request(
                f"http://127.0.0.1:{self.port}{path}",
                headers={"X-Experience-API-Version": "1.0.3", "Authorization": basic_auth()},
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                page = json.load(response)
            statements += page["statements"]
            path = page.get("more") or ""
        return statements


def basic_auth() -> str:
    return "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


@pytest.fixture
def ralph(tmp_path: Path) -> Iterator[RalphServer]:
    assert RALPH.exists(), f"Ralph is missing at {RALPH}: `make test` installs it (.venv-ralph)"
    server = RalphServer(tmp_path / "ralph", free_port())
    server.set_up()
    server.start()
    yield server
    server.stop()


def forward(app: Flask, server: RalphServer, *, later: timedelta = timedelta()) -> tuple[int, int]:
    """Forward what is queued (as if `later` from now); return (sent, failed batches)."""
    with app.app_context():
        report = forward_once(
            app.extensions["database"],
            current_course(),
            SITE,
            Lrs(server.url, USER, PASSWORD),
            now=lambda: datetime.now(UTC) + later,
            batch=7,  # small batches, so that a journey takes several
        )
    assert "answered 4" not in report.last_error, report.last_error  # Ralph refused a statement
    return report.sent, report.failed_batches


def counts(app: Flask) -> tuple[int, int]:
    """Return (events, events still queued)."""
    with app.extensions["database"].session(writer=False) as session:
        events = session.scalar(select(func.count()).select_from(Event))
        queued = session.scalar(select(func.count()).select_from(XapiOutbox))
    return int(events or 0), int(queued or 0)


def journey_part_one(client: FlaskClient) -> None:
    assert client.post("/modules/m1/steps/m1-intro/complete").status_code == 302
    client.post(start_attempt(client, "m1-quiz"), data=WRONG)


def journey_part_two(client: FlaskClient) -> None:
    assert client.post("/modules/m1/steps/m1-pratique/complete").status_code == 302
    client.post(start_attempt(client, "m1-quiz"), data=RIGHT)


def test_a_journey_reaches_the_lrs_once_even_across_an_outage(
    app: Flask,
    client: FlaskClient,
    learner: User,
    login: Callable[..., FlaskClient],
    ralph: RalphServer,
) -> None:
    login(learner)
    journey_part_one(client)
    sent, failed = forward(app, ralph)
    assert failed == 0
    assert sent == counts(app)[0] > 7  # every event so far, in several batches
    ralph.stop()
    journey_part_two(client)
    events, queued = counts(app)
    assert forward(app, ralph) == (0, 1)  # the LRS is down: nothing lost, all kept queued
    assert counts(app) == (events, queued)
    ralph.start()
    # Once its back-off has passed (ten minutes at most), the refused batch goes with the rest.
    assert forward(app, ralph, later=timedelta(minutes=11)) == (queued, 0)
    assert forward(app, ralph) == (0, 0)
    assert counts(app) == (events, 0)

    stored = ralph.read_all()
    ids = [s["id"] for s in stored]
    assert len(ids) == len(set(ids)) == events  # every statement exactly once
    verbs = {s["verb"]["id"].rsplit("/", 1)[1] for s in stored}
    assert {"registered", "completed", "attempted", "answered", "failed", "passed"} <= verbs
    assert {s["actor"]["account"]["homePage"] for s in stored} == {SITE.base_url}
    assert "learner@example.org" not in json.dumps(stored)
    passed = next(s for s in stored if s["verb"]["id"].endswith("/passed"))
    assert passed["result"]["success"] is True
    assert passed["object"]["id"] == f"{SITE.base_url}/quizzes/m1-quiz"
    assert passed["context"]["contextActivities"]["parent"][0]["id"].endswith("/modules/m1")
