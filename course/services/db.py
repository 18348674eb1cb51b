"""Engines and sessions: SQLite tuned for a single host, PostgreSQL for many."""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Executable,
    Table,
    bindparam,
    create_engine,
    event,
    exc,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, sessionmaker

from . import sqlite_checkpoints
from .models import Base

SQLITE_BUSY_TIMEOUT_MS = 10_000
# A pooled PostgreSQL connection idle this long is tested before use (a server restart or a
# firewall may have dropped it); one used since is trusted, which saves a round trip a request.
PING_AFTER_IDLE_SECONDS = 10.0
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
log = logging.getLogger(__name__)


class WriteLockHeld(RuntimeError):
    """Slow work (hashing, rendering, mail) was asked for while a write transaction was open."""


_held = threading.local()  # .since: when this thread's guarded writer took the lock, or None


def holding_write_lock() -> bool:
    """Tell whether this thread's guarded writer session (a request's) is in a transaction."""
    return getattr(_held, "since", None) is not None


def forbid_write_lock(work: str) -> None:
    """Refuse slow work while this thread's request holds the write lock (SQLite's only one).

    A strict database (the app under test) raises WriteLockHeld; otherwise it is logged.
    """
    if not holding_write_lock():
        return
    if getattr(_held, "strict", False):
        raise WriteLockHeld(f"{work} inside a write transaction")
    log.warning("%s inside a write transaction", work)


def dialect_insert(dialect_name: str, table: Table) -> Any:
    """Return an INSERT that can say ON CONFLICT, in this dialect (for statements built once)."""
    return (postgresql if dialect_name == "postgresql" else sqlite).insert(table)


def prepared(statement: Any, dialect_name: str, keys: Sequence[str]) -> Executable:
    """Compile once a statement SQLAlchemy cannot cache, into SQL text that keeps the types of
    its parameters (`keys`) and of what it returns.

    SQLAlchemy compiles `INSERT ... ON CONFLICT` again at each run (its clause has no cache
    key): a submission's insert cost more to compile than to run.
    """
    dialect = (postgresql if dialect_name == "postgresql" else sqlite).dialect(paramstyle="named")
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    binds = [bindparam(name, type_=bind.type) for name, bind in compiled.binds.items()]
    # text() reads ":name::JSON" as no parameter: say PostgreSQL's casts the standard way.
    sql = re.sub(r"(:\w+)::(\w+)", r"CAST(\1 AS \2)", compiled.string)
    clause = text(sql).bindparams(*binds)
    returning = list(getattr(statement, "_returning", ()))
    return clause.columns(*returning) if returning else clause


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout, foreign keys and a writer's BEGIN
    IMMEDIATE at its first write; PostgreSQL's pooled connections are tested when they come
    back from idling."""
    if not url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _note_use)
        event.listen(engine, "checkin", _note_use)
        event.listen(engine, "checkout", functools.partial(_ping_if_idle, engine.dialect))
        return engine
    engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "before_cursor_execute", _sqlite_lock_at_first_write)
    for ended in ("commit", "rollback"):  # a transaction's checks end with it
        event.listen(engine, ended, _forget_lock_checks)
    event.listen(engine.pool, "checkin", lambda _dbapi, record: _forget_lock_checks(record))
    return engine


def _note_use(_dbapi_connection: Any, record: Any) -> None:
    record.info["used_at"] = time.monotonic()


def _ping_if_idle(dialect: Dialect, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Test a connection back from idling, as pool_pre_ping does; a dead one is replaced (the
    pool tries another)."""
    if time.monotonic() - record.info.get("used_at", 0.0) < PING_AFTER_IDLE_SECONDS:
        return
    try:
        dialect.do_ping(dbapi_connection)
    except dialect.loaded_dbapi.Error as error:
        raise exc.DisconnectionError(str(error)) from error


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, issue BEGIN, so that writers can say BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


_CHECKS = "checks_at_write_lock"  # in a connection's info: what to verify once it locks
_READS = ("SELECT", "PRAGMA")


def _sqlite_lock_at_first_write(
    connection: Any, cursor: Any, statement: str, _params: Any, context: Any, _many: bool
) -> None:
    """Take SQLite's write lock (BEGIN IMMEDIATE) just before a writer's first statement that
    is not a plain read; then run the checks that were waiting for it (`check_at_write_lock`).

    Until then a writer reads as a reader does, each statement its own snapshot, as under
    PostgreSQL's READ COMMITTED: two requests read, check and score at the same time, and only
    their writes take turns. Taking the lock before the first write, never upgrading a read
    transaction, means two writers cannot deadlock. A SELECT ... FOR UPDATE takes it too.
    """
    if cursor.connection.in_transaction or not connection.get_execution_options().get("writer"):
        return
    if statement.lstrip()[:6].upper() in _READS and not _locks_rows(context):
        return
    cursor.execute("BEGIN IMMEDIATE")
    for check in connection.info.pop(_CHECKS, ()):
        check(connection)


def _locks_rows(context: Any) -> bool:
    compiled = getattr(context, "compiled", None)
    return getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None


def _forget_lock_checks(connection: Any) -> None:
    """Drop a connection's waiting checks (its info outlives the transaction, in the pool)."""
    connection.info.pop(_CHECKS, None)


