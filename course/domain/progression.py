"""Unlocking and progress: which modules are open, done, or locked and why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from course.content.model import Course, Module, Quiz, Tool


class State(StrEnum):
    LOCKED = "locked"
    AVAILABLE = "available"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


# What learners and trainers read for each state (templates look them up by the state's value).
STATE_LABELS = {
    State.LOCKED: "Verrouillée",
    State.AVAILABLE: "Disponible",
    State.IN_PROGRESS: "En cours",
    State.COMPLETED: "Terminée",
}


@dataclass(frozen=True)
class QuizRecord:
    """A learner's standing on one quiz: attempts submitted, best score, passed or not."""

    attempts: int = 0
    best_score: float | None = None
    passed: bool = False


@dataclass(frozen=True)
class Progress:
    """Everything the rules need to know of one learner."""

    done_steps: frozenset[str] = frozenset()
    quizzes: Mapping[str, QuizRecord] = field(default_factory=dict)
    waived: frozenset[str] = frozenset()  # module ids whose lock a trainer waived
    opened_steps: frozenset[str] = frozenset()  # step ids whose page the learner opened

    def has_opened(self, step_id: str) -> bool:
        """Tell whether the learner opened a step (marking it done counts as opening it)."""
        return step_id in self.opened_steps or step_id in self.done_steps

    def record(self, quiz_id: str) -> QuizRecord:
        """Return the learner's record on a quiz (empty if never attempted)."""
        return self.quizzes.get(quiz_id, QuizRecord())


@dataclass(frozen=True)
class Requirement:
    """What a lock waits for: passing the quiz of an earlier module."""

    module_id: str
    quiz_id: str
    best_score: float | None
    attempts_left: int | None


@dataclass(frozen=True)
class ModuleStatus:
    module_id: str
    state: State
    steps_done: int
    steps_total: int
    quiz_passed: bool
    missing: tuple[Requirement, ...] = ()

    @property
    def percent(self) -> int:
        """Return progress through the module: each step and the quiz count as one part."""
        parts = self.steps_total + 1
        return round(100 * (self.steps_done + int(self.quiz_passed)) / parts)


@dataclass(frozen=True)
class NextAction:
    """The next thing to do: a step, a quiz, or nothing (course completed)."""

    kind: str  # "pretest" | "step" | "quiz" | "done"
    module_id: str | None = None
    target_id: str | None = None


def attempts_left(quiz: Quiz, record: QuizRecord) -> int | None:
    """Return how many attempts remain on a quiz; None when unlimited."""
    if quiz.max_attempts is None:
        return None
    return max(0, quiz.max_attempts - record.attempts)


def module_status(course: Course, module: Module, progress: Progress) -> ModuleStatus:
    """Tell whether a module is locked, available, in progress or completed, and why."""
    done = sum(1 for s in module.steps if s.id in progress.done_steps)
    quiz_passed = progress.record(module.quiz).passed
    missing = () if module.id in progress.waived else _missing(course, module, progress)
    if missing:
        state = State.LOCKED
    elif quiz_passed and done == len(module.steps):
        state = State.COMPLETED
    elif done or quiz_passed or progress.record(module.quiz).attempts:
        state = State.IN_PROGRESS
    else:
        state = State.AVAILABLE
    return ModuleStatus(module.id, state, done, len(module.steps), quiz_passed, missing)


def _missing(course: Course, module: Module, progress: Progress) -> tuple[Requirement, ...]:
    needed = []
    for required_id in module.requires or ():
        required = course.module(required_id)
        if required is None:
            continue
        record = progress.record(required.quiz)
        if not record.passed:
            quiz = course.quizzes[required.quiz]
            needed.append(
                Requirement(required.id, quiz.id, record.best_score, attempts_left(quiz, record))
            )
    return tuple(needed)


def course_status(course: Course, progress: Progress) -> list[ModuleStatus]:
    """Return every module's status, in course order."""
    return [module_status(course, m, progress) for m in course.modules]


def course_completed(course: Course, progress: Progress) -> bool:
    """Tell whether every module is completed."""
    return all(s.state is State.COMPLETED for s in course_status(course, progress))


