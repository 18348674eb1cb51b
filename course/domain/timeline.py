"""A learner's learning events told as a timeline a trainer reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from course.content.model import Course

from .numbers import percent

HIDDEN_VERBS = ("answered",)  # each answer shows in its attempt, not in the timeline


@dataclass(frozen=True)
class Entry:
    """One line of the timeline."""

    when: datetime
    verb: str
    text: str


def describe(
    course: Course,
    verb: str,
    object_type: str,
    object_id: str,
    result: Mapping[str, Any] | None,
    *,
    waived_by: str | None = None,
) -> str:
    """Say in French what an event records."""
    name = _name(course, object_type, object_id)
    score = _score(result)
    texts = {
        "registered": "Inscription au parcours",
        "completed": f"A terminé {name}",
        "attempted": f"A commencé une tentative au {name}",
        "passed": f"A réussi le {name}{score}",
        "failed": f"N'a pas encore réussi le {name}{score}",
        "answered": f"A répondu à {name}",
        "waived": f"Verrou levé pour {name}" + (f" par {waived_by}" if waived_by else ""),
        "reminded": "Relancé(e) par e-mail" + _subject(result),
    }
    return texts.get(verb, f"{verb} {name}")


def _name(course: Course, object_type: str, object_id: str) -> str:
    if object_type == "module":
        module = course.module(object_id)
        return f"la séance « {module.title if module else object_id} »"
    if object_type == "step":
        module = course.module_of_step(object_id)
        step = module.step(object_id) if module else None
        return f"l'étape « {step.title if step else object_id} »"
    if object_type == "quiz":
        quiz = course.quizzes.get(object_id)
        return f"quiz « {quiz.title if quiz else object_id} »"
    if object_type == "question":
        return f"la question {object_id}"
    return "le parcours"


def _subject(result: Mapping[str, Any] | None) -> str:
    subject = ((result or {}).get("extensions") or {}).get("subject")
    return f" : « {subject} »" if isinstance(subject, str) and subject else ""


def _score(result: Mapping[str, Any] | None) -> str:
    scaled = ((result or {}).get("score") or {}).get("scaled")
    return f" ({percent(scaled)})" if isinstance(scaled, int | float) else ""
