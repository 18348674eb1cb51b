"""Learning events as full xAPI statements (version 1.0.3, valid under 2.0 too).

A statement is built from an event row and the course: a stable id (a UUID derived from the
site and the event's row, so a statement sent twice is the same statement), the learner as an
opaque account on the site (never an e-mail), a verb of the ADL vocabulary, the activity with
its definition (French name, type; for a question its interaction type and correct response),
the result, the context (the learner's registration, the parent and grouping activities, the
learner's cohorts) and the timestamp.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from course.content.model import Course, Module, QuestionBase, Quiz

from .questions import question_type

VERSION = "1.0.3"
VERBS = {
    "registered": ("http://adlnet.gov/expapi/verbs/registered", "s'est inscrit(e)"),
    "experienced": ("http://adlnet.gov/expapi/verbs/experienced", "a consulté"),
    "completed": ("http://adlnet.gov/expapi/verbs/completed", "a terminé"),
    "attempted": ("http://adlnet.gov/expapi/verbs/attempted", "a commencé"),
    "answered": ("http://adlnet.gov/expapi/verbs/answered", "a répondu à"),
    "passed": ("http://adlnet.gov/expapi/verbs/passed", "a réussi"),
    "failed": ("http://adlnet.gov/expapi/verbs/failed", "a échoué à"),
    "waived": ("https://w3id.org/xapi/adl/verbs/waived", "a été dispensé(e) de"),
    "reminded": ("https://w3id.org/xapi/catch/verbs/notified", "a été relancé(e) pour"),
}
NOT_BY_LEARNER = frozenset({"waived", "reminded"})  # recorded for a learner, done by a trainer
ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "step": "http://adlnet.gov/expapi/activities/lesson",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
}
COHORT_TYPE = "http://id.tincanapi.com/activitytype/group"


@dataclass(frozen=True)
class EventFacts:
    """What a stored learning event says, as the statement builder reads it."""

    id: int
    user_id: int | None
    verb: str
    object_type: str
    object_id: str
    result: dict[str, Any] | None
    timestamp: datetime


@dataclass(frozen=True)
class Site:
    """Where the course is published (PUBLIC_URL), the root of every id in statements."""

    base_url: str

    @property
    def namespace(self) -> uuid.UUID:
        """Return the UUID namespace of this site's statements and registrations."""
        return uuid.uuid5(uuid.NAMESPACE_URL, self.base_url.rstrip("/"))

    def url(self, path: str) -> str:
        """Return an absolute URL on the site."""
        return self.base_url.rstrip("/") + path


def statement_id(site: Site, event_id: int) -> str:
    """Return the statement's stable UUID: the same event always gives the same id."""
    return str(uuid.uuid5(site.namespace, f"event/{event_id}"))


def learner_account(site: Site, user_id: int | None) -> dict[str, Any]:
    """Return the learner as an opaque account on the site (no name, no e-mail)."""
    name = str(uuid.uuid5(site.namespace, f"learner/{user_id}"))
    return {"objectType": "Agent", "account": {"homePage": site.base_url, "name": name}}


def registration(site: Site, user_id: int | None) -> str:
    """Return the UUID of the learner's enrolment in the course (one per learner)."""
    return str(uuid.uuid5(site.namespace, f"registration/{user_id}"))


def iso_duration(length: timedelta) -> str:
    """Write a duration as ISO 8601 ("PT1H2M3.5S"), as xAPI results carry it."""
    seconds = max(length.total_seconds(), 0.0)
    hours, rest = divmod(seconds, 3600)
    minutes, rest = divmod(rest, 60)
    text = f"{rest:.2f}".rstrip("0").rstrip(".") or "0"
    return (
        "PT"
        + (f"{int(hours)}H" if hours else "")
        + (f"{int(minutes)}M" if minutes else "")
        + (f"{text}S")
    )


def _name(text: str) -> dict[str, str]:
    return {"fr-FR": text}


