"""Write a run's measures to bench/results/latest.md: the table, the machine and the engines."""

from __future__ import annotations

import os
import platform
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from bench.measure import Measure

RESULTS = Path(__file__).parent / "results" / "latest.md"
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_version() -> str:
    """Return the PostgreSQL server's version, or say it could not be reached."""
    engine = create_engine(POSTGRES_ADMIN_URL)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SHOW server_version")).scalar())
    except OperationalError:
        return "not reachable"
    finally:
        engine.dispose()


def write(measures: Sequence[Measure], *, seconds: float, path: Path = RESULTS) -> Path:
    """Write the results as Markdown and return the file's path."""
    over = [m for m in measures if m.passed is False]
    lines = [
        "# Benchmark results",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; `make bench` took {seconds / 60:.1f} min",
        f"- machine: {os.cpu_count()} CPUs ({platform.machine()}), {platform.system()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version},"
        f" PostgreSQL {postgres_version()}",
        f"- {len(measures) - len(over)} measures within budget or informative, {len(over)} over",
        "",
        "| measure | value | budget | verdict | note |",
        "|---|---:|---|---|---|",
    ]
    for m in measures:
        verdict = {True: "ok", False: "**over budget**", None: ""}[m.passed]
        lines.append(f"| {m.name} | {m.value:,.2f} {m.unit} | {m.budget} | {verdict} | {m.note} |")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
