"""Kept cohort tallies: each learner and cell counted under a key that time does not change.

The summary counts learners by status, "active" and "needs help"; the last two move with the
clock (a learner goes quiet, a week passes). A learner is therefore kept under what the clock
cannot change, their status and whether they need help with and without the inactivity signal,
and under the hour (UTC) their idleness started from. Hours wholly before or after the thresholds
give the time-dependent answers from the key alone; only learners whose hour holds a threshold
must be counted afresh, so the cost follows an hour's activity instead of the cohort's size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from .metrics import CellValue, Standing, Tally, is_flagged, is_inactive
from .progression import State

BUILT = "B|hour"  # the key of the row saying a cohort's tallies are complete (with hour keys)
BUCKET = timedelta(hours=1)


def bucket(moment: datetime) -> datetime:
    """Return the start of the UTC hour a moment falls in."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class LearnerKey:
    """What the summary needs of a learner in a cohort, as no passing of time changes it."""

    status: str
    flagged: bool  # needs help while not inactive
    flagged_idle: bool  # needs help once inactive
    acted: bool  # has any activity (else idleness counts from joining)
    hour: datetime  # the UTC hour of the last activity, or of joining without any


def learner_key(
    status: str,
    signals: int,
    last_activity: datetime | None,
    joined_at: datetime,
    help_keys: tuple[str | None, str | None],
    handled_key: str | None,
) -> LearnerKey:
    """Key a learner from their stored standing: `help_keys` are its facts' keys without and
    with inactivity, `handled_key` the facts a trainer handled (None: nothing handled)."""
    handled = [handled_key is not None and handled_key == k for k in help_keys]
    idle_from = last_activity or joined_at
    return LearnerKey(
        status,
        bool(is_flagged(signals, False, handled[0])),
        bool(is_flagged(signals, True, handled[1])),
        last_activity is not None,
        bucket(idle_from),
    )


def encode(key: LearnerKey | CellValue) -> str:
    """Return the stored text of a key (kept short and exact: floats by repr)."""
    if isinstance(key, LearnerKey):
        flags = "".join(str(int(v)) for v in (key.flagged, key.flagged_idle, key.acted))
        return f"L|{key.status}|{flags}|{key.hour.isoformat()}"
    score = "-" if key.best_score is None else repr(key.best_score)
    return f"C|{key.module_id}|{key.state.value}|{score}"


@lru_cache(maxsize=65536)  # a cohort's keys come back at every view: read each text once
def decode(text: str) -> LearnerKey | CellValue | None:
    """Return the key a stored text holds (None for the built mark)."""
    kind, *parts = text.split("|")
    if kind == "L":
        status, flags, hour = parts
        flagged, idle, acted = (c == "1" for c in flags)
        return LearnerKey(status, flagged, idle, acted, bucket(datetime.fromisoformat(hour)))
    if kind == "C":
        module_id, state, score = parts
        return CellValue(module_id, State(state), None if score == "-" else float(score))
    return None


def boundaries(active_since: datetime, inactive_since: datetime) -> list[datetime]:
    """Return the hours whose learners the key alone cannot place (each holds a threshold)."""
    return sorted({bucket(active_since), bucket(inactive_since)})


def standings(
    keys: Mapping[LearnerKey, int], active_since: datetime, inactive_since: datetime
) -> Tally:
    """Count the learners of keys outside the boundary hours by standing at this moment."""
    hours = boundaries(active_since, inactive_since)
    active_hour, idle_hour = bucket(active_since), bucket(inactive_since)
    found: Counter[Standing] = Counter()
    for key, n in keys.items():
        if key.hour in hours:
            continue
        active = key.acted and key.hour > active_hour
        inactive = is_inactive(key.status, key.hour, idle_hour)  # strictly before: not a boundary
        found[Standing(key.status, active, key.flagged_idle if inactive else key.flagged)] += n
    return found


def split(rows: Iterable[tuple[str, int]]) -> tuple[dict[LearnerKey, int], dict[CellValue, int]]:
    """Sort stored (key text, count) rows into learner and cell counts."""
    learners: dict[LearnerKey, int] = {}
    cells: dict[CellValue, int] = {}
    for text, n in rows:
        key = decode(text)
        if isinstance(key, LearnerKey):
            learners[key] = n
        elif isinstance(key, CellValue):
            cells[key] = n
    return learners, cells
