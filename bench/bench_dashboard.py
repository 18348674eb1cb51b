"""Trainer dashboard and quiz analytics: server time for cohorts of 100 to 100,000 learners.

Budgets (DESIGN.md §6 and issue 15): the cohort dashboard of 10,000 and of 100,000 learners in
≤ 150 ms with a constant number of queries whatever N; item analysis in ≤ 300 ms from 100,000
answers; the quiz analytics page of 10,000 and 100,000 learners in ≤ 300 ms; `course demo` of
100,000 learners on PostgreSQL in ≤ 120 s. Each cohort is made by `course demo` (synthetic
learners, real course) in a fresh database: SQLite for 100, 1,000 and 10,000 learners,
PostgreSQL (a network of trainers) for 100, 10,000 and 100,000. Times are the median of several
warm requests through the app, rendering included; each page's time is also given as a
multiple of /healthz's through the same test client, in the same run.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from bench.bench_web import postgres_database
from bench.measure import Measure
from course import create_app
from course.config import REPO_ROOT
from course.demo import service as demo
from course.domain import item_analysis
from course.domain.metrics import Thresholds
from course.services import first_sums, snapshots
from course.services.db import Database
from course.services.statement_log import recorded

SIZES = tuple(int(n) for n in os.environ.get("BENCH_COHORTS", "100,1000,10000").split(",") if n)
PG_SIZES = tuple(
    int(n) for n in os.environ.get("BENCH_PG_COHORTS", "100,10000,100000").split(",") if n
)
REPEAT = 7
PASSWORD = "bench-password-1234"
DASHBOARD_BUDGET_MS = 150
ANALYSIS_BUDGET_MS = 300
ANALYTICS_PAGE_BUDGET_MS = 300  # the quiz analytics page of 10,000 learners
ANALYSIS_ANSWERS = 100_000
DEMO_BUDGET_S = 120  # `course demo --learners 100000` on PostgreSQL
DEMO_BUDGET_LEARNERS = 100_000


def run() -> list[Measure]:
    """Build each cohort, then time its dashboard, its quiz analytics and item analysis."""
    measures: list[Measure] = []
    for label, sizes in (("SQLite", SIZES), ("PostgreSQL", PG_SIZES)):
        queries: dict[int, int] = {}
        for size in sizes:
            with _database(label) as url:
                if url is None:
                    measures.append(Measure(f"cohorts ({label})", 0, "", note="no server"))
                    break
                app, built = _cohort(url, size)
                measures.append(_build_measure(label, size, built))
                measures += _measure(app, size, queries, label)
                app.extensions["database"].dispose()
        if len(set(queries.values())) > 1:
            measures.append(
                Measure(
                    f"dashboard queries vary with N ({label})",
                    0,
                    "",
                    "constant",
                    False,
                    str(queries),
                )
            )
    return measures


@contextmanager
def _database(label: str) -> Iterator[str | None]:
    if label == "PostgreSQL":
        with postgres_database() as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite'}"


def _build_measure(label: str, size: int, built: float) -> Measure:
    judged = label == "PostgreSQL" and size >= DEMO_BUDGET_LEARNERS
    return Measure(
        f"build demo cohort, {size} learners ({label})",
        built,
        "s",
        f"≤ {DEMO_BUDGET_S} s" if judged else "",
        built <= DEMO_BUDGET_S if judged else None,
        "course demo, standings included",
    )


def _cohort(url: str, size: int) -> tuple[Flask, float]:
    Database(url).create_all()
    settings = {"DATABASE_URL": url, "SECRET_KEY": "b" * 40, "COURSE_DIR": str(REPO_ROOT)}
    app = create_app({**settings, "WTF_CSRF_ENABLED": False})  # the bench logs in by form
    start = time.perf_counter()
    with app.app_context():
        session = app.extensions["database"].session(writer=True)
        course = app.extensions["course"]
        thresholds = Thresholds.from_settings(app.config)
        demo.make_demo(
            session, course, learners=size, password=PASSWORD, now=_now(), thresholds=thresholds
        )
        snapshots.refresh(session, course, thresholds, now=_now())
        session.commit()
        session.close()
    return app, time.perf_counter() - start


def _measure(app: Flask, size: int, queries: dict[int, int], label: str) -> list[Measure]:
    client = app.test_client()
    response = client.post("/login", data={"email": demo.TRAINER, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    board = "/trainer/cohorts/1"
    quiz = "/trainer/cohorts/1/quizzes/m1-quiz"
    health_ms = _median_ms(lambda: client.get("/healthz"))  # the unit of the ratios below
    dashboard_ms, count = _timed(app, client, board)
    queries[size] = count
    analytics_ms, analytics_queries = _timed(app, client, quiz)
    answers, analysis_ms = _item_analysis(app)
    dashboard_ok = dashboard_ms <= DASHBOARD_BUDGET_MS if size >= 10_000 else None
    analysis_ok = analysis_ms <= ANALYSIS_BUDGET_MS if answers >= ANALYSIS_ANSWERS else None
    page_ok = analytics_ms <= ANALYTICS_PAGE_BUDGET_MS if size >= 10_000 else None
    return [
        Measure(
            f"cohort dashboard, {size} learners ({label})",
            dashboard_ms,
            "ms",
            f"≤ {DASHBOARD_BUDGET_MS} ms" if dashboard_ok is not None else "",
            dashboard_ok,
            f"{count} queries; {_times(dashboard_ms, health_ms)}",
        ),
        Measure(
            f"quiz analytics page, {size} learners ({label})",
            analytics_ms,
            "ms",
            f"≤ {ANALYTICS_PAGE_BUDGET_MS} ms" if page_ok is not None else "",
            page_ok,
            f"{analytics_queries} queries; {_times(analytics_ms, health_ms)}",
        ),
        Measure(
            f"item analysis, {answers} answers ({label})",
            analysis_ms,
            "ms",
            f"≤ {ANALYSIS_BUDGET_MS} ms" if analysis_ok is not None else "",
            analysis_ok,
            "m1-quiz, first attempts, from the kept sums",
        ),
    ]


def _times(page_ms: float, health_ms: float) -> str:
    """Say what a page costs as a multiple of /healthz served the same way, in the same run."""
    return f"{page_ms / health_ms:,.0f} times /healthz ({health_ms:.2f} ms)"


def _timed(app: Flask, client: FlaskClient, path: str) -> tuple[float, int]:
    """Return the median time of a page (ms) and the queries one view runs."""
    assert client.get(path).status_code == 200  # warm: templates compiled, standings current
    with recorded(app.extensions["database"].pooled) as statements:  # not the checkpoints'
        client.get(path)
    return _median_ms(lambda: client.get(path)), len(statements)


def _item_analysis(app: Flask) -> tuple[int, float]:
    """Time the statistics of m1-quiz on first attempts, as the analytics page computes them."""
    with app.app_context():
        session = app.extensions["database"].session(writer=True)
        quiz = app.extensions["course"].quizzes["m1-quiz"]

        def analyse() -> item_analysis.QuizAnalysis:
            data = first_sums.load(session, 1, quiz, names=40)
            return item_analysis.analyse(quiz, data, min_learners=20, weak_efficiency=15)

        answers = sum(s.n for s in analyse().questions)
        elapsed = _median_ms(analyse)
        session.close()
    return answers, elapsed


def _median_ms(action: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _now() -> datetime:
    return datetime.now(UTC)
