"""The CSV tables of a cohort: the dashboard's rows and every attempt, as the screen shows them."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from course.content.model import Course, Quiz

from .metrics import Cell, LearnerRow
from .numbers import decimal
from .scoring import certainty_marks

BOM = "\ufeff"  # tells a spreadsheet the file is UTF-8
SEPARATORS = {"semicolon": ";", "comma": ","}  # French spreadsheets split on ";"
# A piece of a cell starts at its beginning or after anything a spreadsheet may split on.
_PIECE_START = re.compile(r"(^|[;,\t\r\n])(\s*)(?=[=+\-@])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def guard(cell: object) -> object:
    """Keep a spreadsheet from running any piece of a text cell as a formula; numbers stay.

    Control characters (but tab and line ends) are dropped; then every piece of the cell, at its
    start or after a `;`, `,`, tab or line end, that begins (past spaces) with `= + - @` gets a
    leading `'`, so that `Ana;=1+1` stays text even when a spreadsheet splits it on `;`.
    """
    if not isinstance(cell, str):
        return "" if cell is None else cell
    return _PIECE_START.sub(r"\1\2'", _CONTROL.sub("", cell))


def to_csv(table: Iterable[Sequence[object]], separator: str = ";") -> str:
    """Write a table as CSV a French spreadsheet opens: BOM, fields quoted and guarded, CRLF."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=separator, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for row in table:
        writer.writerow([guard(cell) for cell in row])
    return buffer.getvalue()


def iso(value: datetime | None) -> str:
    """Format a timestamp for a spreadsheet: ISO 8601 in UTC, empty when unknown."""
    return value.isoformat(timespec="seconds") if value is not None else ""


def progress_header(course: Course) -> list[str]:
    """Return the progress export's column names."""
    header = [
        "Identifiant",
        "Nom",
        "E-mail",
        "Inscrit le",
        "Dernière activité",
        "Jours sans activité",
        "Statut",
        "Progression (%)",
        "Besoin d'aide",
    ]
    for number, module in enumerate(course.modules, 1):
        best = (
            "meilleur score de certitude (-6 à +3)"
            if course.module_quiz_scoring(module.id) == "cbm"
            else "meilleur score (%)"
        )
        header += [
            f"Séance {number} : statut",
            f"Séance {number} : {best}",
            f"Séance {number} : tentatives",
        ]
    return header


def progress_table(course: Course, rows: Iterable[LearnerRow]) -> list[list[object]]:
    """Return the progress export: a header, then one line per learner with the screen's values."""
    table: list[list[object]] = [list[object](progress_header(course))]
    for row in rows:
        line: list[object] = [
            row.user_id,
            row.name,
            row.email,
            iso(row.joined_at),
            iso(row.last_activity),
            row.idle_days,
            row.status_label,
            row.percent,
            " ; ".join(s.reason for s in row.signals),
        ]
        for cell in row.cells:
            line += [cell.label, _best(course, cell), cell.attempts]
        table.append(line)
    return table


@dataclass(frozen=True)
class AttemptLine:
    """One attempt of a cohort's learner, for the attempts export."""

    user_id: int
    name: str
    email: str
    quiz_id: str
    number: int
    started_at: datetime
    submitted_at: datetime | None
    score: float | None
    points: float | None
    max_points: float | None
    passed: bool | None


ATTEMPTS_HEADER = [
    "Identifiant",
    "Nom",
    "E-mail",
    "Quiz",
    "Titre du quiz",
    "Tentative",
    "Commencée le",
    "Rendue le",
    "Score (%)",
    "Points",
    "Points possibles",
    "Réussie",
]


def _best(course: Course, cell: Cell) -> object:
    """Give a best score on its quiz's scale: whole percent, or a certainty score ("1,8")."""
    if cell.best_score is None:
        return ""
    if course.module_quiz_scoring(cell.module_id) == "cbm":
        return decimal(certainty_marks(cell.best_score), 1, trim=True)
    return cell.best_percent


def _points(value: float | None) -> str:
    """Write points the French way, two decimals at most ("8,83", "17")."""
    return decimal(value, 2, trim=True) if value is not None else ""


def _passed(line: AttemptLine, quiz: Quiz | None) -> str:
    """Say whether an attempt passed; a pre-test (« positionnement ») passes nothing."""
    if quiz is not None and quiz.kind == "pretest":
        return "positionnement"
    return "oui" if line.passed else "non"


def attempts_table(course: Course, lines: Sequence[AttemptLine]) -> list[list[object]]:
    """Return the attempts export: a header, then one line per attempt (open ones too)."""
    table: list[list[object]] = [list(ATTEMPTS_HEADER)]
    for a in lines:
        quiz = course.quizzes.get(a.quiz_id)
        submitted = a.submitted_at is not None
        table.append(
            [
                a.user_id,
                a.name,
                a.email,
                a.quiz_id,
                quiz.title if quiz else "",
                a.number,
                iso(a.started_at),
                iso(a.submitted_at),
                round(a.score * 100) if submitted and a.score is not None else "",
                _points(a.points) if submitted else "",
                _points(a.max_points) if submitted else "",
                _passed(a, quiz) if submitted else "",
            ]
        )
    return table
