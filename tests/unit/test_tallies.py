"""Kept tally keys: stored exactly, and placed by the clock outside their boundary hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from course.domain import tallies
from course.domain.metrics import CellValue, Standing
from course.domain.progression import State

NOW = datetime(2026, 12, 3, 10, 30, tzinfo=UTC)
ACTIVE, IDLE = NOW - timedelta(days=7), NOW - timedelta(days=14)


@pytest.mark.parametrize(
    "key",
    [
        tallies.LearnerKey(
            "in_progress", True, False, True, datetime(2026, 11, 20, 13, tzinfo=UTC)
        ),
        tallies.LearnerKey("not_started", False, False, False, datetime(2026, 1, 1, tzinfo=UTC)),
        CellValue("m1", State.COMPLETED, 0.1 + 0.2),
        CellValue("m-2", State.LOCKED, None),
    ],
)
def test_a_key_reads_back_as_stored(key: tallies.LearnerKey | CellValue) -> None:
    assert tallies.decode(tallies.encode(key)) == key


def test_the_built_mark_is_no_key() -> None:
    assert tallies.decode(tallies.BUILT) is None


@pytest.mark.parametrize(
    ("status", "last", "expected"),
    [
        ("in_progress", NOW - timedelta(days=1), Standing("in_progress", True, False)),
        ("in_progress", NOW - timedelta(days=10), Standing("in_progress", False, False)),
        ("in_progress", NOW - timedelta(days=20), Standing("in_progress", False, True)),
        ("completed", NOW - timedelta(days=20), Standing("completed", False, False)),
        ("in_progress", ACTIVE, None),  # in a boundary hour: counted afresh
        ("in_progress", IDLE + timedelta(minutes=20), None),
    ],
)
def test_standings_place_keys_by_the_clock(
    status: str, last: datetime, expected: Standing | None
) -> None:
    key = tallies.learner_key(status, 0, last, last, ("k", "k-idle"), None)
    counted = tallies.standings({key: 3}, ACTIVE, IDLE)
    assert counted == ({expected: 3} if expected else {})


def test_a_handled_signal_counts_until_the_facts_change() -> None:
    last = NOW - timedelta(days=20)
    handled = tallies.learner_key("in_progress", 1, last, last, ("k", "k-idle"), "k")
    assert (handled.flagged, handled.flagged_idle) == (False, True)
    idle_handled = tallies.learner_key("in_progress", 1, last, last, ("k", "k-idle"), "k-idle")
    assert (idle_handled.flagged, idle_handled.flagged_idle) == (True, False)
