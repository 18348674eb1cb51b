"""How long each POST route holds SQLite's write lock (issue 13, finding 4), in-process.

Every write lock (from a writer's first write, which takes it with BEGIN IMMEDIATE, to COMMIT
or ROLLBACK) is timed with SQLAlchemy's engine events and charged to the endpoint of the request
that ran it. One learner goes through the fixture course (log-in, registration, steps, quiz,
tool, account, reset, erasure), each route REPEAT times, plus a forged tool form of 90,000
unknown fields (issue 13's attack). Informative (no budget): run it before and after a change
and compare; the numbers are each route's median hold, with its slowest and the total held
over its requests.

    .venv/bin/python -m bench bench_write_locks
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import event

from bench.measure import Measure
from course import create_app
from tests.factories import FIXTURE_COURSE, RIGHT_M1

REPEAT = 5
PASSWORD = "trois-pommes-vertes-au-jardin"
TOOL = {"f-nom": "Coteaux", "r-acteurs-0-nom": "Mairie", "r-acteurs-0-profil": "collectivite"}
FLOOD = "&".join(f"x{n}=y" for n in range(90_000))  # 90,000 unknown fields, ~720 KB


class Holds:
    """Every write lock held, by endpoint: how long (seconds)."""

    def __init__(self) -> None:
        self.by_route: dict[str, list[float]] = defaultdict(list)

    def listen(self, app: Flask) -> None:
        engine = app.extensions["database"].engine
        event.listen(engine, "after_cursor_execute", self._began)  # the first write's lock
        event.listen(engine, "commit", self._ended)
        event.listen(engine, "rollback", self._ended)
        event.listen(engine.pool, "checkin", self._returned)  # closed without an end: rolled back

    def _began(self, connection: Any, cursor: Any, *_args: Any) -> None:
        if "lock_taken" in connection.info or not cursor.connection.in_transaction:
            return
        if connection.get_execution_options().get("writer") and has_request_context():
            route = f"{request.method} {request.url_rule.rule if request.url_rule else '?'}"
            connection.info["lock_taken"] = (route, time.perf_counter())

    def _ended(self, connection: Any) -> None:
        self._count(connection.info)

    def _returned(self, _dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            self._count(record.info)

    def _count(self, info: dict[str, Any]) -> None:
        taken = info.pop("lock_taken", None)
        if taken is not None:
            route, since = taken
            self.by_route[route].append(time.perf_counter() - since)


def run() -> list[Measure]:
    """Walk the journey on a fresh SQLite database and report each route's write-lock holds."""
    with _app() as app:
        holds = Holds()
        holds.listen(app)
        _journey(app)
    measures = []
    for route, held in sorted(holds.by_route.items()):
        note = f"{len(held)} holds, slowest {max(held) * 1000:.1f} ms, total {sum(held) * 1000:.1f}"
        value = statistics.median(held) * 1000
        measures.append(Measure(f"write lock {route}", value, "ms", note=note))
    return measures


@contextmanager
def _app() -> Iterator[Flask]:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{Path(folder) / 'locks.sqlite'}",
                "COURSE_DIR": str(FIXTURE_COURSE),
                "SECRET_KEY": "bench-secret-" + "k" * 40,
                "WTF_CSRF_ENABLED": False,
                "MAIL_BACKEND": "locmem",
            }
        )
        app.extensions["database"].create_all()
        yield app
        app.extensions["database"].dispose()


def _journey(app: Flask) -> None:
    for n in range(REPEAT):
        client = app.test_client()
        email = f"banc{n}@example.org"
        _ok(client.post("/register", data=_registration(email)))
        _ok(client.post("/logout"))
        _ok(client.post("/login", data={"email": email, "password": PASSWORD}))
        _ok(client.post("/modules/m1/steps/m1-intro/complete"))
        attempt = _ok(client.post("/quizzes/m1-quiz/attempts")).location
        _ok(client.post(attempt, data={"q-q-num": ["pas un nombre"]}), accept=(400,))
        _ok(client.post(attempt, data=RIGHT_M1))
        _ok(client.post("/tools/outil-1", data=TOOL))
        _ok(client.post("/tools/outil-1", data=TOOL | {"r-acteurs-0-heures": "x"}), (400,))
        flood = client.post(
            "/tools/outil-1",
            data=FLOOD,
            content_type="application/x-www-form-urlencoded",
        )
        _ok(flood, accept=(400, 413))
        _ok(client.post("/account", data={"action": "name", "display_name": f"Banc {n}"}))
        _ok(client.post("/account", data=_password_change()))
        _ok(client.post("/account", data=_password_change(wrong=True)), accept=(400,))
        _ok(client.post("/password/forgot", data={"email": email}), accept=(200,))
        token = _mailed_token(app)
        reset = {"password": PASSWORD, "confirm": PASSWORD}
        _ok(client.post(f"/password/reset/{token}", data=reset))
        _ok(client.post("/account/delete", data={"password": PASSWORD}))


def _registration(email: str) -> dict[str, str]:
    return {
        "email": email,
        "display_name": "Louise Martin",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }


def _password_change(*, wrong: bool = False) -> dict[str, str]:
    return {
        "action": "password",
        "current_password": "faux" if wrong else PASSWORD,
        "password": PASSWORD,
        "confirm": PASSWORD,
    }


def _mailed_token(app: Flask) -> str:
    body = app.extensions["mailman"].outbox[-1].body
    found = re.search(r"/password/reset/([A-Za-z0-9_-]+)", body)
    assert found is not None, body
    return found.group(1)


def _ok(response: Any, accept: tuple[int, ...] = (302,)) -> Any:
    assert response.status_code in accept, (response.status_code, response.text[:500])
    return response
