"""What a result leads to, on the fixture course: steps to revisit, what a pass opened."""

from __future__ import annotations

import pytest

from course.content import load_course_or_raise
from course.content.model import Course, Quiz
from course.domain.next_steps import next_steps, steps_to_revisit
from course.domain.progression import Progress, QuizRecord
from tests.conftest import FIXTURE_COURSE


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course_or_raise(FIXTURE_COURSE)


def with_steps(quiz: Quiz, steps: dict[str, str | None]) -> Quiz:
    """Return the quiz with the given questions linked to the given steps."""
    questions = [q.model_copy(update={"step": steps.get(q.id, q.step)}) for q in quiz.questions]
    return quiz.model_copy(update={"questions": tuple(questions)})


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([], ()),
        ([("q-single", 1.0), ("q-multiple", 1.0)], ()),
        ([("q-single", 0.0)], ("m1-intro",)),
        ([("q-multiple", 0.5), ("q-single", 0.0), ("q-vf", 0.0)], ("m1-pratique", "m1-intro")),
        ([("q-single", 0.0), ("q-num", 0.0), ("q-vf", 0.0)], ("m1-intro", "m1-pratique")),
        ([("q-text", 0.0)], ()),  # no step linked
        ([("inconnue", 0.0)], ()),  # a question the course no longer has
    ],
)
def test_steps_to_revisit_come_from_wrong_answers_without_repeats(
    course: Course, answers: list[tuple[str, float]], expected: tuple[str, ...]
) -> None:
    quiz = with_steps(
        course.quizzes["m1-quiz"],
        {"q-multiple": "m1-pratique", "q-vf": "m1-pratique", "q-num": "m1-intro"},
    )
    assert steps_to_revisit(course, quiz, answers) == expected


def test_a_step_the_course_no_longer_has_is_left_out(course: Course) -> None:
    quiz = with_steps(course.quizzes["m1-quiz"], {"q-single": "disparue"})
    assert steps_to_revisit(course, quiz, [("q-single", 0.0)]) == ()


def test_a_fail_opens_nothing(course: Course) -> None:
    progress = Progress(quizzes={"m1-quiz": QuizRecord(1, 0.2, passed=False)})
    found = next_steps(course, course.quizzes["m1-quiz"], [("q-single", 0.0)], progress)
    assert found.revisit == ("m1-intro",)
    assert found.opened_modules == ()
    assert found.opened_tools == ()
    assert not found.completed


def test_a_pass_names_the_module_and_tools_it_opened(course: Course) -> None:
    progress = Progress(quizzes={"m1-quiz": QuizRecord(1, 0.9, passed=True)})
    found = next_steps(course, course.quizzes["m1-quiz"], [("q-single", 1.0)], progress)
    assert found.opened_modules == ("m2",)
    assert found.opened_tools == ("outil-1",)
    assert found.then.kind == "step"


def test_the_last_pass_completes_the_course(course: Course) -> None:
    steps = frozenset(s.id for m in course.modules for s in m.steps)
    quizzes = {m.quiz: QuizRecord(1, 1.0, passed=True) for m in course.modules}
    found = next_steps(course, course.quizzes["m3-quiz"], [], Progress(steps, quizzes))
    assert found.completed
    assert found.opened_modules == ()
    assert found.then.kind == "done"
