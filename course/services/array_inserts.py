"""PostgreSQL bulk inserts of one array per column, for the rows a request writes.

An executemany costs the driver a parse or a round trip per row, and a VALUES list of N rows
is new SQL for each N (past 50 parameters psycopg parses it again at every run).
`INSERT ... SELECT * FROM unnest(:a, :b, ...)` is the same statement whatever the number of
rows: psycopg parses it once, the server prepares it, and the rows go in one round trip.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, String, Table, TextClause, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY


@dataclass(frozen=True)
class ArrayRows:
    """Rows of some columns of a table, sent as one array per column."""

    table: Table
    columns: tuple[str, ...]

    def statement(self, sql: str) -> TextClause:
        """Return `sql` with `{rows}` standing for `SELECT * FROM unnest(...)` of the arrays."""
        arrays = [
            f"CAST(CAST(:{c} AS TEXT[]) AS JSON[])" if self._is_json(c) else f":{c}"
            for c in self.columns
        ]
        # Only the table's own column names go into the SQL (nosec); the values are parameters.
        rows = f"SELECT * FROM unnest({', '.join(arrays)})"  # nosec B608
        binds = [
            bindparam(c, type_=ARRAY(String if self._is_json(c) else self.table.c[c].type))
            for c in self.columns
        ]
        return text(sql.format(rows=rows)).bindparams(*binds)

    def params(self, rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
        """Turn rows into one list per column (JSON values as their text, None as `null`)."""
        return {
            c: [json.dumps(r[c]) for r in rows] if self._is_json(c) else [r[c] for r in rows]
            for c in self.columns
        }

    def _is_json(self, column: str) -> bool:
        return isinstance(self.table.c[column].type, JSON)
