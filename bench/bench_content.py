"""Content load and check of the real course (budget ≤ 300 ms, DESIGN.md §6).

The app and `python -m course.content check` keep rendered Markdown and parsed YAML in a cache
(course/content/cache.py): the budget is for a start with the cache filled by an earlier one;
the first load, without it, is reported beside.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.measure import Measure
from course.config import REPO_ROOT
from course.content import load_course

RUNS = 7


def run() -> list[Measure]:
    """Load and check the real course a few times, without then with a cache; report medians."""
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder) / "content-cache.pickle"
        cold = statistics.median(_load(None) for _ in range(RUNS))
        _load(cache)  # fills the cache, as the first start does
        warm = statistics.median(_load(cache) for _ in range(RUNS))
    return [
        Measure("content load and check", warm, "ms", "≤ 300 ms", warm <= 300),
        Measure("content load and check, no cache (first start)", cold, "ms"),
    ]


def _load(cache: Path | None) -> float:
    start = time.perf_counter()
    course, problems = load_course(REPO_ROOT, cache)
    elapsed = (time.perf_counter() - start) * 1000
    assert course is not None, [str(p) for p in problems]
    return elapsed
