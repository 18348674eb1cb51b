"""What every template may use: the course, and French formatting of scores and dates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask

from .content import course

STATE_LABELS = {
    "locked": "Verrouillée",
    "available": "Disponible",
    "in_progress": "En cours",
    "completed": "Terminée",
}
STEP_KINDS = {
    "case": "Alliance fil rouge",
    "testimony": "Témoignages",
    "expert": "Parole d'expert",
    "synthesis": "Prenons du recul",
    "deep-dive": "Allons plus loin",
    "action": "Passons à l'action",
    "reading": "Lecture",
}
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def percent(value: float | None) -> str:
    """Format a 0-1 fraction as a French percentage ("75 %")."""
    if value is None:
        return "—"
    return f"{round(value * 100)}\u00a0%"


def french_date(value: datetime | None) -> str:
    """Format a date the French way ("27 novembre 2026 à 18 h 05", UTC)."""
    if value is None:
        return "—"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year} à {value:%H} h {value:%M}"


def _globals() -> dict[str, Any]:
    return {"course": course(), "STATE_LABELS": STATE_LABELS, "STEP_KINDS": STEP_KINDS}


def init_app(app: Flask) -> None:
    """Register the template helpers."""
    app.context_processor(_globals)
    app.add_template_filter(percent)
    app.add_template_filter(french_date)
