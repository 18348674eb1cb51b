"""Reminder mails: the French template a trainer edits, filled in for each learner."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta

from course.content.model import Course

from .french import plural
from .progression import NextAction

WINDOW = timedelta(hours=24)  # at most one reminder per learner in this window
DEFAULT_SUBJECT = "Reprenez votre parcours « {cours} »"
DEFAULT_MESSAGE = """Bonjour {nom},

Vous avez commencé le parcours « {cours} » ; la suite vous attend : {etape}.

Reprenez là où vous en étiez, en un clic : {lien}

Belle reprise,
{formateur}
"""
PLACEHOLDERS = {
    "nom": "le nom de la personne",
    "cours": "le titre du parcours",
    "etape": "là où la personne s'est arrêtée",
    "lien": "le lien pour reprendre",
    "formateur": "votre nom",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Each brace of a text, left to right: a closed pair, a `{` never closed (and the word after
# it), or a `}` never opened (and the word before it).
_BRACES = re.compile(r"\{(?P<name>[^{}]*)\}|\{(?P<open>[^{}\s]{0,30})|(?P<close>[^{}\s]{0,30})\}")


def template_problems(template: str) -> list[str]:
    """Say, in French, why a reminder's text cannot be filled: unknown placeholders, braces
    left open or never opened (empty when every brace is a placeholder `fill` replaces)."""
    unknown: dict[str, None] = {}
    problems: list[str] = []
    for found in _BRACES.finditer(template):
        name, opened, closed = found.group("name", "open", "close")
        if name is not None and name not in PLACEHOLDERS:
            unknown[f"{{{name}}}"] = None
        elif opened is not None:
            problems.append(f"Accolade non fermée : « {{{opened} ».")
        elif closed is not None:
            problems.append(f"Accolade fermante sans accolade ouvrante : « {closed}}} ».")
    if unknown:
        label = plural(len(unknown), "Repère inconnu", "Repères inconnus")
        problems.insert(0, f"{label} : {', '.join(unknown)}.")
    if problems:
        problems.append(f"Repères possibles : {allowed()}.")
    return list(dict.fromkeys(problems))


def allowed() -> str:
    """List the placeholders a reminder may hold: « {nom}, {cours}, … »."""
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


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
