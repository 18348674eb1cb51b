"""Learning events as xAPI statements: ids, actor, verb, object, context, result."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from course.content import load_course
from course.domain.questions import TYPES
from course.domain.questions.base import QuestionType
from course.domain.xapi import (
    Activities,
    EventFacts,
    Site,
    iso_duration,
    learner_account,
    statement,
    statement_id,
)
from tests.conftest import FIXTURE_COURSE

SITE = Site("https://parcours.example")
WHEN = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def activities() -> Activities:
    course, problems = load_course(FIXTURE_COURSE)
    assert course is not None, problems
    return Activities(SITE, course)


def event(verb: str, kind: str, object_id: str, result: dict | None = None) -> EventFacts:
    return EventFacts(7, 42, verb, kind, object_id, result, WHEN)


def test_the_id_is_a_stable_uuid_per_event_and_site() -> None:
    first = statement_id(SITE, 7)
    assert uuid.UUID(first).version == 5
    assert statement_id(SITE, 7) == first
    assert statement_id(SITE, 8) != first
    assert statement_id(Site("https://autre.example"), 7) != first


def test_the_learner_is_an_opaque_account_on_the_site() -> None:
    actor = learner_account(SITE, 42)
    assert actor["account"]["homePage"] == SITE.base_url
    assert actor["account"]["name"] != "42"
    assert actor == learner_account(SITE, 42)
    assert actor != learner_account(SITE, 43)


def test_a_completed_step_names_its_lesson_module_and_course(activities: Activities) -> None:
    built = statement(event("completed", "step", "m1-intro"), activities, [(3, "Promo 2027")])
    assert built["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert built["verb"]["display"] == {"fr-FR": "a terminé"}
    assert built["object"]["id"] == f"{SITE.base_url}/modules/m1/steps/m1-intro"
    assert built["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/lesson"
    assert built["object"]["definition"]["name"]["fr-FR"]
    context = built["context"]
    assert (
        context["registration"]
        == statement(event("attempted", "quiz", "m1-quiz"), activities)["context"]["registration"]
    )
    (parent,) = context["contextActivities"]["parent"]
    assert parent["id"] == f"{SITE.base_url}/modules/m1"
    course, cohort = context["contextActivities"]["grouping"]
    assert course["definition"]["type"] == "http://adlnet.gov/expapi/activities/course"
    assert cohort["definition"]["name"] == {"fr-FR": "Promo 2027"}
    assert built["timestamp"] == "2026-12-01T09:30:00+00:00"
    assert "result" not in built


def test_a_passed_quiz_carries_its_result(activities: Activities) -> None:
    result = {"success": True, "completion": True, "score": {"scaled": 0.8, "raw": 4, "max": 5}}
    built = statement(event("passed", "quiz", "m1-quiz", result), activities)
    assert built["result"] == result
    assert built["object"]["definition"]["type"] == (
        "http://adlnet.gov/expapi/activities/assessment"
    )
    assert built["context"]["contextActivities"]["parent"][0]["id"].endswith("/modules/m1")


def test_an_answer_is_an_interaction_of_its_quiz(activities: Activities) -> None:
    built = statement(event("answered", "question", "m1-quiz/q-vf"), activities)
    definition = built["object"]["definition"]
    assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert definition["interactionType"] == "true-false"
    assert definition["correctResponsesPattern"] == ["false"]
    assert built["context"]["contextActivities"]["parent"][0]["id"].endswith("/quizzes/m1-quiz")


@pytest.mark.parametrize(
    ("length", "text"),
    [
        (timedelta(seconds=0), "PT0S"),
        (timedelta(seconds=42), "PT42S"),
        (timedelta(minutes=3, seconds=7.5), "PT3M7.5S"),
        (timedelta(hours=1, minutes=2, seconds=3), "PT1H2M3S"),
    ],
)
def test_durations_are_iso_8601(length: timedelta, text: str) -> None:
    assert iso_duration(length) == text


XAPI_INTERACTIONS = {
    "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
    "sequencing", "likert", "numeric", "other",
}  # fmt: skip


def test_every_question_type_describes_its_interaction(activities: Activities) -> None:
    seen = set()
    for quiz in activities.course.quizzes.values():
        for question in quiz.questions:
            target, _ = activities.resolve("question", f"{quiz.id}/{question.id}")
            definition = target["definition"]
            assert definition["interactionType"] in XAPI_INTERACTIONS, question.type
            assert definition["correctResponsesPattern"], question.type
            seen.add(question.type)
    assert seen >= {"single", "multiple", "true_false", "numeric", "text", "ordering", "matching"}


def test_every_registered_type_describes_an_interaction() -> None:

    missing = [
        name for name, kind in TYPES.items() if type(kind).interaction is QuestionType.interaction
    ]
    assert missing == []
