"""The real course: it passes the check and meets the course's own bar (issue 3)."""

from __future__ import annotations

from collections import Counter

import pytest

from course.content import load_course
from course.content.errors import Problem
from course.content.model import Course, MultipleQuestion, SingleQuestion
from tests.conftest import REPO_ROOT

SCENARIO = ("Vous ", "Votre ", "Vos ")  # « Vous êtes chargée de mission… »: a situation to act in


@pytest.fixture(scope="module")
def problems() -> list[Problem]:
    return load_course(REPO_ROOT)[1]


@pytest.fixture(scope="module")
def course() -> Course:
    loaded, problems = load_course(REPO_ROOT)
    assert [str(p) for p in problems] == [], "the real course has errors or warnings"
    assert loaded is not None
    return loaded


def test_four_modules_of_two_hours(course: Course) -> None:
    assert [m.duration_minutes for m in course.modules] == [120] * 4


@pytest.mark.parametrize("index", range(4))
def test_module_time_adds_up_to_two_hours(course: Course, index: int) -> None:
    module = course.modules[index]
    pretest = course.quizzes[module.pretest] if module.pretest else None
    total = (
        sum(s.duration_minutes for s in module.steps) + course.quizzes[module.quiz].duration_minutes
    )
    total += pretest.duration_minutes if pretest else 0
    assert total == module.duration_minutes


@pytest.mark.parametrize("index", range(4))
def test_module_is_honestly_two_hours_by_the_estimate(course: Course, index: int) -> None:
    module = course.modules[index]
    assert module.estimated_minutes == module.duration_minutes == 120


@pytest.mark.parametrize("index", range(4))
def test_module_files_have_no_warning(course: Course, problems: list[Problem], index: int) -> None:
    module = course.modules[index]
    own = (
        module.path.rsplit("/", 1)[0] + "/",
        *(course.quizzes[q].path for q in (module.quiz, module.pretest) if q),
        *(t.path for t in course.tools.values() if t.module == module.id),
    )
    assert [str(p) for p in problems if str(p).startswith(own)] == []


@pytest.mark.parametrize("index", range(4))
def test_at_least_40_percent_of_the_quiz_is_scenarios(course: Course, index: int) -> None:
    questions = course.quizzes[course.modules[index].quiz].questions
    scenarios = [q.id for q in questions if q.prompt.startswith(SCENARIO)]
    assert len(scenarios) >= 0.4 * len(questions), scenarios


@pytest.mark.parametrize("index", range(4))
def test_module_follows_the_mooc_rhythm(course: Course, index: int) -> None:
    module = course.modules[index]
    assert len(module.steps) >= 6
    assert 3 <= len(module.objectives) <= 5
    kinds = {s.kind for s in module.steps}
    assert {"case", "testimony", "expert", "synthesis", "deep-dive", "action"} <= kinds


def test_at_least_48_quiz_questions(course: Course) -> None:
    quizzes = [course.quizzes[m.quiz] for m in course.modules]
    assert sum(len(q.questions) for q in quizzes) >= 48


@pytest.mark.parametrize("index", range(4))
def test_each_quiz_meets_the_bar(course: Course, index: int) -> None:
    module = course.modules[index]
    quiz = course.quizzes[module.quiz]
    assert len(quiz.questions) >= 12
    assert len({q.type for q in quiz.questions}) >= 4
    assert 0.7 <= quiz.pass_mark <= 0.8
    assert quiz.confidence
    per_objective = Counter(q.objective for q in quiz.questions)
    assert all(per_objective[o.id] >= 2 for o in module.objectives), per_objective


def test_every_wrong_choice_has_feedback_and_a_misconception(course: Course) -> None:
    for quiz in course.quizzes.values():
        for question in quiz.questions:
            assert question.explanation, f"{quiz.id}/{question.id} has no explanation"
            if isinstance(question, SingleQuestion | MultipleQuestion):
                for choice in question.choices:
                    if not choice.correct:
                        assert choice.feedback, f"{quiz.id}/{question.id}/{choice.id}"
                        assert choice.misconception, f"{quiz.id}/{question.id}/{choice.id}"
            else:
                assert question.feedback_wrong, f"{quiz.id}/{question.id}"
                assert question.misconception, f"{quiz.id}/{question.id}"


@pytest.mark.parametrize("index", range(4))
def test_each_module_has_a_pretest_of_4_to_6_new_questions(course: Course, index: int) -> None:
    module = course.modules[index]
    assert module.pretest is not None
    pretest = course.quizzes[module.pretest]
    assert pretest.kind == "pretest"
    assert 4 <= len(pretest.questions) <= 6
    quiz_prompts = {q.prompt for q in course.quizzes[module.quiz].questions}
    assert not quiz_prompts & {q.prompt for q in pretest.questions}


def test_every_tool_opens_at_its_sessions_action_step(course: Course) -> None:
    for tool in course.tools.values():
        module = course.module(tool.module)
        assert module is not None, tool.id
        assert tool.unlocked_by is not None, tool.id
        step = module.step(tool.unlocked_by.step)
        assert step is not None, tool.id
        assert step.kind == "action", tool.id
        assert tool.id in {a.tool for a in step.activities}, (
            f"{tool.id} is no activity of {step.id}"
        )


def test_course_pages(course: Course) -> None:
    assert course.info.title
    assert {p.id for p in course.pages} >= {"glossaire", "sources"}
