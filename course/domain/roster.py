"""The dashboard's learner list: what the trainer asked for, and the page it gives."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .integers import bounded_int
from .metrics import LearnerRow

STATUSES = ("not_started", "in_progress", "completed")
IDLE_CHOICES = (7, 14, 30)
SORTS = ("name", "progress", "activity", "help")


@dataclass(frozen=True)
class RosterQuery:
    """What the trainer asked for: filters, sort order and page."""

    status: str = ""  # "" or one of STATUSES
    idle_days: int = 0  # 0: any; else idle for at least this many days
    needs_help: bool = False
    search: str = ""
    sort: str = "name"
    descending: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> RosterQuery:
        """Read a query from URL parameters, falling back to defaults on anything unexpected."""
        idle = args.get("idle", "")
        page = args.get("page", "")
        return cls(
            status=args.get("status", "") if args.get("status") in STATUSES else "",
            idle_days=days if (days := bounded_int(idle, 999)) in IDLE_CHOICES else 0,
            needs_help=args.get("help") == "1",
            search=args.get("q", "").strip()[:100],
            sort=args.get("sort", "name") if args.get("sort") in SORTS else "name",
            descending=args.get("order") == "desc",
            page=bounded_int(page, 10**6, minimum=1) or 1,
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """Return the URL parameters of this query, with some changed (for links)."""
        values = {
            "status": self.status,
            "idle": self.idle_days or "",
            "help": "1" if self.needs_help else "",
            "q": self.search,
            "sort": self.sort,
            "order": "desc" if self.descending else "",
            "page": self.page,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v != "" and not (k == "page" and v == 1)}


@dataclass(frozen=True)
class Page:
    """One page of rows, with where it sits among all matching rows."""

    rows: Sequence[LearnerRow]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        """Return how many pages the matching rows fill (at least one)."""
        return page_count(self.total, self.size)


def page_count(total: int, size: int) -> int:
    """Return how many pages of `size` rows `total` rows fill (at least one)."""
    return max(1, -(-total // size))
