"""Reminder mails: the French template a trainer edits, filled in for each learner."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta

from course.content.model import Course

from .progression import NextAction

WINDOW = timedelta(hours=24)  # at most one reminder per learner in this window
DEFAULT_SUBJECT = "Reprenez votre parcours « {cours} »"
DEFAULT_MESSAGE = """Bonjour {nom},

Vous avez commencé le parcours « {cours} » et vous vous étiez arrêté(e) à : {etape}.

Reprenez là où vous en étiez, en un clic : {lien}

Belle reprise,
{formateur}
"""
PLACEHOLDERS = {
    "nom": "le nom de l'apprenant",
    "cours": "le titre du parcours",
    "etape": "là où il ou elle s'est arrêté(e)",
    "lien": "le lien pour reprendre",
    "formateur": "votre nom",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace each `{name}` the template holds by its value; leave any other brace as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def where_stopped(course: Course, action: NextAction) -> str:
    """Say where a learner stopped, as the reminder tells it: the next step or quiz to do."""
    module = course.module(action.module_id or "")
    if module is None or action.kind == "done":
        return "la fin du parcours"
    number = course.modules.index(module) + 1
    if action.kind == "step":
        step = module.step(action.target_id or "")
        title = step.title if step is not None else module.title
        return f"l'étape « {title} » de la séance {number}"
    quiz = course.quizzes.get(action.target_id or "")
    return f"le quiz « {quiz.title if quiz else module.title} » de la séance {number}"
