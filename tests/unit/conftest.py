"""Fixtures of the unit tests: a copy of the fixture course to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_COURSE


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """A copy of the fixture course that a test may edit."""
    return Path(shutil.copytree(FIXTURE_COURSE, tmp_path / "course"))
