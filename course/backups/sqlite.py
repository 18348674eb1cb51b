"""SQLite: SQLite's online backup API, in both directions.

A backup copies every page in one step, inside one read transaction: with the app's WAL journal
the app keeps reading and writing meanwhile, and the copy is the database as of one commit.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import make_url

from course.services.db import SQLITE_BUSY_TIMEOUT_MS

from .errors import BackupError

MAGIC = b"SQLite format 3\x00"
# Every connection to a WAL database holds a shared lock on this byte of its "-shm" file for as
# long as it is open (SQLite's os_unix.c: UNIX_SHM_DMS).
SHM_DMS_BYTE = 128


def database_path(url: str) -> Path:
    """Return the file a sqlite:/// URL names."""
    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"DATABASE_URL names no SQLite file: {url}")
    return Path(name)


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    target = f"file:{quote(str(path.resolve()))}?mode={'ro' if read_only else 'rwc'}"
    try:
        connection = sqlite3.connect(target, uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as error:
        raise BackupError(f"Cannot open {path}: {error}.") from None
    try:
        yield connection
    except sqlite3.Error as error:
        raise BackupError(f"{path}: {error}.") from None
    finally:
        connection.close()


def backup(url: str, draft: Path) -> str | None:
    """Copy the live database into `draft`, check the copy and return its schema revision."""
    source = database_path(url)
    if not source.is_file():
        raise BackupError(f"No database at {source}: nothing to back up.")
    with _connect(source) as live, _connect(draft) as copy:
        live.backup(copy)  # pages=-1: every page in one step, so the copy is one snapshot
        # One self-contained file: the copy keeps no -wal beside it.
        copy.execute("PRAGMA journal_mode = DELETE")
        _check(copy, draft)
        revision = _revision(copy)
    return revision


def _check(connection: sqlite3.Connection, path: Path) -> None:
    found = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if found != ["ok"]:
        raise BackupError(f"{path} is damaged (integrity_check: {'; '.join(found[:3])}).")


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:  # no such table
        return None
    return str(row[0]) if row else None


def read_revision(source: Path) -> str | None:
    """Check a backup file's integrity and return its schema revision."""
    with _connect(source, read_only=True) as copy:
        _check(copy, source)
        revision = _revision(copy)
    return revision


def restore(url: str, source: Path) -> None:
    """Write every page of the backup over the live database (the backup API, in reverse)."""
    live_path = database_path(url)
    live_path.parent.mkdir(parents=True, exist_ok=True)
    with _connect(source, read_only=True) as copy, _connect(live_path) as live:
        copy.backup(live)
        live.execute("PRAGMA journal_mode = WAL")
        _check(live, live_path)


def other_process(url: str) -> str | None:
    """Say whether another process has the database open (the app), or None when none has."""
    shm = Path(f"{database_path(url)}-shm")
    if sys.platform != "linux" or not shm.exists():
        return None
    fd = os.open(shm, os.O_RDONLY)
    try:
        # struct flock on Linux: type, whence, start, length, pid. F_GETLK asks who would stop a
        # write lock on the byte every open connection holds shared; it takes no lock itself.
        probe = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, SHM_DMS_BYTE, 1, 0)
        kind, _, _, _, pid = struct.unpack("hhqqi", fcntl.fcntl(fd, fcntl.F_GETLK, probe))
    finally:
        os.close(fd)
    return None if kind == fcntl.F_UNLCK else f"process {pid} has {shm.name[:-4]} open"
