"""Backups of the whole database, and restores, for `flask db backup` and `flask db restore`.

SQLite is copied with SQLite's online backup API (`sqlite.py`), PostgreSQL with `pg_dump` and
`pg_restore` of the server's major version (`postgres.py`). A backup is written aside and moved
into place only once complete, so a file under the asked name is always a whole backup.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from sqlalchemy.engine import make_url

from . import postgres, sqlite
from .errors import BackupError

__all__ = [
    "BackupError",
    "BackupReport",
    "Schema",
    "backup",
    "engine_of",
    "other_users",
    "read_backup",
    "restore",
    "schema_status",
]


class Schema(Enum):
    """How a backup's schema revision compares with the code's."""

    CURRENT = "current"
    OLDER = "older"  # restore, then `flask db upgrade`
    UNKNOWN = "unknown"  # made by a newer version of the code
    MISSING = "missing"  # no alembic_version: not a database made by this app


@dataclass(frozen=True)
class BackupReport:
    path: Path
    engine: str  # "sqlite" | "postgresql"
    revision: str | None
    size: int


def engine_of(url: str) -> str:
    """Return the engine a database URL names: "sqlite" or "postgresql"."""
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups handle SQLite and PostgreSQL, not {backend}.")
    return backend


def schema_status(revision: str | None, known: Sequence[str]) -> Schema:
    """Compare a backup's schema revision with the code's revisions (oldest first)."""
    if revision is None:
        return Schema.MISSING
    if revision not in known:
        return Schema.UNKNOWN
    return Schema.CURRENT if revision == known[-1] else Schema.OLDER


def backup(
    url: str, target: Path, *, force: bool = False, bin_dir: str | None = None
) -> BackupReport:
    """Back the database up into `target` (refused if it exists, unless `force`)."""
    engine = engine_of(url)
    if target.is_dir():
        raise BackupError(f"{target} is a folder: give the backup file's name.")
    if target.exists() and not force:
        raise BackupError(f"{target} already exists; give --force to replace it.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    draft = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    try:
        if engine == "sqlite":
            revision = sqlite.backup(url, draft)
        else:
            revision = postgres.backup(url, draft, bin_dir)
        _place(draft, target, force=force)
    finally:
        draft.unlink(missing_ok=True)
    return BackupReport(target, engine, revision, target.stat().st_size)


def _place(draft: Path, target: Path, *, force: bool) -> None:
    """Move a finished backup to its name: replacing only when forced, and never half-written."""
    with draft.open("rb") as file:
        os.fsync(file.fileno())
    if force:
        os.replace(draft, target)
        return
    try:
        os.link(draft, target)  # fails, rather than overwrites, if the name appeared meanwhile
    except FileExistsError:
        raise BackupError(f"{target} already exists; give --force to replace it.") from None


def read_backup(url: str, source: Path, *, bin_dir: str | None = None) -> str | None:
    """Check that `source` is a backup for this database's engine; return its schema revision."""
    engine = engine_of(url)
    if not source.exists():
        raise BackupError(f"No backup at {source}.")
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    kind = _kind(source)
    if kind is None:
        raise BackupError(
            f"{source} is not a backup made by `flask db backup` "
            "(neither a SQLite database nor a pg_dump custom-format archive)."
        )
    if kind != engine:
        raise BackupError(
            f"{source} is a {_NAMES[kind]} backup, but DATABASE_URL points to {_NAMES[engine]}: "
            f"restore it into a {_NAMES[kind]} database."
        )
    if engine == "sqlite":
        return sqlite.read_revision(source)
    return postgres.read_revision(url, source, bin_dir)


_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _kind(source: Path) -> str | None:
    with source.open("rb") as file:
        head = file.read(len(sqlite.MAGIC))
    if head.startswith(sqlite.MAGIC):
        return "sqlite"
    if head.startswith(postgres.MAGIC):
        return "postgresql"
    return None


def other_users(url: str) -> str | None:
    """Say who else is using the database (the app, still running), or None."""
    if engine_of(url) == "sqlite":
        return sqlite.other_process(url)
    return postgres.other_sessions(url)


def restore(url: str, source: Path, *, bin_dir: str | None = None) -> None:
    """Replace the whole database with the backup's content (checked by `read_backup` first)."""
    if engine_of(url) == "sqlite":
        sqlite.restore(url, source)
    else:
        postgres.restore(url, source, bin_dir)
