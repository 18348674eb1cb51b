"""Profile the hot requests in-process, as the web bench sends them (issue 15).

    .venv/bin/python -m bench.profile_requests step          # pyinstrument tree of the step page
    .venv/bin/python -m bench.profile_requests submit --postgres --all-frames
    valgrind --tool=callgrind --instr-atstart=no .venv/bin/python -m bench.profile_requests \
        step --instructions                                  # instructions per request

The requests are the bench's (bench_web): a logged-in learner's step page, a first submission
of a quiz (each by another learner), the same submission sent again (`resubmit`: the bench's
wrk picks its submissions at random, so a quarter or more of them repeat one already stored,
which only redirects to it) and /healthz, through the WSGI app without a server. With
--instructions the loop runs under callgrind's counting only (switched on around it), which
counts the same whatever else the machine does, so two versions of the code compare exactly.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.test import EnvironBuilder, run_wsgi_app

from bench import bench_web
from course import create_app

Request = tuple[str, str, str, str | None]  # method, path, session cookie, form body


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("request", choices=("step", "submit", "resubmit", "healthz"))
    parser.add_argument("-n", type=int, default=1000, help="requests profiled")
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL, not SQLite")
    parser.add_argument("--instructions", action="store_true", help="count under callgrind")
    parser.add_argument("--all-frames", action="store_true", help="libraries' frames too")
    args = parser.parse_args(argv)
    with _database(args.postgres) as url:
        call, requests = _prepared(url, args.request, args.n)
        for request in requests[:20]:  # warm: templates compiled, statements cached
            call(request)
        measured = requests[20:]
        if args.request == "resubmit":  # each attempt submitted once, then measured again
            _run(call, measured)
        if args.instructions:
            _callgrind("on")
            _run(call, measured)
            _callgrind("off")
            print(f"{len(measured)} {args.request} requests counted: divide callgrind's total")
            return 0
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        start = time.process_time()
        with profiler:
            _run(call, measured)
        spent = (time.process_time() - start) / len(measured) * 1000
        text = profiler.output_text(color=False, unicode=False, show_all=args.all_frames)
        print(text)
        print(f"{len(measured)} {args.request} requests, {spent:.2f} ms of CPU each (profiled)")
    return 0


def _prepared(url: str, kind: str, count: int) -> tuple[Callable[[Request], int], list[Request]]:
    bench_web.SUBMITTERS = count + 20 if kind.endswith("submit") else 10
    environment = bench_web._environment(url)
    app = create_app(bench_web._settings(environment))
    reader, step_path, submissions = bench_web._prepare(app)
    total = count + 20
    if kind == "healthz":
        requests: list[Request] = [("GET", "/healthz", "", None)] * total
    elif kind == "step":
        requests = [("GET", step_path, bench_web._signed(app, reader), None)] * total
    else:
        requests = [
            ("POST", path, bench_web._signed(app, data), body)
            for path, data, body in submissions[:total]
        ]

    def call(request: Request) -> int:
        method, path, cookie, body = request
        builder = EnvironBuilder(
            path=path,
            method=method,
            headers={"Cookie": f"session={cookie}"} if cookie else {},
            data=body,
            content_type="application/x-www-form-urlencoded" if body else None,
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
        chunks, status, _headers = run_wsgi_app(app, builder.get_environ())
        b"".join(chunks)
        return int(status.split()[0])

    return call, requests


def _run(call: Callable[[Request], int], requests: list[Request]) -> None:
    for request in requests:
        status = call(request)
        if status >= 400:
            raise RuntimeError(f"{request[1]} answered {status}")


def _callgrind(state: str) -> None:
    subprocess.run(["callgrind_control", "-i", state, str(os.getpid())], check=False)


@contextmanager
def _database(postgres: bool) -> Iterator[str]:
    if postgres:
        with bench_web.postgres_database() as url:
            if url is None:
                raise SystemExit("PostgreSQL does not answer on 127.0.0.1:5432")
            yield url
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'profile.sqlite'}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
