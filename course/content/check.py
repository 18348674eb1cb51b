"""The content check command: print every problem as PATH:LINE: message."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter
from pathlib import Path

from .cache import CACHE_NAME
from .errors import Severity
from .loader import check_folder

DEFAULT_ROOT = Path(__file__).resolve().parents[2]
_RULE = re.compile(r"^\[([a-z-]+)\] ")
WAITING = (
    "some files could not be read: the checks across files (ids, references, links, "
    "objectives) run once they read; mend the errors above, then check again"
)


def main(argv: list[str] | None = None) -> int:
    """Check the course in DIR; exit 1 on any error, 0 otherwise (warnings alone pass)."""
    parser = argparse.ArgumentParser(prog="python -m course.content")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check the course's modules, quizzes and tools")
    check.add_argument(
        "dir", nargs="?", type=Path, help="the course's folder (default: $COURSE_DIR, else ours)"
    )
    args = parser.parse_args(argv)
    if args.dir is None:  # the course the app would serve (`make run` reads the same setting)
        args.dir = Path(os.environ.get("COURSE_DIR") or DEFAULT_ROOT)
    print(f"checking the course in {args.dir}", file=sys.stderr)
    # The repository's own course keeps its content cache where the app does.
    own = args.dir.resolve() == DEFAULT_ROOT
    checked = check_folder(args.dir, DEFAULT_ROOT / "instance" / CACHE_NAME if own else None)
    problems = checked.problems
    for problem in problems:
        print(problem)
    if not checked.across_files:
        print(WAITING, file=sys.stderr)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    rules = Counter(m.group(1) for p in problems if (m := _RULE.match(p.message)))
    if rules:
        tally = ", ".join(f"{rule} {count}" for rule, count in sorted(rules.items()))
        print(f"by rule: {tally}", file=sys.stderr)
    return 1 if errors else 0
