"""What every template may use: the course, the permission predicates, French numbers and dates."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask

from course.content.glue import current_course
from course.content.model import QuestionBase, question_type_names
from course.domain import numbers, permissions
from course.domain.answer_text import is_blank
from course.domain.french import plural, quiz_heading
from course.domain.misconceptions import misconception_tags
from course.domain.progression import STATE_LABELS
from course.domain.questions import question_type
from course.domain.scoring import certainty_marks, is_right

STEP_KINDS = {
    "case": "Cas fil rouge",
    "testimony": "Témoignages",
    "expert": "Parole d'expert",
    "synthesis": "Prenons du recul",
    "deep-dive": "Allons plus loin",
    "action": "Passons à l'action",
    "reading": "Lecture",
}
ACTIVITY_KINDS = {
    "reflection": "Réflexion",
    "exercise": "Exercice",
    "tool": "Outil pratique",
    "video": "Vidéo",
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


def certainty(value: float | None) -> str:
    """Write a certainty (CBM) score as its average mark per question, -6 to +3: "+1,8"."""
    if value is None:
        return numbers.MISSING
    points = certainty_marks(value)
    sign = "+" if points > 0 else "\u2212" if points < 0 else ""
    return sign + numbers.decimal(abs(points), 1, trim=True)


def pass_mark(value: float, scoring: str) -> str:
    """Write a pass mark on its quiz's scale: "70 %", or "+1,8 en score de certitude" for a
    quiz scored by certainty (what decides its passing)."""
    if scoring == "cbm":
        return f"{certainty(value)} en score de certitude"
    return numbers.percent(value)


def quiz_score(value: float | None, scoring: str) -> str:
    """Write a score that decides passing on its quiz's scale: "70 %", or "+1,8" (a certainty
    score) for a quiz scored by certainty."""
    if scoring == "cbm":
        return certainty(value)
    return numbers.score(value)


def module_score(value: float | None, module_id: str) -> str:
    """Write a learner's best score at a module's quiz on that quiz's scale (`quiz_score`)."""
    return quiz_score(value, current_course().module_quiz_scoring(module_id))


def minutes(value: int) -> str:
    """Format a number of minutes the French way ("45 min", "2 h", "1 h 30")."""
    hours, rest = divmod(value, 60)
    if not hours:
        return f"{rest}\u00a0min"
    return f"{hours}\u00a0h" + (f"\u00a0{rest:02d}" if rest else "")


def french_date(value: datetime | None, zone: tzinfo = UTC) -> str:
    """Format a moment the French way in a time zone ("1er décembre 2026 à 19 h 05"); a naive
    datetime is UTC, as the database keeps them."""
    if value is None:
        return "—"
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
    day = "1er" if local.day == 1 else str(local.day)
    return f"{day} {MONTHS[local.month - 1]} {local.year} à {local:%H} h {local:%M}"


def question_template(question: QuestionBase) -> str:
    """Return the template that draws this question's form and review (an unknown type raises)."""
    return question_type(question).template


def check_question_templates(app: Flask) -> None:
    """Fail at start when a question type has no domain module or no template."""
    for name in question_type_names():
        app.jinja_env.get_template(question_type(name).template)


def _globals(app: Flask) -> dict[str, Any]:
    """Return what every page may read, set once: the course does not change while it runs."""
    return {
        "course": app.extensions["course"],
        "STATE_LABELS": STATE_LABELS,
        "STEP_KINDS": {**STEP_KINDS, **app.extensions["course"].info.step_kinds},
        "ACTIVITY_KINDS": ACTIVITY_KINDS,
    }


def _predicates() -> dict[str, Any]:
    """Return every permission predicate by name (`can_train(current_user)` in a template)."""
    return {
        name: value
        for name, value in vars(permissions).items()
        if name.startswith(("can_", "is_")) and callable(value)
    }


def init_app(app: Flask) -> None:
    """Register the template helpers; templates ask the permission predicates, never roles."""
    check_question_templates(app)
    app.jinja_env.globals.update(_globals(app))
    app.add_template_global(question_template)
    app.add_template_global(question_type)
    app.jinja_env.globals.update(_predicates())
    app.add_template_global(misconception_tags)
    app.jinja_env.tests["right"] = is_right
    app.jinja_env.tests["blank"] = is_blank
    app.add_template_filter(numbers.percent)
    app.add_template_filter(numbers.score)
    app.add_template_filter(numbers.decimal)
    zone = ZoneInfo(app.config.get("TIMEZONE") or "UTC")
    app.add_template_filter(functools.partial(french_date, zone=zone), "french_date")
    app.add_template_filter(minutes)
    app.add_template_filter(certainty)
    app.add_template_filter(pass_mark)
    app.add_template_filter(quiz_score)
    app.add_template_filter(module_score)
    app.add_template_filter(quiz_heading)
    app.add_template_global(plural)
