"""Unlocking and progress rules, on the fixture course."""

from __future__ import annotations

import pytest

from course.content.model import Course, Tool
from course.content.tool_model import StepUnlock
from course.domain import progression
from course.domain.progression import (
    Denial,
    NextAction,
    Progress,
    QuizRecord,
    State,
    course_completed,
    course_status,
    module_denial,
    module_status,
    next_action,
    quiz_denial,
    tool_denial,
    tool_unlocked,
    unlocked_tools,
)


def states(course: Course, progress: Progress) -> list[State]:
    return [s.state for s in course_status(course, progress)]


def test_first_module_is_open_and_the_rest_locked(course: Course) -> None:
    assert states(course, Progress()) == [State.AVAILABLE, State.LOCKED, State.LOCKED]


def test_requires_defaults_to_the_previous_module(course: Course) -> None:
    assert course.module("m1").requires == ()
    assert course.module("m2").requires == ("m1",)
    assert course.module("m3").requires == ("m2",)


def test_a_lock_explains_itself(course: Course) -> None:
    progress = Progress(quizzes={"m1-quiz": QuizRecord(attempts=2, best_score=0.4)})
    status = module_status(course, course.module("m2"), progress)
    assert status.state is State.LOCKED
    (need,) = status.missing
    assert (need.module_id, need.quiz_id, need.best_score, need.attempts_left) == (
        "m1",
        "m1-quiz",
        0.4,
        1,
    )


def test_passing_the_quiz_opens_the_next_module(course: Course) -> None:
    progress = Progress(quizzes={"m1-quiz": QuizRecord(1, 0.8, passed=True)})
    assert states(course, progress) == [State.IN_PROGRESS, State.AVAILABLE, State.LOCKED]


def test_steps_alone_do_not_complete_a_module(course: Course) -> None:
    progress = Progress(done_steps=frozenset({"m1-intro", "m1-pratique"}))
    assert states(course, progress)[0] is State.IN_PROGRESS


def test_steps_and_quiz_complete_a_module(course: Course) -> None:
    progress = Progress(
        done_steps=frozenset({"m1-intro", "m1-pratique"}),
        quizzes={"m1-quiz": QuizRecord(1, 1.0, passed=True)},
    )
    status = module_status(course, course.module("m1"), progress)
    assert status.state is State.COMPLETED
    assert status.percent == 100


def test_a_waiver_lifts_a_lock(course: Course) -> None:
    progress = Progress(waived=frozenset({"m2"}))
    assert states(course, progress)[1] is State.AVAILABLE


def test_course_completed_when_every_module_is(course: Course) -> None:
    every_step = frozenset(s.id for m in course.modules for s in m.steps)
    passed_all = {m.quiz: QuizRecord(1, 1.0, True) for m in course.modules}
    assert course_completed(course, Progress(every_step, passed_all))
    assert not course_completed(course, Progress(every_step, {"m1-quiz": QuizRecord(1, 1, True)}))


def test_next_action_walks_pretest_steps_then_quiz_then_next_module(course: Course) -> None:
    assert next_action(course, Progress()) == NextAction("pretest", "m1", "m1-positionnement")
    pretest_taken = Progress(quizzes={"m1-positionnement": QuizRecord(1, 0.2, False)})
    assert next_action(course, pretest_taken).target_id == "m1-intro"
    # A learner who went straight to the steps is not sent back to the pre-test.
    assert next_action(course, Progress(frozenset({"m1-intro"}))).target_id == "m1-pratique"
    done = frozenset({"m1-intro", "m1-pratique"})
    assert next_action(course, Progress(done)).target_id == "m1-quiz"
    after_quiz = Progress(done, {"m1-quiz": QuizRecord(1, 1.0, True)})
    assert next_action(course, after_quiz).target_id == "m2-ordre"


def test_tools_unlock_with_their_module_quiz(course: Course) -> None:
    tool = course.tools["outil-1"]
    passed = Progress(quizzes={"m1-quiz": QuizRecord(1, 1.0, True)})
    assert not tool_unlocked(course, tool, Progress())
    assert tool_unlocked(course, tool, passed)
    assert unlocked_tools(course, Progress()) == frozenset()
    assert unlocked_tools(course, passed) == {"outil-1"}


