"""`flask db backup PATH` and `flask db restore PATH`: the whole database, on either engine."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from . import backups
from .database import database
from .schema import code_revisions

UPGRADE = "flask --app app db upgrade"


def _settings() -> tuple[str, str | None]:
    config = current_app.config
    return str(config["DATABASE_URL"]), config.get("PG_BIN_DIR") or None


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _failing_clearly(action: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a BackupError into the command's error message (exit status 1)."""

    @functools.wraps(action)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return action(*args, **kwargs)
        except backups.BackupError as error:
            raise click.ClickException(str(error)) from None

    return run


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@with_appcontext
@_failing_clearly
def db_backup(path: Path, force: bool) -> None:
    """Back the whole database up into PATH, while the app runs."""
    url, bin_dir = _settings()
    report = backups.backup(url, path, force=force, bin_dir=bin_dir)
    click.echo(
        f"Backed up {_shown(url)} to {report.path} ({report.size:,} bytes, "
        f"schema revision {report.revision or 'none'})."
    )


@click.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--force", is_flag=True, help="Restore even though the app seems to be running.")
@with_appcontext
@_failing_clearly
def db_restore(path: Path, yes: bool, force: bool) -> None:
    """Replace the whole database with the backup in PATH (stop the app first)."""
    url, bin_dir = _settings()
    known = code_revisions(url)
    revision = backups.read_backup(url, path, bin_dir=bin_dir)
    status = backups.schema_status(revision, known)
    if status is backups.Schema.MISSING:
        raise click.ClickException(
            f"{path} holds no schema revision (no alembic_version table): it is not a backup of "
            "this app's database."
        )
    if status is backups.Schema.UNKNOWN:
        raise click.ClickException(
            f"{path} is at schema revision {revision}, which this code does not know (its newest "
            f"is {known[-1]}): a newer version of the app made it; restore it with that version."
        )
    database().dispose()  # this command's own pooled connections are not "the app"
    click.echo(
        "Stop the app (every gunicorn and `flask xapi forward`) before restoring: "
        "a restore replaces every table.",
        err=True,
    )
    busy = backups.other_users(url)
    if busy and not force:
        raise click.ClickException(
            f"The app seems to be running: {busy}. Stop it, then restore again "
            "(or give --force to restore all the same)."
        )
    if not yes:
        click.confirm(f"Replace everything in {_shown(url)} with {path}?", abort=True)
    backups.restore(url, path, bin_dir=bin_dir)
    click.echo(f"Restored {path} into {_shown(url)} (schema revision {revision}).")
    if status is backups.Schema.OLDER:
        click.echo(
            f"The backup's schema ({revision}) is older than this code's ({known[-1]}): "
            f"run `{UPGRADE}` before starting the app."
        )