def tool_unlocked(course: Course, tool: Tool, progress: Progress) -> bool:
    """Tell whether a tool is open by its `unlocked_by` rule (its module's quiz, or a step)."""
    return tool_denial(course, tool, progress) is None


def unlocked_tools(course: Course, progress: Progress) -> frozenset[str]:
    """Return the ids of every tool the learner has unlocked."""
    return frozenset(t.id for t in course.tools.values() if tool_unlocked(course, t, progress))


def next_action(course: Course, progress: Progress) -> NextAction:
    """Return the next thing to do in the first open module: its pre-test while the module is
    untouched (no step, no attempt), else the first undone step, else its quiz."""
    for status, module in zip(course_status(course, progress), course.modules, strict=True):
        if status.state in (State.LOCKED, State.COMPLETED):
            continue
        if module.pretest and _untouched(module, status, progress):
            return NextAction("pretest", module.id, module.pretest)
        step = next((s for s in module.steps if s.id not in progress.done_steps), None)
        if step is not None:
            return NextAction("step", module.id, step.id)
        return NextAction("quiz", module.id, module.quiz)
    return NextAction("done")


def _untouched(module: Module, status: ModuleStatus, progress: Progress) -> bool:
    """Tell whether the learner has done nothing in a module yet: no step, no quiz attempt."""
    tried = (progress.record(q).attempts for q in (module.quiz, module.pretest) if q)
    return not status.steps_done and not any(tried)


@dataclass(frozen=True)
class Denial:
    """Why a learner may not do something: a locked module, no attempt left, a locked tool."""

    reason: str  # "locked" | "no_attempts_left" | "tool_locked"
    missing: tuple[Requirement, ...] = ()
    module_id: str | None = None
    step_id: str | None = None  # a tool unlocked by a step: the step to open


def module_denial(course: Course, module: Module, progress: Progress) -> Denial | None:
    """Tell why a module is still locked (the quizzes it waits for), or None if it is open."""
    return status_denial(module_status(course, module, progress))


def status_denial(status: ModuleStatus) -> Denial | None:
    """Tell why a module in this status is still locked, or None if it is open."""
    if status.state is State.LOCKED:
        return Denial("locked", status.missing, status.module_id)
    return None


def quiz_denial(course: Course, quiz: Quiz, progress: Progress, *, starting: bool) -> Denial | None:
    """Tell why a learner may not start (or submit) an attempt at a quiz, or None if they may."""
    module = course.module(quiz.module)
    if module is None:
        return Denial("locked")
    locked = module_denial(course, module, progress)
    if locked is not None:
        return locked
    if starting and attempts_left(quiz, progress.record(quiz.id)) == 0:
        return Denial("no_attempts_left", module_id=module.id)
    return None


def tool_denial(course: Course, tool: Tool, progress: Progress) -> Denial | None:
    """Tell why a tool is still locked by its `unlocked_by` rule, or None if it is open."""
    module = course.module(tool.module)
    if module is None:
        return Denial("tool_locked")
    if tool.unlocked_by is not None:
        return _step_tool_denial(course, module, tool.unlocked_by.step, progress)
    record = progress.record(module.quiz)
    if record.passed:
        return None
    quiz = course.quizzes[module.quiz]
    need = Requirement(module.id, quiz.id, record.best_score, attempts_left(quiz, record))
    return Denial("tool_locked", (need,), module.id)


def _step_tool_denial(
    course: Course, module: Module, step_id: str, progress: Progress
) -> Denial | None:
    """A step-unlocked tool opens once that step of its (open) module has been opened."""
    locked = module_denial(course, module, progress)
    if locked is None and progress.has_opened(step_id):
        return None
    missing = locked.missing if locked is not None else ()
    return Denial("tool_locked", missing, module.id, step_id)


def with_pass(progress: Progress, quiz_id: str, score: float) -> Progress:
    """Return the progress as it stands once a passing attempt at a quiz is added."""
    record = progress.record(quiz_id)
    best = score if record.best_score is None else max(record.best_score, score)
    quizzes = {**progress.quizzes, quiz_id: QuizRecord(record.attempts, best, passed=True)}
    return replace(progress, quizzes=quizzes)
