"""Checks of practical tools: field definitions and results that refer to real fields."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .tool_model import (
    Band,
    BelowFlag,
    ChoiceFlag,
    Column,
    DominantRowFlag,
    Flag,
    Level,
    MapChart,
    MissingOptionsFlag,
    ScoreChart,
    Tool,
    ToolField,
    UncheckedFlag,
    WeakestFlag,
)

if TYPE_CHECKING:
    from .files import Document, Report

# What each field type needs, and what it may not carry.
_NEEDS = {"scale": "points", "choice": "options", "checklist": "options", "rows": "columns"}


def check_tool(tool: Tool, doc: Document, report: Report) -> None:
    """Report every problem in one tool file."""
    for dup in _dups(f.id for f in tool.fields):
        report.error(tool.path, doc.line("sections"), f"duplicate field id '{dup}'")
    for field in tool.fields:
        for message in field_problems(field):
            report.error(tool.path, field.line, message)
    for loc, message in results_problems(tool):
        report.error(tool.path, doc.line("results", *loc), message)


def _dups(ids: Iterable[str]) -> set[str]:
    return {i for i, n in Counter(ids).items() if n > 1}


def field_problems(field: ToolField) -> list[str]:
    """Return what is wrong with a field's definition."""
    problems = []
    needed = _NEEDS.get(field.type)
    for attr in ("points", "options", "columns"):
        given = bool(getattr(field, attr))
        if attr == needed and not given:
            problems.append(f"{field.type} field '{field.id}' needs {attr}")
        elif attr != needed and given:
            problems.append(f"{attr} do not apply to a {field.type} field ('{field.id}')")
    if field.type == "scale" and len(field.points) == 1:
        problems.append(f"scale field '{field.id}' needs at least 2 points")
    for dup in _dups(o.id for o in field.options):
        problems.append(f"duplicate option id '{dup}' in '{field.id}'")
    for dup in _dups(c.id for c in field.columns):
        problems.append(f"duplicate column id '{dup}' in '{field.id}'")
    problems.extend(p for c in field.columns for p in column_problems(field, c))
    return problems


def column_problems(field: ToolField, column: Column) -> list[str]:
    """Return what is wrong with a column of a rows field."""
    where = f"column '{column.id}' of '{field.id}'"
    if column.type == "choice" and not column.options:
        return [f"choice {where} needs options"]
    if column.type == "scale" and len(column.points) < 2:
        return [f"scale {where} needs at least 2 points"]
    if column.type in ("text", "number") and (column.options or column.points):
        return [f"{column.type} {where} takes no options or points"]
    if column.type == "number" and column.minimum >= column.maximum:
        return [f"number {where} needs a minimum below its maximum"]
    return []


def results_problems(tool: Tool) -> list[tuple[tuple[str | int, ...], str]]:
    """Return each results entry that refers to a missing or unfit field, with its location."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    score_ids = {s.id for s in tool.results.scores}
    for n, score in enumerate(tool.results.scores):
        for field_id in score.fields:
            if _kind(tool, field_id) != "scale":
                found.append((("scores", n), f"score '{score.id}': '{field_id}' is no scale field"))
    for n, level in enumerate(tool.results.levels):
        if level.score not in score_ids:
            found.append((("levels", n), f"unknown score '{level.score}'"))
        found.extend((("levels", n), m) for m in _band_problems(level.bands))
        found.extend((("levels", n), m) for m in _cap_problems(level, score_ids))
    for n, flag in enumerate(tool.results.flags):
        found.extend((("flags", n), m) for m in _flag_problems(tool, flag, score_ids))
    checklist = tool.results.checklist
    if checklist is not None and _kind(tool, checklist.field) != "checklist":
        found.append((("checklist",), f"'{checklist.field}' is no checklist field"))
    for n, counts in enumerate(tool.results.counts):
        if _column(tool, counts.field, counts.column, "choice") is None:
            found.append((("counts", n), f"'{counts.field}.{counts.column}' is no choice column"))
    found.extend((("chart",), m) for m in _chart_problems(tool, score_ids))
    return found


def _kind(tool: Tool, field_id: str) -> str | None:
    field = tool.field(field_id)
    return field.type if field is not None else None


def _column(tool: Tool, field_id: str, column_id: str, *types: str) -> Column | None:
    field = tool.field(field_id)
    if field is None or field.type != "rows":
        return None
    column = next((c for c in field.columns if c.id == column_id), None)
    return column if column is not None and column.type in types else None


def _cap_problems(level: Level, score_ids: set[str]) -> list[str]:
    problems = [f"cap: unknown score '{c.score}'" for c in level.caps if c.score not in score_ids]
    return problems + [
        f"cap: no band {c.band} (bands count from 0)"
        for c in level.caps
        if c.band >= len(level.bands)
    ]


def _band_problems(bands: tuple[Band, ...]) -> list[str]:
    if bands[-1].below is not None or any(b.below is None for b in bands[:-1]):
        return ["only the last band may (and must) have no 'below'"]
    limits = [b.below for b in bands[:-1] if b.below is not None]
    if limits != sorted(set(limits)):
        return ["band limits must increase"]
    return []


def _flag_problems(tool: Tool, flag: Flag, score_ids: set[str]) -> list[str]:
    match flag:
        case WeakestFlag():
            return [f"unknown score '{s}'" for s in flag.scores if s not in score_ids]
        case BelowFlag():
            return [] if flag.score in score_ids else [f"unknown score '{flag.score}'"]
        case MissingOptionsFlag():
            return _need_column(tool, flag.field, flag.column, "choice")
        case DominantRowFlag():
            return _dominant_problems(tool, flag)
        case UncheckedFlag():
            return _need_option(tool, flag.field, flag.option, "checklist")
        case ChoiceFlag():
            return _need_option(tool, flag.field, flag.option, "choice")
    return []


def _need_column(tool: Tool, field_id: str, column_id: str, *types: str) -> list[str]:
    if _column(tool, field_id, column_id, *types) is None:
        return [f"'{field_id}.{column_id}' is no {' or '.join(types)} column of a rows field"]
    return []


def _need_option(tool: Tool, field_id: str, option_id: str, kind: str) -> list[str]:
    field = tool.field(field_id)
    if field is None or field.type != kind:
        return [f"'{field_id}' is no {kind} field"]
    if all(o.id != option_id for o in field.options):
        return [f"'{field_id}' has no option '{option_id}'"]
    return []


def _dominant_problems(tool: Tool, flag: DominantRowFlag) -> list[str]:
    problems = _need_column(tool, flag.field, flag.label_column, "text")
    for column in flag.columns:
        problems += _need_column(tool, flag.field, column, "scale", "number")
    return problems


def _chart_problems(tool: Tool, score_ids: set[str]) -> list[str]:
    chart = tool.results.chart
    if isinstance(chart, ScoreChart):
        return [f"unknown score '{s}'" for s in chart.scores if s not in score_ids]
    if isinstance(chart, MapChart):
        return (
            _need_column(tool, chart.field, chart.x, "choice")
            + _need_column(tool, chart.field, chart.y, "choice", "scale")
            + _need_column(tool, chart.field, chart.label, "text")
        )
    return []
