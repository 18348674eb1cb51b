"""Real gunicorn (a master and its workers) serving the test database, started and killed at will.

The test process binds the listening socket and hands it to gunicorn (`--bind fd://N`), so a
gunicorn killed with SIGKILL can be started again on the same port at once, and connections made
while it is down wait in the socket's backlog instead of being refused.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.factories import FIXTURE_COURSE

from .live import HttpClient

WORKERS = 2
THREADS = 8
START_TIMEOUT_S = 90  # two cores shared with other test runs: starting may be slow


class Gunicorn:
    """`gunicorn -w 2 --threads 8` serving the app on a database, its socket kept by the test."""

    def __init__(self, database_url: str, log_dir: Path, **settings: object) -> None:
        self.settings = {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "COURSE_DIR": str(FIXTURE_COURSE),
            "SECRET_KEY": "test-secret-key-" + "x" * 32,
            "WTF_CSRF_ENABLED": False,
            **settings,
        }
        self.log_dir = log_dir
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        self.sock.set_inheritable(True)
        self.port: int = self.sock.getsockname()[1]
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def client(self) -> HttpClient:
        return HttpClient(self.port)

    def start(self) -> None:
        """Start gunicorn and wait until every worker answers."""
        assert self.process is None, "already running"
        self.starts += 1
        log = (self.log_dir / f"gunicorn-{self.starts}.log").open("wb")
        fd = self.sock.fileno()
        command = [sys.executable, "-m", "gunicorn", "--bind", f"fd://{fd}"]
        command += ["--workers", str(WORKERS), "--threads", str(THREADS), "--timeout", "120"]
        command += ["--graceful-timeout", "5", "tests.concurrency.wsgi:app"]
        env = {**os.environ, "TEST_APP_SETTINGS": json.dumps(self.settings)}
        cwd = Path(__file__).resolve().parents[2]
        self.process = subprocess.Popen(
            command, env=env, cwd=cwd, pass_fds=(fd,), stdout=log, stderr=log
        )
        log.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: {self.log()}")
            if len(self.workers()) == WORKERS:
                try:
                    if HttpClient(self.port).get("/readyz").status == 200:
                        return
                except OSError:
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start in {START_TIMEOUT_S} s: {self.log()}")

    def workers(self) -> list[int]:
        """Return the pids of the master's live workers (read from /proc)."""
        assert self.process is not None
        master = self.process.pid
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[1]) == master and fields[0] != "Z":
                found.append(int(entry.name))
        return found

    def kill(self) -> list[int]:
        """SIGKILL the master and every worker at once, as a power cut to the processes would;
        return the pids killed."""
        assert self.process is not None
        pids = [*self.workers(), self.process.pid]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait()
        for pid in pids[:-1]:
            _wait_gone(pid)
        self.process = None
        return pids

    def stop(self) -> None:
        """Stop gunicorn gently (SIGTERM), or kill it if it lingers."""
        if self.process is not None:
            workers = self.workers()
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
                return
            for pid in workers:
                _wait_gone(pid)
            self.process = None

    def close(self) -> None:
        self.stop()
        self.sock.close()

    def log(self) -> str:
        """Return the end of the latest gunicorn log (errors and tracebacks of the workers)."""
        path = self.log_dir / f"gunicorn-{self.starts}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


def _wait_gone(pid: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return
        if stat[stat.rindex(")") + 2] == "Z":
            return  # a zombie holds no lock or connection
        time.sleep(0.05)