class Activities:
    """The course's activities: ids under the site, definitions, parents and grouping."""

    def __init__(self, site: Site, course: Course) -> None:
        self.site = site
        self.course = course

    def course_activity(self) -> dict[str, Any]:
        """Return the course as an activity."""
        return self._activity("course", self.site.url("/about"), self.course.info.title)

    def module_activity(self, module: Module) -> dict[str, Any]:
        """Return a module (a « séance ») as an activity."""
        return self._activity("module", self.site.url(f"/modules/{module.id}"), module.title)

    def quiz_activity(self, quiz: Quiz) -> dict[str, Any]:
        """Return a quiz as an assessment activity."""
        return self._activity("quiz", self.site.url(f"/quizzes/{quiz.id}"), quiz.title)

    def resolve(self, object_type: str, object_id: str) -> tuple[dict[str, Any], list[Any]]:
        """Return the event's object as an activity, and its parent activities."""
        if object_type == "module" and (module := self.course.module(object_id)):
            return self.module_activity(module), []
        if object_type == "step" and (module := self.course.module_of_step(object_id)):
            step = module.step(object_id)
            url = self.site.url(f"/modules/{module.id}/steps/{object_id}")
            title = step.title if step is not None else object_id
            return self._activity("step", url, title), [self.module_activity(module)]
        if object_type == "quiz" and (quiz := self.course.quizzes.get(object_id)):
            parent = self.course.module(quiz.module)
            return self.quiz_activity(quiz), [self.module_activity(parent)] if parent else []
        if object_type == "question":
            return self._question(object_id)
        if object_type == "course":
            return self.course_activity(), []
        url = self.site.url(f"/xapi/activities/{object_type}/{object_id}")
        return self._activity(object_type, url, object_id), []

    def _question(self, object_id: str) -> tuple[dict[str, Any], list[Any]]:
        quiz_id, _, question_id = object_id.partition("/")
        quiz = self.course.quizzes.get(quiz_id)
        question = quiz.question(question_id) if quiz else None
        url = self.site.url(f"/quizzes/{quiz_id}/questions/{question_id}")
        if quiz is None or question is None:
            return self._activity("question", url, question_id), []
        activity = self._activity("question", url, question.prompt)
        activity["definition"].update(interaction(question))
        return activity, [self.quiz_activity(quiz)]

    @staticmethod
    def _activity(kind: str, url: str, name: str) -> dict[str, Any]:
        definition = {
            "name": _name(name),
            "type": ACTIVITY_TYPES.get(kind, ACTIVITY_TYPES["course"]),
        }
        return {"objectType": "Activity", "id": url, "definition": definition}


def interaction(question: QuestionBase) -> dict[str, Any]:
    """Return a question's interaction type and right response, as its type describes them."""
    return question_type(question).interaction(question)


def statement(
    event: EventFacts, activities: Activities, cohorts: Sequence[tuple[int, str]] = ()
) -> dict[str, Any]:
    """Return the event as a full xAPI statement."""
    site = activities.site
    verb_id, verb_label = VERBS[event.verb]
    target, parents = activities.resolve(event.object_type, event.object_id)
    context: dict[str, Any] = {
        "registration": registration(site, event.user_id),
        "language": "fr-FR",
        "contextActivities": {
            "grouping": [
                activities.course_activity(),
                *(_cohort(site, cohort_id, name) for cohort_id, name in cohorts),
            ],
        },
    }
    if parents:
        context["contextActivities"]["parent"] = parents
    built: dict[str, Any] = {
        "id": statement_id(site, event.id),
        "actor": learner_account(site, event.user_id),
        "verb": {"id": verb_id, "display": _name(verb_label)},
        "object": target,
        "context": context,
        "timestamp": event.timestamp.isoformat(),
        "version": VERSION,
    }
    if event.result:
        built["result"] = event.result
    return built


def _cohort(site: Site, cohort_id: int, name: str) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": site.url(f"/xapi/cohorts/{cohort_id}"),
        "definition": {"name": _name(name), "type": COHORT_TYPE},
    }
