"""A worker imports only what serving needs: migrations and signing load when first used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from course.config import REPO_ROOT

HEAVY = ("alembic", "cryptography")  # ~11 MB and ~8 MB of every worker's memory


def test_the_app_starts_without_alembic_or_cryptography(tmp_path: Path) -> None:
    code = f"import sys, app; print('loaded:', *(m for m in {HEAVY!r} if m in sys.modules))"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'lean.sqlite'}",
        "SECRET_KEY": "lean-" + "k" * 40,
        "PYTHONPATH": str(REPO_ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "loaded:"
