"""Flask commands that exchange data with other systems: xAPI statements and GIFT banks."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from . import lrs
from .clock import utcnow
from .content import gift
from .content.glue import current_course
from .content.loader import load_course
from .content.yamlio import dump_yaml
from .database import database
from .domain.xapi import Activities, Site
from .services import xapi

quiz_cli = AppGroup("quiz", help="Question banks in Moodle's GIFT format, in and out.")
xapi_cli = AppGroup("xapi", help="Learning events as xAPI statements: export, forward to an LRS.")
DEV_SITE = "http://127.0.0.1:5000"


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


@quiz_cli.command("import-gift")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "quiz_id", required=True, help="The new quiz's id.")
@click.option("--module", "module_id", required=True, help="The module the quiz belongs to.")
@click.option("--title", default=None, help="The quiz's title (default: its id).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def quiz_import_gift(
    source: Path, quiz_id: str, module_id: str, title: str | None, output: Path | None, force: bool
) -> None:
    """Turn a GIFT file into a quiz file (default: quizzes/QUIZ_ID.yaml of the course)."""
    course_dir = Path(current_app.config["COURSE_DIR"])
    target = output or course_dir / "quizzes" / f"{quiz_id}.yaml"
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists; give --force to replace it.")
    try:
        bank = gift.read_gift(source.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise click.ClickException(f"{source} is not UTF-8 text.") from None
    for skipped in bank.skipped:
        click.echo(f"{source}:{skipped.line}: skipped: {skipped.reason}", err=True)
    if not bank.questions:
        raise click.ClickException("No question could be imported.")
    data = gift.quiz_data(bank, quiz_id=quiz_id, module_id=module_id, title=title or quiz_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dump_yaml(data), encoding="utf-8")
    click.echo(
        f"{len(bank.questions)} question(s) written to {target}; {len(bank.skipped)} skipped."
    )
    _report_check(course_dir, target)


def _report_check(course_dir: Path, written: Path) -> None:
    """Print what the content check says of the file just written (when it is in the course)."""
    try:
        relative = written.resolve().relative_to(course_dir.resolve()).as_posix()
    except ValueError:
        return
    _, problems = load_course(course_dir)
    for problem in problems:
        if problem.path == relative:
            click.echo(str(problem), err=True)


@quiz_cli.command("export-gift")
@click.argument("quiz_id")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def quiz_export_gift(quiz_id: str, output: Path | None) -> None:
    """Write a quiz of the course in GIFT (standard output by default)."""
    quiz = current_course().quizzes.get(quiz_id)
    if quiz is None:
        raise click.ClickException(f"No quiz '{quiz_id}' in the course.")
    text, notes = gift.write_gift(quiz)
    for note in notes:
        click.echo(f"{quiz_id}: {note}", err=True)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{quiz_id} written to {output}.", err=True)
