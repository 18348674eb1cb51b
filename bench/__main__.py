"""Run every benchmark module (bench/bench_*.py) and print one line per measure.

Each module defines `run() -> list[Measure]`. Ratios are against a baseline measured in the
same run (DESIGN.md §6), so the numbers compare across machines. A whole run (no module named)
writes its table, the machine and the engines' versions to bench/results/latest.md.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

from bench import report
from bench.measure import Measure


def main(argv: list[str]) -> int:
    """Run the benchmarks named on the command line (all when none) and print the results."""
    names = argv or sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    started = time.monotonic()
    measures: list[Measure] = []
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}", flush=True)
        for measure in module.run():
            print(measure, flush=True)
            measures.append(measure)
    failed = [m for m in measures if m.passed is False]
    print(f"{len(measures) - len(failed)} within budget, {len(failed)} over budget")
    if not argv:  # a whole run: keep its table
        print(f"Results written to {report.write(measures, seconds=time.monotonic() - started)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
