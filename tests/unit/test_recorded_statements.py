"""The statement counter of the tests leaves out what other threads run on the engine."""

from __future__ import annotations

import threading

from sqlalchemy import create_engine, text

from course.services.statement_log import recorded


def test_only_the_test_threads_statements_are_recorded() -> None:
    engine = create_engine("sqlite://")

    def elsewhere() -> None:  # as SQLite's checkpoint thread does, on the same engine
        with engine.connect() as other:
            other.execute(text("SELECT 2"))

    with recorded(engine) as statements, engine.connect() as connection:
        connection.execute(text("SELECT   1"))
        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
    assert statements == ["SELECT 1"]
