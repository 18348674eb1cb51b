"""Read a tool's form into answers, with a clear message for every value that cannot be kept."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from course.content.tool_model import Column, Tool, ToolField

from .integers import bounded_int
from .numbers import decimal

FormValues = Mapping[str, Sequence[str]]
_ROW_KEY = re.compile(r"^r-([a-z0-9-]+?)-([0-9]{1,9})-([a-z0-9-]+)$")  # longer: an unknown field


@dataclass
class ParsedTool:
    """The answers that could be read, an error message per field that could not, and the
    table cells at fault, named as the form shows them again (`compact_rows`)."""

    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    wrong_cells: set[str] = field(default_factory=set)


class WrongCells(ValueError):
    """A table's cells that cannot be kept: the message tells them all, `cells` names them."""

    def __init__(self, message: str, cells: set[str]) -> None:
        super().__init__(message)
        self.cells = cells


def parse_tool_form(tool: Tool, form: FormValues) -> ParsedTool:
    """Read every field of a tool; unknown fields and out-of-range values are errors."""
    parsed = ParsedTool()
    unknown = _unknown_keys(tool, form)
    if unknown:  # said once, naming a few: a forged form must not make a huge page
        parsed.errors["formulaire"] = unknown_fields_message(unknown)
    for tool_field in tool.fields:
        try:
            value = _read_field(tool_field, form)
        except WrongCells as exc:
            parsed.errors[tool_field.id] = str(exc)
            parsed.wrong_cells |= exc.cells
        except ValueError as exc:
            parsed.errors[tool_field.id] = str(exc)
        else:
            if value not in (None, "", []):
                parsed.answers[tool_field.id] = value
    return parsed


def unknown_fields_message(keys: Sequence[str], shown: int = 3) -> str:
    """Say which fields are unknown, naming the first few (each cut to 40 characters)."""
    names = ", ".join(f"« {key[:40]} »" for key in keys[:shown])
    rest = len(keys) - shown
    more = f" et {decimal(rest)} autre{'s' if rest > 1 else ''}" if rest > 0 else ""
    return f"Champ inconnu : {names}{more}."


def _unknown_keys(tool: Tool, form: FormValues) -> list[str]:
    simple = {f"f-{f.id}" for f in tool.fields if f.type != "rows"}
    tables = {f.id: {c.id for c in f.columns} for f in tool.fields if f.type == "rows"}
    unknown = []
    for key in form:
        if key.startswith("f-") and key not in simple:
            unknown.append(key)
        elif key.startswith("r-"):
            match = _ROW_KEY.match(key)
            if match is None or match.group(3) not in tables.get(match.group(1), set()):
                unknown.append(key)
    return unknown


def _read_field(tool_field: ToolField, form: FormValues) -> Any:
    if tool_field.type == "rows":
        return _read_rows(tool_field, form)
    values = [v for v in form.get(f"f-{tool_field.id}", ()) if v.strip()]
    if tool_field.type == "checklist":
        return _read_checklist(tool_field, values)
    if len(values) > 1:
        raise ValueError("Une seule valeur est attendue.")
    value = values[0] if values else None
    if value is None:
        if tool_field.required:
            raise ValueError("Ce champ est obligatoire.")
        return None
    return _read_value(
        tool_field.type, value, tool_field.limit, tool_field.points, tool_field.options
    )


def _read_value(
    kind: str, value: str, limit: int, points: Sequence[str], options: Sequence[Any]
) -> Any:
    if kind in ("text", "textarea"):
        if len(value) > limit:
            raise ValueError(f"Texte trop long : {limit} caractères au plus.")
        return value.strip()
    if kind == "scale":
        point = bounded_int(value, len(points) - 1)
        if point is None:
            raise ValueError("Choisissez une valeur de l'échelle.")
        return point
    if value not in {o.id for o in options}:
        raise ValueError("Choisissez une des options proposées.")
    return value


_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
# "2.500": two thousand five hundred to many French writers, two and a half to others ("0.500"
# is only a half; "1.234.567" only a million and more, said the French way).
_DOTTED_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}(?:\.\d{3})+$")


def read_number(value: str, minimum: float, maximum: float) -> int | float:
    """Read a number written the French or the English way ("1 200", "12,5", "12.5"); one
    whose dot may group thousands ("2.500") is refused as ambiguous."""
    text = _SPACES.sub("", value)
    if _DOTTED_THOUSANDS.match(text):
        whole = decimal(int(text.replace(".", "")))
        if text.count(".") > 1:
            raise ValueError(f"« {text} » : écrivez {whole}, les milliers séparés par des espaces.")
        part = text.replace(".", ",").rstrip("0").rstrip(",")
        raise ValueError(f"« {text} » peut se lire {whole} ou {part} : écrivez l'un ou l'autre.")
    text = text.replace(",", ".")
    if not _NUMBER.match(text):
        raise ValueError("Indiquez un nombre, par exemple 1 200 ou 12,5.")
    number = float(text)
    if not minimum <= number <= maximum:
        low, high = decimal(minimum, 2, trim=True), decimal(maximum, 2, trim=True)
        raise ValueError(f"Indiquez un nombre entre {low} et {high}.")
    return int(number) if number.is_integer() else number


