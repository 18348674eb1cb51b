"""Engines and sessions: SQLite tuned for a single host, PostgreSQL for many."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from .models import Base

SQLITE_BUSY_TIMEOUT_MS = 10_000


def conflict_insert(db: Session, table: Table) -> Any:
    """Return an INSERT that can say ON CONFLICT, in the dialect of the session's engine."""
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


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
    # A writer takes the write lock up front, so two writers never deadlock on an upgrade. A
    # reader opens no transaction: each statement reads its own snapshot, as under PostgreSQL's
    # READ COMMITTED, and a request saves a BEGIN and a ROLLBACK.
    if connection.get_execution_options().get("writer"):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class ReaderWrites(Exception):
    """A reader session was asked to write: the request should have taken a writer."""


def _refuse_writes(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise ReaderWrites("a reader session cannot write: ask for a writer session")


def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReaderWrites("a reader session cannot write: ask for a writer session")


class Database:
    """The app's engine with a session factory for readers and one for writers.

    Readers run without a transaction (autocommit): each statement sees the latest committed
    data, as PostgreSQL's READ COMMITTED gives inside a transaction anyway, and a request saves
    the BEGIN and ROLLBACK round trips. A reader session refuses to write.
    """

    def __init__(self, url: str, **kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **kwargs)
        reading = self.engine
        if not url.startswith("sqlite"):  # SQLite readers skip BEGIN in _sqlite_on_begin
            reading = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.readers = sessionmaker(reading, expire_on_commit=False)
        event.listen(self.readers, "do_orm_execute", _refuse_writes)
        event.listen(self.readers, "before_flush", _refuse_flush)
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
