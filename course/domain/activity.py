"""Time spent, estimated from the moments a learner did something (steps, attempts, answers)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

SESSION_GAP = timedelta(minutes=30)


def time_spent(moments: Iterable[datetime], *, gap: timedelta = SESSION_GAP) -> timedelta:
    """Add up the spans of activity sessions: moments closer than `gap` belong to one session."""
    total = timedelta()
    previous: datetime | None = None
    for moment in sorted(moments):
        if previous is not None and moment - previous <= gap:
            total += moment - previous
        previous = moment
    return total
