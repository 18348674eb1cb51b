"""Hot reads run on the driver's cursor, compiled by SQLAlchemy once per dialect (issue 15).

Every page reads the viewer's session (and a learner's progress) first. Run through a
SQLAlchemy `Connection`, that one small query cost more Python than everything else the step
page does with the database: the statement's cache key, its parameters, its execution context
and result object are built anew at each run. A `DriverQuery` keeps what SQLAlchemy compiled
for the dialect (the SQL, the order of its parameters) and hands it to the driver's cursor,
then converts each column as SQLAlchemy would have, with the type's own result processor
(SQLite's dates and JSON, for instance). What the query returns is what `execute` returned.

The engine's statement events see each query (the statement logs count it), and a driver's
error is handled as SQLAlchemy handles it: wrapped, and a lost connection invalidated
(`on_driver`, which the hot inserts of driver_inserts.py share).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.selectable import SelectBase

Processor = Callable[[Any], Any] | None
T = TypeVar("T")


def on_driver(connection: Connection, sql: str, values: Any, fetch: Callable[[Any], T]) -> T:
    """Run one statement on the driver's cursor and return what `fetch` reads of it.

    The engine's statement events see it as they see SQLAlchemy's own (the statement logs,
    SQLite's write lock at a writer's first write), and a driver's error is handled as
    SQLAlchemy's execution handles it: wrapped, and a lost connection invalidated so that the
    pool replaces it.
    """
    driver = connection.connection.driver_connection
    assert driver is not None
    events = connection.dispatch
    cursor = driver.cursor()
    try:
        events.before_cursor_execute(connection, cursor, sql, values, None, False)
        cursor.execute(sql, values)
        events.after_cursor_execute(connection, cursor, sql, values, None, False)
        return fetch(cursor)
    except connection.dialect.loaded_dbapi.Error as error:
        connection._handle_dbapi_exception(error, sql, values, cursor, None)
        raise  # not reached: the line above raises
    finally:
        cursor.close()


@dataclass(frozen=True)
class _Plan:
    """A statement compiled for one dialect: its SQL, how to lay out its parameters, the types
    of its columns."""

    sql: str
    names: tuple[str, ...]  # the parameters in the order the SQL takes them
    positional: bool
    constants: Mapping[str, Any]  # values the statement binds itself
    types: tuple[Any, ...]  # the columns' SQLAlchemy types


class DriverQuery:
    """A SELECT whose rows are read on the driver's cursor (see the module's docstring)."""

    def __init__(self, statement: SelectBase) -> None:
        self.statement = statement
        self._plans: dict[str, _Plan] = {}
        self._processors: dict[str, tuple[Processor, ...]] = {}

    def first(self, connection: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """Return the first row (None if there is none), its values converted as SQLAlchemy's."""
        rows = self.rows(connection, params, first=True)
        return rows[0] if rows else None

    def rows(
        self, connection: Connection, params: Mapping[str, Any], *, first: bool = False
    ) -> list[tuple[Any, ...]]:
        """Return the rows (only the first with `first`), their values converted as
        SQLAlchemy's. The engine's statement events see the query, as they see the others."""
        dialect = connection.dialect
        plan = self._plans.get(dialect.name) or self._plan(dialect)
        if plan.positional:
            values: Any = tuple(params[n] if n in params else plan.constants[n] for n in plan.names)
        else:
            values = {n: params[n] if n in params else plan.constants[n] for n in plan.names}
        found, description = on_driver(connection, plan.sql, values, _one if first else _all)
        processors = self._processors.get(dialect.name) or self._learn(dialect, description)
        return [
            tuple(v if p is None else p(v) for p, v in zip(processors, row, strict=True))
            for row in found
            if row is not None
        ]

    def _plan(self, dialect: Dialect) -> _Plan:
        compiled = self.statement.compile(dialect=dialect)
        names = tuple(compiled.positiontup or compiled.binds)
        escaped: Mapping[str, str] = compiled.escaped_bind_names or {}
        if any(escaped.get(n, n) != n for n in names):
            raise ValueError("a DriverQuery's parameters need plain names")
        plan = _Plan(
            sql=compiled.string,
            names=names,
            positional=compiled.positional,
            constants={n: b.effective_value for n, b in compiled.binds.items() if not b.required},
            types=tuple(c.type for c in compiled._result_columns),
        )
        if any(compiled._bind_processors.get(n) for n in names):
            raise ValueError("a DriverQuery's parameters must go to the driver as they are")
        self._plans[dialect.name] = plan
        return plan

    def _learn(self, dialect: Dialect, description: Any) -> tuple[Processor, ...]:
        """Choose each column's processor, by its type and by what the driver says it returns
        (PostgreSQL's numbers, say, in the cursor's description), once: a query's columns keep
        their types."""
        plan = self._plans[dialect.name]
        kinds = [d[1] for d in description]
        processors = tuple(
            t._cached_result_processor(dialect, kind)
            for t, kind in zip(plan.types, kinds, strict=True)
        )
        self._processors[dialect.name] = processors
        return processors


def _one(cursor: Any) -> tuple[list[Any], Any]:
    return [cursor.fetchone()], cursor.description


def _all(cursor: Any) -> tuple[list[Any], Any]:
    return cursor.fetchall(), cursor.description
