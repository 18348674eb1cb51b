"""Flask commands: database migrations, accounts and demo data."""

from __future__ import annotations

import json
import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import AppGroup

from . import lrs
from .config import REPO_ROOT
from .content.check import main as check_main
from .content.glue import current_course
from .domain.metrics import Thresholds
from .domain.xapi import Activities, Site
from .services import accounts, cohorts, demo, snapshots, xapi
from .web.clock import utcnow
from .web.database import database

db_cli = AppGroup("db", help="Manage the database schema (Alembic).")
users_cli = AppGroup("users", help="Manage accounts.")
course_cli = AppGroup("course", help="Course content and demo data.")
xapi_cli = AppGroup("xapi", help="Learning events as xAPI statements: export, forward to an LRS.")
DEV_SITE = "http://127.0.0.1:5000"


def alembic_config(url: str) -> Config:
    """Return the Alembic configuration for this project and database."""
    cfg = Config()
    cfg.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    cfg.attributes["database_url"] = url
    return cfg


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Bring the database schema up to REVISION (default: head)."""
    command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)
    click.echo(f"Database schema at {revision}.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(accounts.ROLES), default="learner", show_default=True)
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
    try:
        result = demo.make_demo(
            session, current_course(), learners=max(0, learners), password=password, now=utcnow()
        )
        # Store the dashboard's standings now, so the first view of a big cohort is quick.
        thresholds = Thresholds.from_settings(current_app.config)
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


def site() -> Site:
    """Return the public site statements are identified under (PUBLIC_URL)."""
    url = current_app.config.get("PUBLIC_URL")
    if not url:
        click.echo(f"PUBLIC_URL is not set: statements are identified under {DEV_SITE}.", err=True)
    return Site(str(url or DEV_SITE).rstrip("/"))


def parse_since(text: str | None) -> datetime | None:
    """Read --since as an ISO date or date-time (UTC when no offset is given)."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter("give an ISO date, e.g. 2026-12-01 or 2026-12-01T08:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@xapi_cli.command("export")
@click.option("--since", default=None, help="Only events from this ISO date or date-time on.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def xapi_export(since: str | None, output: Path | None) -> None:
    """Write every learning event as an xAPI statement, one JSON object per line."""
    start = parse_since(since)
    activities = Activities(site(), current_course())
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    count = 0
    with database().session(writer=False) as session:
        for statement in xapi.export(session, activities, since=start):
            out.write(json.dumps(statement, ensure_ascii=False) + "\n")
            count += 1
    if output:
        out.close()
        click.echo(f"{count} statement(s) written to {output}.", err=True)


@xapi_cli.command("forward")
@click.option("--loop", is_flag=True, help="Keep running, forwarding statements as they come.")
@click.option("--every", default=5.0, show_default=True, help="Seconds between rounds (--loop).")
def xapi_forward(loop: bool, every: float) -> None:
    """Send queued statements to the LRS (LRS_URL), in batches, retrying with back-off."""
    url = current_app.config.get("LRS_URL")
    if not url:
        raise click.ClickException("LRS_URL is not set: there is no LRS to forward to.")
    target = lrs.Lrs(
        str(url),
        str(current_app.config.get("LRS_USERNAME") or ""),
        str(current_app.config.get("LRS_PASSWORD") or ""),
    )
    here, course = site(), current_course()
    if loop:
        lrs.forward_forever(
            database(), course, here, target, now=utcnow, idle_seconds=every, log=click.echo
        )
    report = lrs.forward_once(database(), course, here, target, now=utcnow)
    click.echo(report.summary())
    if report.failed_batches:
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    """Register the command groups."""
    for group in (db_cli, users_cli, course_cli, xapi_cli):
        app.cli.add_command(group)
