"""Content load and check of the real course (budget ≤ 300 ms, DESIGN.md §6)."""

from __future__ import annotations

import statistics
import time

from bench.measure import Measure
from course.config import REPO_ROOT
from course.content import load_course


def run() -> list[Measure]:
    """Load and check the real course a few times; report the median."""
    timings = []
    for _ in range(7):
        start = time.perf_counter()
        course, problems = load_course(REPO_ROOT)
        timings.append((time.perf_counter() - start) * 1000)
        assert course is not None, [str(p) for p in problems]
    median = statistics.median(timings)
    return [Measure("content load and check", median, "ms", "≤ 300 ms", median <= 300)]
