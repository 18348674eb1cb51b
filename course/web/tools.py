"""Practical tools: the worksheet, its results and chart, saved versions and exports."""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from markupsafe import Markup

from course.clock import utcnow
from course.content.tool_model import MapChart, ScoreChart, Tool
from course.domain import form_bounds, progression, tool_export
from course.domain.integers import bounded_int
from course.domain.tool_answers import (
    answers_as_form,
    compact_rows,
    parse_tool_form,
    row_indexes,
)
from course.domain.tool_results import ToolResults, compute_results, scale_marks, shared_scale
from course.services import tools as tool_work
from course.services.models import ToolEntry

from . import charts
from .access import require, visible
from .content import course
from .database import db
from .downloads import attachment, csv_response
from .signin import viewer, viewer_progress

bp = Blueprint("tools", __name__)


def _open_tool(tool_id: str) -> Tool:
    """Return an unlocked tool; 404 if unknown, 403 with the reason while locked."""
    tool = visible(course().tools.get(tool_id))
    denial = progression.tool_denial(course(), tool, viewer_progress())
    require(denial is None, because=denial)
    return tool


def _answers(tool: Tool) -> tuple[dict[str, Any], int | None]:
    """Return the version asked for (?version=N; 404 if there is no such one) or the latest."""
    entry: ToolEntry | None = tool_work.latest(db(), viewer().id, tool.id)
    if "version" in request.args:
        asked = visible(bounded_int(request.args["version"], minimum=1))
        entry = visible(tool_work.version(db(), viewer().id, tool.id, asked))
    return (dict(entry.answers), entry.version) if entry else ({}, None)


@bp.get("/tools/<tool_id>")
@login_required
def show(tool_id: str) -> ResponseReturnValue:
    """Show the worksheet filled with the learner's work, and what it gives back."""
    tool = _open_tool(tool_id)
    answers, number = _answers(tool)
    return _page(tool, answers, answers_as_form(tool, answers), {}, number, 200)


@bp.post("/tools/<tool_id>")
@login_required
def save(tool_id: str) -> ResponseReturnValue:
    """Save the learner's work as a new version, or show the form again with what is wrong."""
    tool = _open_tool(tool_id)
    form = request.form.to_dict(flat=False)
    form.pop("csrf_token", None)
    parsed = parse_tool_form(tool, form)
    if parsed.errors:
        shown = compact_rows(tool, form)
        return _page(tool, parsed.answers, shown, parsed.errors, None, 400, parsed.wrong_cells)
    try:
        entry = tool_work.save(db(), viewer().id, tool.id, parsed.answers, now=utcnow())
        db().commit()
    except tool_work.SaveConflict:
        db().rollback()
        flash("Une autre sauvegarde vient d'avoir lieu : vérifiez votre travail.", "info")
        return redirect(url_for("tools.show", tool_id=tool.id))
    flash(f"Travail enregistré (version {entry.version}).", "success")
    return redirect(url_for("tools.show", tool_id=tool.id, _anchor="resultats"))


@bp.get("/tools/<tool_id>/export.<fmt>")
@login_required
def export(tool_id: str, fmt: str) -> ResponseReturnValue:
    """Download the learner's latest work as CSV or Markdown."""
    tool = _open_tool(tool_id)
    answers, _ = _answers(tool)
    if fmt == "csv":
        return csv_response(tool_export.csv_rows(tool, answers), f"{tool.id}.csv")
    if fmt == "md":
        text = tool_export.markdown(tool, answers, compute_results(tool, answers))
        return attachment(text, f"{tool.id}.md", "text/markdown; charset=utf-8")
    return visible(None)


@bp.get("/tools/<tool_id>/print")
@login_required
def printable(tool_id: str) -> ResponseReturnValue:
    """Show the learner's work and results on one printable page."""
    tool = _open_tool(tool_id)
    answers, number = _answers(tool)
    results = compute_results(tool, answers)
    return render_template(
        "tools/print.html",
        tool=tool,
        answers=answers,
        results=results,
        number=number,
        chart=tool_chart(tool, results, answers),
        display=tool_export.display_value,
    )


def _page(
    tool: Tool,
    answers: dict[str, Any],
    form: dict[str, list[str]],
    errors: dict[str, str],
    number: int | None,
    status: int,
    wrong_cells: Set[str] = frozenset(),
) -> ResponseReturnValue:
    results = compute_results(tool, answers)
    return render_template(
        "tools/tool.html",
        tool=tool,
        form=form,
        errors=errors,
        wrong_cells=wrong_cells,
        results=results,
        answers=answers,
        chart=tool_chart(tool, results, answers),
        number=number,
        history=tool_work.history(db(), viewer().id, tool.id),
        blank_rows=form_bounds.BLANK_ROWS,
        row_counts={  # capped: a forged form cannot make the page draw thousands of rows
            f.id: min(len(row_indexes(form, f.id)), f.max_rows + form_bounds.EXTRA_ROWS_SHOWN)
            for f in tool.fields
            if f.type == "rows"
        },
        display=tool_export.display_value,
    ), status


def tool_chart(tool: Tool, results: ToolResults, answers: dict[str, Any]) -> Markup | None:
    """Draw the tool's chart from its results, with its visible caption, or None when there is
    nothing to draw."""
    spec = tool.results.chart
    if isinstance(spec, ScoreChart):
        found = [s for s in (results.score(i) for i in spec.scores) if s]
        if all(s.value is None for s in found):
            return None
        if spec.type == "bars":
            drawn = charts.bars(
                spec.title, spec.description, [(s.label, s.value, s.shown) for s in found]
            )
            return charts.with_caption(drawn, spec.title)
        points = shared_scale(tool, spec.scores)
        marks = scale_marks(points) if points else ("0 %", "25 %", "50 %", "75 %", "100 %")
        values = [(s.label, s.value) for s in found]
        drawn = charts.radar(spec.title, spec.description, values, marks)
        return charts.with_caption(drawn, spec.title, radar_legend(points))
    if isinstance(spec, MapChart):
        return _map(tool, spec, answers)
    return None


def radar_legend(points: tuple[str, ...] | None) -> str:
    """Say how to read a radar's rings: the scale's points from the centre to the edge."""
    if points is None:
        return "Du centre (0 %) au bord (100 %)."
    marks = scale_marks(points)
    if marks[0] == points[0].split()[0]:  # points already carry their numbers
        return f"Du centre ({points[0]}) au bord ({points[-1]})."
    named = ", ".join(f"{m} : {p}" for m, p in zip(marks, points, strict=True))
    return f"Du centre au bord : {named}."


def _map(tool: Tool, spec: MapChart, answers: dict[str, Any]) -> Markup | None:
    table = tool.field(spec.field)
    rows = answers.get(spec.field) or []
    if table is None or not rows:
        return None
    x_col = next(c for c in table.columns if c.id == spec.x)
    y_col = next(c for c in table.columns if c.id == spec.y)
    x_ids = [o.id for o in x_col.options]
    y_ids: list[Any] = (
        [o.id for o in y_col.options] if y_col.options else list(range(len(y_col.points)))
    )
    y_labels = [o.label for o in y_col.options] or list(y_col.points)
    dots = [
        (x_ids.index(r[spec.x]), y_ids.index(r[spec.y]), str(r.get(spec.label, "")))
        for r in rows
        if r.get(spec.x) in x_ids and r.get(spec.y) in y_ids
    ]
    return charts.grid_map(
        spec.title, spec.description, [o.label for o in x_col.options], y_labels, dots
    )
