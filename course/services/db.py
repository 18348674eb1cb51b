"""Engines and sessions: SQLite tuned for a single host, PostgreSQL for many."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from .models import Base

SQLITE_BUSY_TIMEOUT_MS = 10_000


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout, foreign keys and explicit BEGINs."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, **kwargs)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, issue BEGIN, so that writers can say BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    # A writer takes the write lock up front, so two writers never deadlock on an upgrade.
    mode = "IMMEDIATE" if connection.get_execution_options().get("writer") else "DEFERRED"
    connection.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """The app's engine with a session factory for readers and one for writers."""

    def __init__(self, url: str, **kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **kwargs)
        self.readers = sessionmaker(self.engine, expire_on_commit=False)
        self.writers = sessionmaker(
            self.engine.execution_options(writer=True),
            expire_on_commit=False,
            info={"writer": True},
        )

    def session(self, *, writer: bool) -> Session:
        """Open a session; a writer's transaction takes the write lock at once on SQLite."""
        return (self.writers if writer else self.readers)()

    def create_all(self) -> None:
        """Create every table (tests and first run; migrations are the way in production)."""
        Base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
