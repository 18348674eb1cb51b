"""PostgreSQL: `pg_dump` (custom format) and `pg_restore`, of the server's major version.

pg_dump reads one snapshot, so the app may keep writing during a backup. The tools are looked
for in PG_BIN_DIR when it is set, else in Debian's /usr/lib/postgresql/<major>/bin, then on PATH;
one of another major version is refused (a newer one writes settings an older server rejects).
They run from argument lists, never through a shell (hence bandit's B404 and B603 marked).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess  # nosec B404
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from course.services.models import Base

from .errors import BackupError

MAGIC = b"PGDMP"
SEARCH = ("/usr/lib/postgresql/{major}/bin", "/usr/pgsql-{major}/bin")


def _connection(url: str) -> tuple[str, dict[str, str]]:
    """Return a libpq connection URI for the tools, and their environment (the password)."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)  # not on the command line, where ps shows it
    uri = parsed.set(drivername="postgresql", password=None)
    return uri.render_as_string(hide_password=False), env


def server_major(url: str) -> int:
    """Return the server's major version (15 for 15.20)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            version = connection.dialect.server_version_info
    except SQLAlchemyError as error:
        raise BackupError(f"Cannot reach the database: {error.__cause__ or error}") from None
    finally:
        engine.dispose()
    assert version is not None
    return int(version[0])


def tool_major(path: str) -> int | None:
    """Return the major version a PostgreSQL client tool reports, or None if it does not run."""
    try:
        # A PostgreSQL tool found on disk, run from an argument list without a shell.
        done = subprocess.run(  # nosec B603
            [path, "--version"], capture_output=True, text=True, check=False, timeout=30
        )
    except OSError:
        return None
    found = re.search(r"\(PostgreSQL\) (\d+)", done.stdout)
    return int(found.group(1)) if found else None


def find_tool(name: str, major: int, bin_dir: str | None = None) -> str:
    """Find pg_dump or pg_restore of this major version, or say how to install it."""
    places = [bin_dir] if bin_dir else [p.format(major=major) for p in SEARCH]
    candidates = [str(Path(place) / name) for place in places]
    on_path = None if bin_dir else shutil.which(name)
    if on_path:
        candidates.append(on_path)
    seen = []
    for candidate in candidates:
        if not os.access(candidate, os.X_OK):
            continue
        found = tool_major(candidate)
        if found == major:
            return candidate
        seen.append(f"{candidate} is version {found}")
    where = f"in PG_BIN_DIR ({bin_dir})" if bin_dir else "on this machine"
    raise BackupError(
        f"{name} for PostgreSQL {major} (the server's version) was not found {where}"
        + (f" ({'; '.join(seen)})" if seen else "")
        + f". Install PostgreSQL {major}'s client tools (Debian, Ubuntu: apt-get install "
        f"postgresql-client-{major}; elsewhere your system's PostgreSQL {major} client package), "
        "or set PG_BIN_DIR to the folder that holds them."
    )


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    # pg_dump or pg_restore of the server's version, from an argument list without a shell.
    done = subprocess.run(  # nosec B603
        command, capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def backup(url: str, draft: Path, bin_dir: str | None) -> str | None:
    """Dump the database into `draft` (custom format); return the schema revision dumped."""
    tool = find_tool("pg_dump", server_major(url), bin_dir)
    target, env = _connection(url)
    _run([tool, "--format=custom", f"--file={draft}", f"--dbname={target}"], env, "pg_dump")
    return read_revision(url, draft, bin_dir)


def read_revision(url: str, source: Path, bin_dir: str | None) -> str | None:
    """Return the schema revision kept in a dump (its alembic_version row), or None."""
    tool = find_tool("pg_restore", server_major(url), bin_dir)
    _, env = _connection(url)
    script = _run(
        [tool, "--data-only", "--table=alembic_version", "--file=-", str(source)],
        env,
        "pg_restore (reading the backup)",
    )
    lines = iter(script.splitlines())
    for line in lines:
        if line.startswith("COPY ") and "alembic_version" in line:
            row = next(lines, "\\.")
            return None if row == "\\." else row.strip()
    return None


def other_sessions(url: str) -> str | None:
    """Say how many other sessions are connected to the database (the app's), or None."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            count = connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
    except SQLAlchemyError as error:
        raise BackupError(f"Cannot reach the database: {error.__cause__ or error}") from None
    finally:
        engine.dispose()
    return f"{count} other session(s) are connected to the database" if count else None


def restore(url: str, source: Path, bin_dir: str | None) -> None:
    """Replace the database's tables by the dump's, in one transaction of pg_restore."""
    tool = find_tool("pg_restore", server_major(url), bin_dir)
    target, env = _connection(url)
    listing = _run([tool, "--list", str(source)], env, "pg_restore (reading the backup)")
    _drop_tables_not_in(url, set(re.findall(r" TABLE \S+ (\S+) ", listing)))
    _run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={target}",
            str(source),
        ],
        env,
        "pg_restore",
    )


def _drop_tables_not_in(url: str, dumped: set[str]) -> None:
    """Drop the app's tables that the dump lacks (made by later migrations than the dump's).

    Otherwise they would survive the restore, and `flask db upgrade` would fail to create them.
    """
    ours = {table.name for table in Base.metadata.sorted_tables} | {"alembic_version"}
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            extra = (set(inspect(connection).get_table_names()) & ours) - dumped
            for name in sorted(extra):
                connection.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
    finally:
        engine.dispose()
