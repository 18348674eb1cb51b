"""Web throughput under gunicorn (2 workers) measured with wrk, as ratios to /healthz.

Budgets (DESIGN.md §6): a logged-in step page ≥ 50 % of /healthz throughput; quiz submission
≥ 25 % with 0 errors at 32 connections; ≤ 100 MB RSS per worker.

gunicorn runs with sync workers, each request on a new connection, as DESIGN.md's budgets were
set. BENCH_GUNICORN adds options: `--threads 4 --preload` (the deployment's command) serves more
requests per second, but wrk then keeps connections alive, which makes /healthz several times
cheaper and every ratio smaller. Each line also gives the CPU time gunicorn's processes spent
per request served (from /proc): the cost of a request itself, which wrk's share of the cores
does not move (the PostgreSQL server's own is not counted).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from bench.measure import Measure
from course import create_app
from course.config import REPO_ROOT
from course.domain.questions import question_type
from course.services import attempts
from course.services.accounts import hash_password
from course.services.models import User
from course.web.database import db as request_db
from course.web.signin import SEEN, start_session

Session = dict[str, Any]  # a Flask session's content, before it is signed into a cookie
PORT = 5077
DURATION = os.environ.get("BENCH_DURATION", "5s")
SUBMITTERS = 4000
SECRET = "bench-secret-" + "k" * 40
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
LUA = """
local lines, n = {}, 0
for line in io.lines(os.getenv("BENCH_REQUESTS")) do lines[#lines + 1] = line end
request = function()
  n = n + 1
  local line = lines[(n * 7919 + math.random(#lines)) % #lines + 1]
  local path, cookie, body = line:match("([^\\t]*)\\t([^\\t]*)\\t(.*)")
  return wrk.format("POST", path, {["Cookie"] = "session=" .. cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
"""


def run() -> list[Measure]:
    """Serve the real course with gunicorn on SQLite, then on PostgreSQL, and load it with wrk."""
    if shutil.which("wrk") is None:
        return [Measure("web throughput", 0, "", note="wrk not installed: apt-get install wrk")]
    measures = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        measures += _run_on(work, f"sqlite:///{work / 'bench.sqlite'}", "SQLite")
        with postgres_database() as url:
            if url is not None:
                measures += _run_on(work, url, "PostgreSQL")
    return measures


def _run_on(work: Path, database_url: str, label: str) -> list[Measure]:
    env = _environment(database_url)
    app = create_app(_settings(env))
    reader, step_path, submissions = _prepare(app)
    app.extensions["database"].dispose()
    requests_file = work / "requests.tsv"
    with _gunicorn(env):
        health = _wrk("/healthz", [], connections=32)
        cookie = _signed(app, reader)
        step = _wrk(step_path, ["-H", f"Cookie: session={cookie}"], connections=32)
        lines = [f"{path}\t{_signed(app, data)}\t{body}" for path, data, body in submissions]
        requests_file.write_text("\n".join(lines) + "\n")
        submit = _wrk(
            "/",
            ["-s", str(_lua(work))],
            connections=32,
            extra_env={"BENCH_REQUESTS": str(requests_file)},
        )
        memory = _worker_rss_mb()
    return [
        Measure(f"/healthz ({label})", health.rate, "req/s", note=health.note()),
        Measure(
            f"step page, logged in ({label})",
            step.rate / health.rate * 100,
            "% of /healthz",
            "≥ 50 %",
            step.rate / health.rate >= 0.5,
            f"{step.rate:.0f} req/s, {step.note()}",
        ),
        Measure(
            f"quiz submission, 32 connections ({label})",
            submit.rate / health.rate * 100,
            "% of /healthz",
            "≥ 25 %, 0 err",
            submit.rate / health.rate >= 0.25 and submit.errors == 0,
            f"{submit.rate:.0f} req/s, {submit.note()}",
        ),
        Measure(f"memory per worker, max RSS ({label})", memory, "MB", "≤ 100 MB", memory <= 100),
    ]


@contextmanager
def postgres_database() -> Iterator[str | None]:
    """Create a throwaway database on the local PostgreSQL server (None if none answers)."""
    admin_url = os.environ.get("BENCH_POSTGRES_URL", POSTGRES_ADMIN_URL)
    name = f"course_bench_{os.getpid()}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError:
        yield None
        return
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def _environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "COURSE_DIR": str(REPO_ROOT),
    }


def _settings(env: dict[str, str]) -> dict[str, object]:
    return {k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "COURSE_DIR")}


def _prepare(app: Flask) -> tuple[Session, str, list[tuple[str, Session, str]]]:
    """Create learners with open attempts; return a reader's session and a step path, and each
    submission's path, session and body."""
    database = app.extensions["database"]
    database.create_all()
    course = app.extensions["course"]
    module = course.modules[0]
    quiz = course.quizzes[module.quiz]
    now = datetime.now(UTC)
    db = database.session(writer=True)
    password = hash_password("bench-password")
    users = [
        User(
            email=f"b{n}@bench.example",
            display_name=f"B{n}",
            password_hash=password,
            role="learner",
            created_at=now,
        )
        for n in range(SUBMITTERS)
    ]
    db.add_all(users)
    db.flush()
    rng = random.Random(1)
    opened = [attempts.start_attempt(db, u.id, quiz, rng=rng, now=now) for u in users]
    db.commit()
    submissions = []
    for user, attempt in zip(users, opened, strict=True):
        data, token = _session(app, user)
        body = "&".join(_answer(quiz.question(q)) for q in attempt.question_ids)
        submissions.append((f"/attempts/{attempt.id}", data, f"csrf_token={token}&{body}"))
    db.close()
    step_path = f"/modules/{module.id}/steps/{module.steps[0].id}"
    return _session(app, users[0])[0], step_path, submissions


def _answer(question: Any) -> str:
    """Return form fields that answer a question correctly, with a confidence of 2."""
    kind = question_type(question)
    values = kind.fields(question, kind.right_answer(question), f"q-{question.id}")
    return urlencode([*values, (f"c-{question.id}", "2")])


def _session(app: Flask, user: User) -> tuple[Session, str]:
    """Log the user in; return their session's content and a CSRF token that goes with it."""
    environ = {"REMOTE_ADDR": "127.0.0.1"}
    with app.test_request_context("/login", method="POST", environ_base=environ):
        start_session(user)
        request_db().commit()
        token = generate_csrf()  # kept in the session: read it before copying the session
        return dict(session), token


def _signed(app: Flask, data: Session) -> str:
    """Sign a session as a cookie whose idle clock reads now.

    A browser stores the clock each answer refreshes (once a minute); wrk replays the cookie it
    was given, so one signed before a run would be refreshed, and set again, on every request.
    """
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return str(serializer.dumps({**data, SEEN: int(time.time())}))


def _lua(work: Path) -> Path:
    script = work / "submit.lua"
    script.write_text(LUA)
    return script


@contextmanager
def _gunicorn(env: dict[str, str]) -> Iterator[None]:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{PORT}",
        "--log-level",
        "warning",
        *os.environ.get("BENCH_GUNICORN", "").split(),
        "app:app",
    ]
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env)
    try:
        _wait_ready()
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_ready() -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


@dataclass(frozen=True)
class Load:
    """What a wrk run measured: requests per second, errors (non-2xx/3xx, socket), and the
    CPU gunicorn spent per request (its processes' user and system time over the requests served),
    which moves less than the rate when wrk, on the same cores, runs slow or fast."""

    rate: float
    errors: int
    cpu_ms: float

    def note(self) -> str:
        return f"{self.errors} errors, {self.cpu_ms:.2f} ms of gunicorn CPU a request"


def _wrk(
    path: str, extra: list[str], *, connections: int, extra_env: dict[str, str] | None = None
) -> Load:
    """Run wrk on a path against the running gunicorn."""
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{DURATION}",
        *extra,
        f"http://127.0.0.1:{PORT}{path}",
    ]
    env = {**os.environ, **(extra_env or {})}
    cpu_before = _server_cpu_seconds()
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    cpu = _server_cpu_seconds() - cpu_before
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    served = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return Load(rate, errors, cpu / max(served, 1) * 1000)


def _server_files(name: str) -> Iterator[str]:
    """Yield a /proc file (`status`, `stat`) of each gunicorn process serving the app."""
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            if "gunicorn" in (cmdline := (folder / "cmdline").read_text()) and "app:app" in cmdline:
                yield (folder / name).read_text()
        except OSError:  # gone meanwhile
            continue


def _server_cpu_seconds() -> float:
    """Return the user and system CPU time the gunicorn processes have used so far."""
    ticks = 0
    for stat in _server_files("stat"):
        fields = stat.rsplit(")", 1)[1].split()  # after the command's name, which may hold spaces
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _worker_rss_mb() -> float:
    """Return the largest resident memory of the gunicorn workers, in MB."""
    sizes = []
    for status in _server_files("status"):
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        if match:
            sizes.append(int(match.group(1)) / 1024)
    return max(sizes, default=0.0)
