"""`make lint`'s bandit gate, kept in the test suite too: no medium or high finding in course/."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT

BANDIT = ["-m", "bandit", "-c", "pyproject.toml", "-r", "course", "--severity-level", "medium"]


def test_bandit_finds_nothing_of_medium_or_high_severity() -> None:
    done = subprocess.run(
        [sys.executable, *BANDIT, "--quiet"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
