"""Hot inserts run on the driver's cursor, compiled by SQLAlchemy once per dialect (issue 15).

A quiz submission writes a row for each answer and a learning event for each, each event also
queued for the LRS. Through SQLAlchemy's executemany, the statements' cache keys, execution
contexts and "insert many values" batches cost more than the rows: the events alone took a
quarter of a submission's work. A `DriverInsert` keeps the INSERT SQLAlchemy compiled for the
dialect, converts each value with its column type's own bind processor (JSON, dates), and runs
it on the driver's cursor through `on_driver`: the engine's statement events see it (SQLite's
write lock is taken at it as at any first write) and a driver's error is SQLAlchemy's. On
SQLite the statement is an `INSERT ... VALUES (...), (...)` compiled once per number of rows;
on PostgreSQL the rows go as one JSON parameter that `json_to_recordset` reads.
With `returning`, it returns that column of the new rows, in no particular order (neither
SQLite nor PostgreSQL promises one).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, Table, bindparam
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from .db import ReaderWrites, dialect_insert
from .driver_queries import on_driver

Processor = Callable[[Any], Any] | None
_NOTHING = object()  # no value converted yet


@dataclass(frozen=True)
class _Plan:
    """An insert of some number of rows compiled for one dialect."""

    sql: str
    slots: tuple[tuple[int, int], ...]  # each parameter's (row, column), in the SQL's order
    names: tuple[str, ...]  # the parameters' names, for a driver that takes them by name
    positional: bool


class DriverInsert:
    """Rows of some columns of a table, inserted in one statement (see the module's docstring)."""

    def __init__(
        self,
        table: Table,
        columns: Sequence[str],
        *,
        returning: str | None = None,
        skip_conflicts: bool = False,
        within: str = "{insert}",
    ):
        """With `skip_conflicts`, a row that would break a unique constraint is left out
        (`ON CONFLICT DO NOTHING`; `returning` tells which went in). `within`, PostgreSQL's
        only: the statement the insert goes in, as `{insert}` (a data-modifying WITH that
        writes other rows from the new ones, for instance)."""
        self.table = table
        self.columns = tuple(columns)
        self.returning = returning
        self.skip_conflicts = skip_conflicts
        self.within = within
        self._plans: dict[tuple[str, int], _Plan] = {}
        self._processors: dict[str, tuple[Processor, ...]] = {}
        self._statements: dict[str, str] = {}  # PostgreSQL's, whatever the number of rows
        # The model's own defaults, for the columns a row leaves out (an outbox row's tries).
        self._defaults = {
            c: self.table.c[c].default.arg  # type: ignore[union-attr]
            for c in self.columns
            if getattr(self.table.c[c].default, "is_scalar", False)
        }

    def run(self, db: Session, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
        """Insert the rows (each a mapping of the columns); return the `returning` column of
        the new rows, in no particular order (nothing without `returning`)."""
        if not rows:
            return []
        if db.info.get("writer") is False:
            raise ReaderWrites("a reader session cannot write: ask for a writer session")
        if self._defaults:
            rows = [{**self._defaults, **row} for row in rows]
        connection = db.connection()
        dialect = connection.dialect
        converted = self._convert(dialect, rows)
        if dialect.name == "postgresql":
            sql = self._statements.get(dialect.name) or self._recordset_sql(dialect)
            values: Any = self._recordset_params(converted)
        else:
            plan = self._plans.get((dialect.name, len(rows))) or self._plan(dialect, len(rows))
            sql = plan.sql
            flat = [converted[r][c] for r, c in plan.slots]
            values = tuple(flat) if plan.positional else dict(zip(plan.names, flat, strict=True))
        returned = on_driver(connection, sql, values, _returned)
        return [value for (value,) in returned]

    def _recordset_params(self, converted: Sequence[Sequence[Any]]) -> dict[str, str]:
        """The rows (their values converted) as one JSON text: `_recordset_sql`'s parameter."""
        rows = [dict(zip(self.columns, row, strict=True)) for row in converted]
        return {"rows": json.dumps(rows, default=_iso, separators=(",", ":"))}

    def _convert(self, dialect: Dialect, rows: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
        """Each row's values, in the columns' order, as the driver takes them (a value the row
        before held too, as the request's time in every event, converted once)."""
        processors = self._processors.get(dialect.name) or self._learn(dialect)
        done: list[tuple[Any, Any]] = [(_NOTHING, None)] * len(self.columns)
        converted = []
        for row in rows:
            values = []
            for i, (column, process) in enumerate(zip(self.columns, processors, strict=True)):
                value = row[column]
                if process is not None:
                    before, after = done[i]
                    if value is not before:
                        done[i] = (value, after := process(value))
                    value = after
                values.append(value)
            converted.append(values)
        return converted

    def _recordset_sql(self, dialect: Dialect) -> str:
        """PostgreSQL's insert of the rows read from one JSON parameter, `rows`: the same SQL
        whatever the number of rows, parsed once by psycopg and prepared by the server (a
        VALUES list past 50 parameters is parsed again at every run, and psycopg dumps an array
        of text in Python, element by element)."""
        typed = ", ".join(
            f"{c} {self.table.c[c].type.compile(dialect=dialect)}" for c in self.columns
        )
        picked = ", ".join(
            # A JSON null stays a JSON null, as SQLAlchemy stores None, not an SQL NULL.
            f"COALESCE(r.{c}, 'null'::json)" if self._is_json(c) else f"r.{c}"
            for c in self.columns
        )
        # Only the table's own names go into the SQL (nosec); the rows are a parameter.
        rows = f"SELECT {picked} FROM json_to_recordset(CAST(%(rows)s AS JSON)) AS r({typed})"  # nosec B608
        insert = f"INSERT INTO {self.table.name} ({', '.join(self.columns)}) {rows}"
        if self.skip_conflicts:
            insert += " ON CONFLICT DO NOTHING"
        if self.returning is not None:
            insert += f" RETURNING {self.returning}"
        found = self._statements[dialect.name] = self.within.format(insert=insert)
        return found

    def _is_json(self, column: str) -> bool:
        return isinstance(self.table.c[column].type, JSON)

    def _plan(self, dialect: Dialect, count: int) -> _Plan:
        rows: list[dict[str, Any]] = [
            {c: bindparam(f"{c}_{r}") for c in self.columns} for r in range(count)
        ]
        statement = dialect_insert(dialect.name, self.table).values(rows)
        if self.skip_conflicts:
            statement = statement.on_conflict_do_nothing()
        if self.returning is not None:
            statement = statement.returning(self.table.c[self.returning])
        compiled = statement.compile(dialect=dialect)
        names = tuple(compiled.positiontup or compiled.binds)
        where = {f"{c}_{r}": (r, i) for r in range(count) for i, c in enumerate(self.columns)}
        escaped: Mapping[str, str] = compiled.escaped_bind_names or {}
        if any(escaped.get(n, n) != n or n not in where for n in names):
            raise ValueError("a DriverInsert's columns need plain names")
        plan = _Plan(
            sql=compiled.string,
            slots=tuple(where[n] for n in names),
            names=names,
            positional=compiled.positional,
        )
        self._plans[(dialect.name, count)] = plan
        return plan

    def _learn(self, dialect: Dialect) -> tuple[Processor, ...]:
        """Each column's bind processor; on PostgreSQL a JSON value goes as it is, inside the
        rows' JSON text."""
        processors = tuple(
            None
            if dialect.name == "postgresql" and self._is_json(c)
            else self.table.c[c].type._cached_bind_processor(dialect)
            for c in self.columns
        )
        self._processors[dialect.name] = processors
        return processors


def _returned(cursor: Any) -> list[Any]:
    """The rows the statement returned: none without RETURNING (or `within` one of its own)."""
    return cursor.fetchall() if cursor.description is not None else []


def _iso(value: Any) -> str:
    """A date or time inside the rows' JSON text, as PostgreSQL reads it."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot go into a row's JSON text")
