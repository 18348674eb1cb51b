"""Flask commands: database migrations and backups, accounts and demo data."""

from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import backup_cli, exchange_cli
from .clock import utcnow
from .content.check import main as check_main
from .content.glue import current_course
from .database import database
from .demo import service as demo
from .domain.metrics import Thresholds
from .domain.permissions import ROLES
from .schema import alembic_config
from .services import accounts, cohorts, snapshots

db_cli = AppGroup("db", help="The database: its schema (Alembic), backups and restores.")
users_cli = AppGroup("users", help="Manage accounts.")
course_cli = AppGroup("course", help="Course content and demo data.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Bring the database schema up to REVISION (default: head)."""
    from alembic import command

    command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)
    click.echo(f"Database schema at {revision}.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(list(ROLES)), default="learner", show_default=True)
@click.option("--name", "display_name", default=None, help="Display name (default: the email).")
@click.option("--password", default=None, help="Prompted for when omitted.")
def users_create(email: str, role: str, display_name: str | None, password: str | None) -> None:
    """Create an account with a role (trainers and admins are made only this way)."""
    if password is None:
        password = click.prompt("Mot de passe", hide_input=True, confirmation_prompt=True)
    session = database().session(writer=True)
    try:
        accounts.create_user(
            session,
            email=email,
            display_name=display_name or email.split("@")[0],
            password=password,
            role=role,
            now=utcnow(),
        )
        session.commit()
    except accounts.EmailTaken:
        raise click.ClickException(f"An account already exists for {email}.") from None
    finally:
        session.close()
    click.echo(f"Created {role} {accounts.normalize_email(email)}.")


@course_cli.command("demo")
@click.option("--learners", default=60, show_default=True, help="Synthetic learners to have.")
@click.option("--password", default=None, help="Password of the demo accounts (generated).")
def course_demo(learners: int, password: str | None) -> None:
    """Create the demo trainer and learner, a cohort and N synthetic learners (if missing)."""
    password = password or secrets.token_urlsafe(9)
    session = database().session(writer=True)
    thresholds = Thresholds.from_settings(current_app.config)
    try:
        result = demo.make_demo(
            session,
            current_course(),
            learners=max(0, learners),
            password=password,
            now=utcnow(),
            thresholds=thresholds,
        )
        # Store the dashboard's standings now, so the first view of a big cohort is quick.
        snapshots.refresh(session, current_course(), thresholds, now=utcnow())
        session.commit()
    finally:
        session.close()
    for email in result.created:
        click.echo(f"Demo account: {email}  password: {password}")
    if not result.created:
        click.echo("Demo accounts already exist (their password was printed when made).")
    click.echo(
        f"Cohort « {result.cohort.name} » (code {cohorts.display_code(result.cohort.join_code)}):"
        f" {result.added} synthetic learners added, {result.total} in all"
        + (f" (password of demo-NNNNN@demo.example: {password})" if result.added else "")
        + "."
    )


@course_cli.command("check")
def course_check() -> None:
    """Check the course content (same as python -m course.content check)."""
    raise SystemExit(check_main(["check", str(Path(current_app.config["COURSE_DIR"]))]))


db_cli.add_command(backup_cli.db_backup)
db_cli.add_command(backup_cli.db_restore)


def init_app(app: Flask) -> None:
    """Register the command groups."""
    for group in (db_cli, users_cli, course_cli, exchange_cli.quiz_cli, exchange_cli.xapi_cli):
        app.cli.add_command(group)
