"""Record the SQL statements one thread runs on an engine (tests and benchmarks count them)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event


@contextmanager
def recorded(engine: Engine) -> Iterator[list[str]]:
    """Collect, whitespace folded, the statements this thread runs on `engine` inside the block
    (for an app, its Database's `pooled` engine, whose events see every statement).

    The statements of other threads are left out: SQLite's checkpoint thread
    (course/services/sqlite_checkpoints.py) runs on the same engine every few seconds, and a
    count that took its statement in would depend on the clock.
    """
    statements: list[str] = []
    thread = threading.get_ident()

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.get_ident() == thread:
            statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)