def _read_checklist(tool_field: ToolField, values: list[str]) -> list[str]:
    known = [o.id for o in tool_field.options]
    if not set(values) <= set(known):
        raise ValueError("Une case cochée ne fait pas partie de la liste.")
    return [o for o in known if o in values]


def row_indexes(form: FormValues, field_id: str) -> list[int]:
    """Return the row numbers the form holds for a rows field, in order."""
    return sorted(
        {int(m.group(2)) for k in form if (m := _ROW_KEY.match(k)) and m.group(1) == field_id}
    )


def _read_rows(tool_field: ToolField, form: FormValues) -> list[dict[str, Any]]:
    """Read a table's rows; every wrong cell is told at once (one message, row by row), by the
    row's number as the form shows it again (`compact_rows`: blank rows keep their place)."""
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    cells: set[str] = set()
    for position, index in enumerate(row_indexes(form, tool_field.id)):
        row, wrong = _read_row(tool_field, form, index, position + 1)
        problems += wrong.values()
        cells |= {f"r-{tool_field.id}-{position}-{column}" for column in wrong}
        if row and not wrong:
            rows.append(row)
    if problems:
        raise WrongCells(" ".join(problems), cells)
    if len(rows) > tool_field.max_rows:
        raise ValueError(f"Trop de lignes : {tool_field.max_rows} au plus.")
    if tool_field.required and not rows:
        raise ValueError("Ajoutez au moins une ligne.")
    return rows


def _read_row(
    tool_field: ToolField, form: FormValues, index: int, number: int
) -> tuple[dict[str, Any], dict[str, str]]:
    """Return a row's cells that could be read, and what is wrong with the others, by column."""
    row: dict[str, Any] = {}
    wrong: dict[str, str] = {}
    for column in tool_field.columns:
        values = [v for v in form.get(f"r-{tool_field.id}-{index}-{column.id}", ()) if v.strip()]
        if len(values) > 1:
            wrong[column.id] = f"Ligne {number}, « {column.label} » : une seule valeur par case."
        elif values:
            try:
                row[column.id] = _read_cell(column, values[0])
            except ValueError as exc:
                wrong[column.id] = f"Ligne {number}, « {column.label} » : {exc}"
    if row or wrong:
        for c in tool_field.columns:
            if c.required and not _given(form, tool_field, index, c):
                wrong[c.id] = f"Ligne {number} : « {c.label} » est obligatoire."
    return row, wrong


def _given(form: FormValues, tool_field: ToolField, index: int, column: Column) -> bool:
    return any(v.strip() for v in form.get(f"r-{tool_field.id}-{index}-{column.id}", ()))


def _read_cell(column: Column, value: str) -> Any:
    if column.type == "number":
        return read_number(value, column.minimum, column.maximum)
    return _read_value(column.type, value, column.max_length, column.points, column.options)


def answers_as_form(tool: Tool, answers: Mapping[str, Any]) -> dict[str, list[str]]:
    """Return saved answers as form values, so one template renders saved and posted work."""
    form: dict[str, list[str]] = {}
    for tool_field in tool.fields:
        value = answers.get(tool_field.id)
        if value is None:
            continue
        if tool_field.type == "rows":
            numbers = {c.id for c in tool_field.columns if c.type == "number"}
            for index, row in enumerate(value):
                for column_id, cell in row.items():
                    shown = _french(cell) if column_id in numbers else str(cell)
                    form[f"r-{tool_field.id}-{index}-{column_id}"] = [shown]
        elif tool_field.type == "checklist":
            form[f"f-{tool_field.id}"] = list(value)
        else:
            form[f"f-{tool_field.id}"] = [str(value)]
    return form


def _french(number: Any) -> str:
    """Write a saved number as the learner writes it (« 2 000,75 »), which reads back the same:
    « 1.234 » would be refused as ambiguous at the next save."""
    if isinstance(number, int | float) and not isinstance(number, bool):
        return decimal(number, 6, trim=True)
    return str(number)


def compact_rows(tool: Tool, form: FormValues) -> dict[str, list[str]]:
    """Renumber posted table rows 0, 1, 2… in their order, so a form is shown again whole."""
    compact: dict[str, list[str]] = {k: list(v) for k, v in form.items() if not k.startswith("r-")}
    for tool_field in tool.fields:
        if tool_field.type != "rows":
            continue
        for new, old in enumerate(row_indexes(form, tool_field.id)):
            for column in tool_field.columns:
                key = f"r-{tool_field.id}-{old}-{column.id}"
                if key in form:
                    compact[f"r-{tool_field.id}-{new}-{column.id}"] = list(form[key])
    return compact
