"""Bulk writers for demo rows: multi-row INSERTs on SQLite, COPY on PostgreSQL.

Both take rows as dicts of column values and insert them in the session's transaction; `ids`
also returns the new rows' ids in order. On PostgreSQL the ids are reserved from the table's
sequence first, so rows can go through COPY, which returns nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from sqlalchemy import JSON, text
from sqlalchemy.orm import Session

from course.services.snapshots import bulk


class Writer(Protocol):
    def ids(self, model: Any, rows: list[dict[str, Any]]) -> list[int]: ...

    def rows(self, model: Any, rows: Sequence[dict[str, Any]]) -> None: ...


class InsertWriter:
    """Multi-row INSERT statements (executemany), the portable path."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def ids(self, model: Any, rows: list[dict[str, Any]]) -> list[int]:
        """Insert rows and return their ids, in order."""
        if not rows:
            return []
        statement = bulk(model).returning(model.id, sort_by_parameter_order=True)
        return list(self.db.scalars(statement, rows))

    def rows(self, model: Any, rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows."""
        if rows:
            self.db.execute(bulk(model), rows)


class CopyWriter:
    """PostgreSQL's COPY through psycopg, in the session's transaction."""

    def __init__(self, db: Session) -> None:
        self.db = db
        db.flush()  # what the session holds goes first: the copied rows may refer to it
        self.connection: Any = db.connection().connection.driver_connection

    def ids(self, model: Any, rows: list[dict[str, Any]]) -> list[int]:
        """Reserve ids from the table's sequence, then copy the rows with them."""
        if not rows:
            return []
        found = self.db.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": model.__tablename__, "n": len(rows)},
        )
        ids = [row[0] for row in found]
        self.rows(model, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
        return ids

    def rows(self, model: Any, rows: Sequence[dict[str, Any]]) -> None:
        """Copy rows into the model's table."""
        if not rows:
            return
        columns = list(rows[0])
        table = getattr(model, "__table__", model)  # a mapped class or a table
        as_json = [isinstance(table.c[name].type, JSON) for name in columns]
        names = ", ".join(f'"{name}"' for name in columns)
        with (
            self.connection.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(value) if dump and value is not None else value
                        for dump, value in zip(as_json, row.values(), strict=True)
                    ]
                )


# The tables a demo fills by the million (item sums: a holder row per learner and misconception).
BULK_TABLES = (
    "step_completions",
    "attempts",
    "submissions",
    "answers",
    "events",
    "first_attempt_sums",
)


@contextmanager
def bulk_load(db: Session, large: bool) -> Iterator[None]:
    """On PostgreSQL, for a large load: drop the bulk tables' keys, constraints and secondary
    indexes (and the foreign keys that refer to them), let the caller insert its rows, then build
    them again from their definitions: sorting once beats updating an index row by row, twice as
    fast even for a primary key, and the foreign keys are checked again as they come back.
    The whole is one transaction: a failure leaves the schema as it was. Any load on PostgreSQL
    ends with ANALYZE, so the planner knows the new sizes at once."""
    if db.get_bind().dialect.name != "postgresql":
        yield
        return
    if not large:
        yield
        analyze(db)
        return
    tables = {"tables": list(BULK_TABLES)}
    constraints = db.execute(
        text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE (conrelid::regclass::text = ANY(:tables) AND contype IN ('f', 'p', 'u'))"
            " OR (confrelid::regclass::text = ANY(:tables) AND contype = 'f')"
            " ORDER BY contype, conname"  # foreign keys go first and come back last
        ),
        tables,
    ).all()
    indexes = db.execute(
        text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(:tables)"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        ),
        tables,
    ).all()
    for table, name, _ in constraints:
        db.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    for name, _ in indexes:
        db.execute(text(f'DROP INDEX "{name}"'))
    yield
    db.flush()
    # Sorting 10 million keys in memory takes half the time of an external sort. For this
    # transaction only, and a parallel build shares it among its workers.
    db.execute(text("SET LOCAL maintenance_work_mem = '1GB'"))
    for table, name, definition in reversed(constraints):
        if not definition.startswith("FOREIGN KEY"):
            db.execute(text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
    for _, definition in indexes:
        db.execute(text(definition))
    for table, name, definition in reversed(constraints):
        if definition.startswith("FOREIGN KEY"):
            db.execute(text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
    analyze(db)


def analyze(db: Session) -> None:
    """Tell PostgreSQL's planner the demo tables' new sizes (nothing to do on SQLite)."""
    if db.get_bind().dialect.name != "postgresql":
        return
    db.flush()
    for table in ("users", "cohort_memberships", *BULK_TABLES):
        db.execute(text(f"ANALYZE {table}"))


def writer(db: Session) -> Writer:
    """Return the fastest writer the session's database allows."""
    if db.get_bind().dialect.name == "postgresql":
        return CopyWriter(db)
    return InsertWriter(db)