def check_at_write_lock(session: Session, check: Callable[[Connection], None]) -> None:
    """Run `check` on the session's connection as soon as its transaction holds SQLite's write
    lock (now, if it does), before anything is written: a check that raises stops the writes.

    A writer reads before it locks, so what it read may change before it writes; a check
    verifies, under the lock, what the writes rely on (that the account is still signed in).
    """
    connection = session.connection()
    if getattr(connection.connection.driver_connection, "in_transaction", False):
        check(connection)
    else:
        connection.info.setdefault(_CHECKS, []).append(check)


class ReaderWrites(Exception):
    """A reader session was asked to write: the request should have taken a writer."""


def _refuse_writes(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise ReaderWrites("a reader session cannot write: ask for a writer session")


def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReaderWrites("a reader session cannot write: ask for a writer session")


def _clear_writes(connection: Any) -> None:
    connection.info["wrote"] = False


def _note_writes(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if statement.lstrip()[:7].upper().startswith(WRITES):
        connection.info["wrote"] = True


class Database:
    """The app's engine with a session factory for readers and one for writers (on PostgreSQL
    readers run in autocommit and `engine` is the pool's engine made transactional).

    A guarded session (a request's) tells `forbid_write_lock` when it holds the write lock.
    With `checkpoint_seconds`, an SQLite database's log is checkpointed by a thread that often
    (sqlite_checkpoints), not by the commits.
    """

    def __init__(
        self, url: str, *, strict: bool = False, checkpoint_seconds: float = 0, **kwargs: Any
    ) -> None:
        self.url = url
        self.strict = strict
        sqlite = url.startswith("sqlite")
        # Every connection comes from this engine's pool, and every statement goes through its
        # events; readers use it as it is. SQLite's readers never BEGIN (nor its writers, until
        # they write). PostgreSQL's pooled connections rest in autocommit, as readers (most
        # requests) use them; a writer's checkout switches its connection to READ COMMITTED and
        # back, about 90 µs, which readers paid on a 1.4 ms page when they were the ones to
        # switch. One pool, not one per kind, which would double the connections a process holds.
        self.pooled = make_engine(
            url, **({} if sqlite else {"isolation_level": "AUTOCOMMIT"}), **kwargs
        )
        self.engine = self.pooled  # transactions: writers, commands, tests
        if not sqlite:
            self.engine = self.pooled.execution_options(isolation_level="READ COMMITTED")
        self.checkpointer = None
        if sqlite and checkpoint_seconds > 0:
            self.checkpointer = sqlite_checkpoints.install(self.pooled, checkpoint_seconds)
        self.readers = sessionmaker(self.pooled, expire_on_commit=False)
        event.listen(self.readers, "do_orm_execute", _refuse_writes)
        event.listen(self.readers, "before_flush", _refuse_flush)
        self.writers = sessionmaker(
            self.engine.execution_options(writer=True),
            expire_on_commit=False,
            info={"writer": True},
        )
        event.listen(self.writers, "after_begin", self._writer_began)
        event.listen(self.writers, "after_transaction_end", self._writer_ended)
        event.listen(self.engine, "begin", _clear_writes)
        event.listen(self.engine, "after_cursor_execute", _note_writes)

    def session(
        self, *, writer: bool, guarded: bool = False, reads: Connection | None = None
    ) -> Session:
        """Open a session; a writer's transaction takes SQLite's write lock at its first write.

        A reader may be given the connection its request has read on (`reads`) and go on with
        it: one connection a request, and what it reads from one snapshot.
        """
        if writer:
            return self.writers(info={"guarded": guarded})
        return self.readers(info={"guarded": guarded, "writer": False}, bind=reads or self.pooled)

    def reads(self) -> Connection:
        """Open a connection to read on, as readers' sessions have it (pooled; PostgreSQL's
        in autocommit). A bare connection costs less than a session: for the page that is
        served with a single query."""
        return self.pooled.connect()

    def pause(self, session: Session) -> None:
        """End a writer's transaction that wrote nothing, keeping what it loaded, so slow work
        can run holding no lock; its next write takes the lock again."""
        if session.info.get("writes") is not None:
            if session.info["writes"].get("wrote"):
                raise RuntimeError("pausing a transaction that wrote: commit it first")
            session.commit()

    def release(self, session: Session) -> None:
        """End a writer's transaction and make it a reader (refusing writes, taking no lock).

        What it wrote is rolled back, as a request's end would; when it wrote nothing, it is
        committed instead, which keeps the objects it loaded (a rollback would expire them).
        """
        if session.info.get("writes") is not None:
            transaction = session.get_transaction()
            failed = transaction is not None and not transaction.is_active  # a flush failed
            if session.info["writes"].get("wrote") or failed:
                session.rollback()
            else:
                session.commit()
        session.bind = self.pooled  # as readers have it
        session.info["writer"] = False
        if not event.contains(session, "before_flush", _refuse_flush):  # a reader now
            event.listen(session, "do_orm_execute", _refuse_writes)
            event.listen(session, "before_flush", _refuse_flush)

    def _writer_began(self, session: Session, _transaction: Any, connection: Any) -> None:
        session.info["writes"] = connection.info
        if session.info.get("guarded") and session.info.get("writer") and not holding_write_lock():
            _held.since = time.monotonic()
            _held.strict = self.strict

    def _writer_ended(self, session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:
            session.info.pop("writes", None)
        if transaction.parent is None and session.info.get("guarded"):
            _held.since = None

    def create_all(self) -> None:
        """Create every table (tests and first run; migrations are the way in production)."""
        Base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        """Close every pooled connection (and stop checkpointing)."""
        if self.checkpointer is not None:
            self.checkpointer.stop()
        self.pooled.dispose()