@pytest.mark.parametrize(
    ("quiz_id", "record", "starting", "reason"),
    [
        ("m1-quiz", QuizRecord(), True, None),
        ("m1-quiz", QuizRecord(3, 0.2), True, "no_attempts_left"),
        ("m1-quiz", QuizRecord(3, 0.2), False, None),
        ("m2-quiz", QuizRecord(), True, "locked"),
        ("m2-quiz", QuizRecord(), False, "locked"),
        ("m1-positionnement", QuizRecord(), True, None),
    ],
)
def test_quiz_denial(
    course: Course, quiz_id: str, record: QuizRecord, starting: bool, reason: str | None
) -> None:
    progress = Progress(quizzes={"m1-quiz": record})
    denial = quiz_denial(course, course.quizzes[quiz_id], progress, starting=starting)
    assert (denial.reason if denial else None) == reason


def step_tool(course: Course, module_id: str, step_id: str) -> Tool:
    update = {"module": module_id, "unlocked_by": StepUnlock(step=step_id)}
    return course.tools["outil-1"].model_copy(update=update)


M1_PASSED = {"m1-quiz": QuizRecord(1, 1.0, True)}


@pytest.mark.parametrize(
    ("module_id", "step_id", "progress", "open_"),
    [
        pytest.param("m1", "m1-pratique", Progress(), False, id="not-opened"),
        pytest.param(
            "m1",
            "m1-pratique",
            Progress(opened_steps=frozenset({"m1-pratique"})),
            True,
            id="opened",
        ),
        pytest.param("m1", "m1-pratique", Progress(frozenset({"m1-pratique"})), True, id="done"),
        pytest.param(
            "m1",
            "m1-pratique",
            Progress(opened_steps=frozenset({"m1-intro"})),
            False,
            id="another-step-opened",
        ),
        pytest.param(
            "m1", "m1-pratique", Progress(quizzes=M1_PASSED), False, id="quiz-is-not-the-rule"
        ),
        pytest.param(
            "m2",
            "m2-ordre",
            Progress(opened_steps=frozenset({"m2-ordre"})),
            False,
            id="opened-but-module-locked",
        ),
        pytest.param(
            "m2",
            "m2-ordre",
            Progress(quizzes=M1_PASSED, opened_steps=frozenset({"m2-ordre"})),
            True,
            id="opened-in-an-open-module",
        ),
        pytest.param(
            "m2",
            "m2-ordre",
            Progress(opened_steps=frozenset({"m2-ordre"}), waived=frozenset({"m2"})),
            True,
            id="opened-in-a-waived-module",
        ),
    ],
)
def test_a_tool_unlocked_by_a_step(
    course: Course, module_id: str, step_id: str, progress: Progress, open_: bool
) -> None:
    assert tool_unlocked(course, step_tool(course, module_id, step_id), progress) is open_


def test_a_step_tool_lock_names_the_step_and_what_opens_its_module(course: Course) -> None:
    tool = step_tool(course, "m2", "m2-ordre")
    denial = tool_denial(course, tool, Progress())
    assert denial is not None
    assert (denial.reason, denial.module_id, denial.step_id) == ("tool_locked", "m2", "m2-ordre")
    assert [need.quiz_id for need in denial.missing] == ["m1-quiz"]
    opened = Progress(quizzes=M1_PASSED)
    assert tool_denial(course, tool, opened) == Denial("tool_locked", (), "m2", "m2-ordre")


def test_module_denial(course: Course) -> None:
    assert module_denial(course, course.module("m1"), Progress()) is None
    denial = module_denial(course, course.module("m2"), Progress())
    assert denial is not None
    assert (denial.reason, denial.module_id) == ("locked", "m2")
    assert [need.module_id for need in denial.missing] == ["m1"]
    assert module_denial(course, course.module("m2"), Progress(quizzes=M1_PASSED)) is None


def test_every_state_has_one_label() -> None:
    assert set(progression.STATE_LABELS) == set(progression.State)
    assert progression.STATE_LABELS["locked"] == "Verrouillée"  # templates look up by value
