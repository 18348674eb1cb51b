"""PostgreSQL's pooled connections: tested when back from idling, trusted when used just now."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from course.services import db as db_module
from course.services.db import Database


def _backend(database: Database) -> int:
    with database.engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _pings(database: Database, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    dialect = database.engine.dialect
    real = dialect.do_ping

    def counted(connection: object) -> bool:
        calls.append(connection)
        return real(connection)

    monkeypatch.setattr(dialect, "do_ping", counted)
    return calls


def test_a_connection_used_just_now_is_not_pinged(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database(postgres_url)
    pings = _pings(database, monkeypatch)
    first = _backend(database)
    assert _backend(database) == first  # the same pooled connection, back at once
    assert pings == []
    database.dispose()


def test_a_connection_dropped_while_idle_is_replaced_without_an_error(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database(postgres_url)
    pings = _pings(database, monkeypatch)
    dropped = _backend(database)
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:  # as a server restart or a firewall would
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})
    admin.dispose()
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 0.0)  # it has idled long enough
    assert _backend(database) != dropped
    assert len(pings) >= 1
    database.dispose()
