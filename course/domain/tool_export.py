"""A learner's tool work as CSV rows and as Markdown, for export."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from course.content.tool_model import Column, Tool, ToolField

from .numbers import decimal, percent
from .tool_results import ToolResults


def display_value(tool_field: ToolField | Column, value: Any) -> str:
    """Return an answer as a person reads it: option labels, scale point labels, text."""
    if value is None:
        return ""
    if tool_field.type == "scale" and isinstance(value, int) and value < len(tool_field.points):
        return tool_field.points[value]
    if isinstance(value, float) or (tool_field.type == "number" and isinstance(value, int)):
        return decimal(value, 6, trim=True)
    labels = {o.id: o.label for o in tool_field.options}
    if isinstance(value, list):
        return "; ".join(labels.get(str(v), str(v)) for v in value)
    return labels.get(value, str(value))


def table_rows(tool_field: ToolField, answers: Mapping[str, Any]) -> list[list[str]]:
    """Return a rows field as a table: a header of column labels, then one line per row."""
    header = [c.label for c in tool_field.columns]
    rows = answers.get(tool_field.id) or []
    return [header] + [[display_value(c, r.get(c.id)) for c in tool_field.columns] for r in rows]


def csv_rows(tool: Tool, answers: Mapping[str, Any]) -> list[list[str]]:
    """Return the CSV export: the tool's first table if it has one, else question and answer."""
    table = next((f for f in tool.fields if f.type == "rows"), None)
    if table is not None:
        return table_rows(table, answers)
    return [["Rubrique", "Question", "Réponse"]] + [
        [section.title, f.label, display_value(f, answers.get(f.id))]
        for section in tool.sections
        for f in section.fields
    ]


def markdown(tool: Tool, answers: Mapping[str, Any], results: ToolResults) -> str:
    """Return the learner's whole work and its results as a Markdown document."""
    lines = [f"# {tool.title}", ""]
    for section in tool.sections:
        lines += [f"## {section.title}", ""]
        for f in section.fields:
            lines += _field_markdown(f, answers)
    lines += _results_markdown(results)
    return "\n".join(lines).rstrip() + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")  # inline markup; values never start a line


# What would start a heading, a list or a rule: a mark, or a number's dot or bracket.
_BLOCK_MARK = re.compile(r"^([#+=-])")
_NUMBERED = re.compile(r"^(\d+)([.)])")


def markdown_text(text: str) -> str:
    """Return typed text as literal Markdown: no markup, no HTML, one line."""
    plain = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(plain.split()))


def markdown_lines(text: str) -> str:
    """Return typed text of several lines as literal Markdown, its lines kept (hard breaks),
    none starting a heading or a list."""
    lines = [markdown_text(line) for line in text.splitlines() if line.strip()]
    return "  \n".join(_NUMBERED.sub(r"\1\\\2", _BLOCK_MARK.sub(r"\\\1", line)) for line in lines)


def _field_markdown(tool_field: ToolField, answers: Mapping[str, Any]) -> list[str]:
    if tool_field.type != "rows":
        value = display_value(tool_field, answers.get(tool_field.id))
        shown = (markdown_lines if tool_field.type == "textarea" else markdown_text)(value) or "—"
        return [f"**{tool_field.label}** : {shown}", ""]
    table = table_rows(tool_field, answers)
    cells = [[markdown_text(c) for c in row] for row in table]
    out = [f"**{tool_field.label}**", "", "| " + " | ".join(cells[0]) + " |"]
    out.append("|" + " --- |" * len(cells[0]))
    out += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    return [*out, ""]


def _results_markdown(results: ToolResults) -> list[str]:
    lines = ["## Résultats", ""]
    lines += [f"- {s.label} : {s.shown}" for s in results.scores if s.value is not None]
    lines += [f"- {lv.label} : {lv.band.label}" for lv in results.levels if lv.band is not None]
    if results.done is not None:
        lines.append(f"- Avancement : {percent(results.done)}")
    lines += [f"- ⚠ {flag}" for flag in results.flags]
    if results.next_actions:
        lines += ["", "### Prochaines actions", ""]
        lines += [f"{n}. {a}" for n, a in enumerate(results.next_actions, 1)]
    return [*lines, ""]
