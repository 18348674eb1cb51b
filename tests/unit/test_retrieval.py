"""Warm-up selection and scoring, mastery per objective, time spent: pure rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from course.content.model import Course
from course.domain.activity import time_spent
from course.domain.history import Answered
from course.domain.mastery import objective_mastery
from course.domain.warmup import score_warmup, warmup_questions


def at(minute: int) -> datetime:
    return datetime(2026, 11, 27, 9, 0, tzinfo=UTC) + timedelta(minutes=minute)


def answer(quiz: str, question: str, fraction: float, minute: int = 0, number: int = 1) -> Answered:
    return Answered(quiz, question, number, fraction, None, at(minute))


M1_WRONG = [
    answer("m1-quiz", "q-single", 0.0, 1),
    answer("m1-quiz", "q-vf", 0.0, 2),
    answer("m1-quiz", "q-num", 0.0, 3),
    answer("m1-quiz", "q-text", 1.0, 4),
]


def picked(course: Course, module_id: str, answers: list[Answered]) -> list[tuple[str, str]]:
    items = warmup_questions(course, course.module(module_id), answers)
    return [(i.quiz_id, i.question.id) for i in items]


def test_warmup_offers_questions_missed_in_earlier_modules(course: Course) -> None:
    assert sorted(picked(course, "m2", M1_WRONG)) == [
        ("m1-quiz", "q-num"),
        ("m1-quiz", "q-single"),
        ("m1-quiz", "q-vf"),
    ]


def test_warmup_needs_three_missed_questions(course: Course) -> None:
    assert picked(course, "m2", M1_WRONG[:2]) == []


def test_warmup_never_takes_the_module_itself_or_later_ones(course: Course) -> None:
    assert picked(course, "m1", M1_WRONG) == []
    m3_wrong = [answer("m3-quiz", q, 0.0) for q in ("q-fin-1", "q-fin-2")]
    assert ("m3-quiz", "q-fin-1") not in picked(course, "m2", M1_WRONG + m3_wrong)


def test_warmup_puts_still_wrong_questions_first_and_stops_at_five(course: Course) -> None:
    answers = [
        answer("m1-quiz", "q-single", 0.0, 1),
        answer("m1-quiz", "q-single", 1.0, 50, number=2),  # since answered right
        answer("m1-quiz", "q-multiple", 0.0, 2),
        answer("m1-quiz", "q-vf", 0.0, 3),
        answer("m1-quiz", "q-num", 0.0, 4),
        answer("m1-quiz", "q-text", 0.0, 5),
        answer("m2-quiz", "q-order", 0.0, 6),
    ]
    found = picked(course, "m3", answers)
    assert len(found) == 5
    assert ("m1-quiz", "q-single") not in found  # the only one answered right since
    assert found[0] == ("m1-quiz", "q-multiple")  # still wrong and the longest unseen


def test_warmup_ignores_pretests(course: Course) -> None:
    pretest = [answer("m1-positionnement", q, 0.0) for q in ("p-vf", "p-vf2", "p-vf3")]
    assert picked(course, "m2", pretest) == []


def test_warmup_scores_prefixed_fields_and_reports_unreadable_ones(course: Course) -> None:
    items = warmup_questions(course, course.module("m2"), M1_WRONG)
    by_id = {i.question.id: i for i in items}
    form = {
        f"{by_id['q-single'].prefix}q-q-single": ["a"],
        f"{by_id['q-vf'].prefix}q-q-vf": ["true"],
        f"{by_id['q-num'].prefix}q-q-num": ["beaucoup"],
        "q-q-single": ["b"],  # unprefixed fields are not the warm-up's
    }
    results = {r.item.question.id: r for r in score_warmup(items, form)}
    assert results["q-single"].fraction == 1.0
    assert results["q-vf"].fraction == 0.0
    assert results["q-num"].error is not None


def test_mastery_uses_the_latest_answer_per_question(course: Course) -> None:
    answers = [
        answer("m1-quiz", "q-single", 0.0, 1),
        answer("m1-quiz", "q-single", 1.0, 9, number=2),
        answer("m1-quiz", "q-multiple", 0.5, 2),
        answer("m1-quiz", "q-vf", 0.0, 3),
        answer("m1-positionnement", "p-vf3", 1.0, 0),  # pre-tests do not count
    ]
    mastery = {m.objective_id: m for m in objective_mastery(course, answers)}
    assert mastery["m1-o1"].score == pytest.approx(0.75)
    assert mastery["m1-o1"].level == "on_track"
    assert mastery["m1-o2"].score == 0.0
    assert mastery["m1-o2"].level == "to_work"
    assert mastery["m2-o1"].level == "unassessed"
    assert [m.objective_id for m in objective_mastery(course, [])] == [
        "m1-o1",
        "m1-o2",
        "m2-o1",
        "m3-o1",
    ]


@pytest.mark.parametrize(
    ("minutes", "spent"),
    [
        ([], 0),
        ([0], 0),
        ([0, 10, 25], 25),
        ([0, 10, 200, 215], 25),  # a pause longer than 30 minutes starts a new session
        ([215, 0, 10, 200], 25),
        ([0, 30], 30),
        ([0, 31], 0),
    ],
)
def test_time_spent_adds_up_sessions(minutes: list[int], spent: int) -> None:
    assert time_spent(at(m) for m in minutes) == timedelta(minutes=spent)
