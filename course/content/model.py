"""The authored course as frozen, typed objects (DESIGN.md §2)."""

from __future__ import annotations

import re
from collections import Counter
from functools import cached_property
from typing import Annotated, Literal, get_args

from pydantic import Field, StringConstraints, model_validator

from .model_base import Frozen, Id, Text
from .textfold import fold
from .tool_model import Tool

StepKind = Literal["case", "testimony", "expert", "synthesis", "deep-dive", "action", "reading"]
ActivityKind = Literal["reflection", "exercise", "tool", "video"]


class Objective(Frozen):
    id: Id
    text: Text


class Video(Frozen):
    url: Annotated[str, StringConstraints(pattern=r"^(https://|/)")]
    transcript: str = ""
    transcript_html: str = ""


class Activity(Frozen):
    """Work a step asks for beyond reading: a reflection, an exercise, a tool, a video."""

    kind: ActivityKind
    minutes: Annotated[int, Field(gt=0, le=600)]
    title: str = ""
    prompt: str = ""
    tool: Id | None = None  # kind `tool`: the practical tool to open
    prompt_html: str = ""
    line: int = 0


class Step(Frozen):
    id: Id
    title: Text
    kind: StepKind
    duration_minutes: Annotated[int, Field(gt=0, le=600)]
    objectives: tuple[Id, ...] = ()
    video: Video | None = None
    activities: tuple[Activity, ...] = ()
    words: int = 0  # words of the body, counted at load
    estimated_minutes: int = 0  # words at 200 a minute plus the activities' minutes
    html: str = ""
    path: str = ""


class Choice(Frozen):
    id: Id
    text: Text
    correct: bool = False
    feedback: str = ""
    misconception: Id | None = None
    html: str = ""
    feedback_html: str = ""
    line: int = 0


class Item(Frozen):
    id: Id
    text: Text
    html: str = ""
    line: int = 0


class Pair(Frozen):
    id: Id
    left: Text
    right: Text
    left_html: str = ""
    right_html: str = ""
    line: int = 0


class QuestionBase(Frozen):
    id: Id
    prompt: Text
    points: Annotated[float, Field(gt=0, le=100)] = 1.0
    objective: Id | None = None  # None only in imported banks: the check warns
    step: Id | None = None
    explanation: str = ""
    feedback_wrong: str = ""
    misconception: Id | None = None
    lint_ignore: dict[str, str] = Field(default_factory=dict)  # item-writing rule -> why
    prompt_html: str = ""
    explanation_html: str = ""
    feedback_wrong_html: str = ""
    line: int = 0

    def tagged(self) -> tuple[tuple[str, int], ...]:
        """Return each misconception id the question names, with the line that names it."""
        return ((self.misconception, self.line),) if self.misconception else ()

    def can_be_right(self) -> bool:
        """Tell whether some answer earns every point (for the reachable-pass-mark check)."""
        return True


class ChoiceQuestion(QuestionBase):
    """A question answered by picking among choices, each of which may name a misconception."""

    choices: Annotated[tuple[Choice, ...], Field(min_length=2, max_length=20)]

    def tagged(self) -> tuple[tuple[str, int], ...]:
        """Return the question's misconception id and its choices', with their lines."""
        own = super().tagged()
        return own + tuple((c.misconception, c.line) for c in self.choices if c.misconception)

    def can_be_right(self) -> bool:
        """Tell whether a choice is marked correct."""
        return any(c.correct for c in self.choices)


class SingleQuestion(ChoiceQuestion):
    type: Literal["single"]


class MultipleQuestion(ChoiceQuestion):
    type: Literal["multiple"]
    partial: bool = False


class TrueFalseQuestion(QuestionBase):
    type: Literal["true_false"]
    answer: bool


class NumericQuestion(QuestionBase):
    type: Literal["numeric"]
    answer: float
    tolerance: Annotated[float, Field(ge=0)] = 0.0
    unit: str = ""


class TextQuestion(QuestionBase):
    type: Literal["text"]
    accept: Annotated[tuple[Text, ...], Field(min_length=1)]

    def can_be_right(self) -> bool:
        """Tell whether an accepted answer is left once folded."""
        return any(fold(a) for a in self.accept)


class OrderingQuestion(QuestionBase):
    type: Literal["ordering"]
    items: Annotated[tuple[Item, ...], Field(min_length=2, max_length=20)]
    partial: bool = False


class MatchingQuestion(QuestionBase):
    type: Literal["matching"]
    pairs: Annotated[tuple[Pair, ...], Field(min_length=2, max_length=20)]
    partial: bool = False


class Blank(Frozen):
    """One blank of a cloze text: typed (its `accept`ed answers) or picked among `choices`."""

    id: Id
    accept: tuple[Text, ...] = ()
    choices: Annotated[tuple[Choice, ...], Field(max_length=20)] = ()

    @model_validator(mode="after")
    def _typed_or_picked(self) -> Blank:
        if bool(self.accept) == bool(self.choices):
            raise ValueError(f"blank '{self.id}' needs either accept or choices (not both)")
        if self.choices and sum(c.correct for c in self.choices) != 1:
            raise ValueError(f"blank '{self.id}' needs exactly one correct choice")
        if not all(fold(a) for a in self.accept):
            raise ValueError(f"blank '{self.id}': an accepted answer is empty once folded")
        return self


BLANK_MARK = re.compile(r"\[\[([^\]]*)\]\]")


class ClozeQuestion(QuestionBase):
    """« Texte à trous »: a text whose blanks `[[blank-id]]` are defined in `blanks`."""

    type: Literal["cloze"]
    text: Text
    blanks: Annotated[tuple[Blank, ...], Field(min_length=1, max_length=20)]

    @model_validator(mode="after")
    def _blanks_match_the_text(self) -> ClozeQuestion:
        used = Counter(BLANK_MARK.findall(self.text))
        defined = Counter(b.id for b in self.blanks)
        problems = [
            f"blank [[{b}]] in text is not defined in blanks" for b in used if b not in defined
        ]
        problems += [f"blank '{b}' is defined but not in text" for b in defined if b not in used]
        problems += [f"blank [[{b}]] appears {n} times in text" for b, n in used.items() if n > 1]
        problems += [f"blank '{b}' is defined {n} times" for b, n in defined.items() if n > 1]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def parts(self) -> tuple[tuple[str, Blank | None], ...]:
        """Return the text cut at its blanks: each piece of text, and the blank that follows it."""
        blanks = {b.id: b for b in self.blanks}
        pieces = BLANK_MARK.split(self.text)  # text, id, text, id, ..., text
        found = [(pieces[i], blanks.get(pieces[i + 1])) for i in range(0, len(pieces) - 1, 2)]
        return (*found, (pieces[-1], None))

    def tagged(self) -> tuple[tuple[str, int], ...]:
        """Return the question's misconception id and its blanks' choices' ids."""
        own = super().tagged()
        picks = (c for b in self.blanks for c in b.choices)
        return own + tuple((c.misconception, self.line) for c in picks if c.misconception)


Question = Annotated[
    SingleQuestion
    | MultipleQuestion
    | TrueFalseQuestion
    | NumericQuestion
    | TextQuestion
    | OrderingQuestion
    | MatchingQuestion
    | ClozeQuestion,
    Field(discriminator="type"),
]


def question_type_names() -> tuple[str, ...]:
    """Return the name of every question type the format accepts (each `type:` value)."""
    classes = get_args(get_args(Question)[0])
    return tuple(get_args(cls.model_fields["type"].annotation)[0] for cls in classes)


class Quiz(Frozen):
    id: Id
    module: Id
    kind: Literal["quiz", "pretest"] = "quiz"
    title: Text
    duration_minutes: Annotated[int, Field(ge=0, le=600)] = 0
    pass_mark: Annotated[float, Field(gt=0, le=1)]
    max_attempts: Annotated[int, Field(gt=0)] | None = None
    confidence: bool = False
    draw: Annotated[int, Field(gt=0)] | None = None
    shuffle: bool = True
    scoring: Literal["plain", "cbm"] = "plain"
    misconceptions: dict[Id, Text] = Field(default_factory=dict)  # id -> label learners read
    questions: Annotated[tuple[Question, ...], Field(min_length=1)]
    content_hash: str = ""
    path: str = ""

    @cached_property
    def questions_by_id(self) -> dict[str, Question]:
        """Return the questions by id (built once: the dashboard looks up many answers)."""
        return {q.id: q for q in self.questions}

    def question(self, question_id: str) -> Question | None:
        """Return the question with this id, if any."""
        return self.questions_by_id.get(question_id)

    def misconception_label(self, misconception_id: str) -> str:
        """Return the label of a misconception (the check makes sure every id has one)."""
        return self.misconceptions.get(misconception_id) or misconception_id.replace("-", " ")


class Module(Frozen):
    id: Id
    title: Text
    order: int
    duration_minutes: Annotated[int, Field(gt=0, le=6000)]
    objectives: Annotated[tuple[Objective, ...], Field(min_length=1)]
    quiz: Id
    requires: tuple[Id, ...] | None = None
    tools: tuple[Id, ...] = ()
    steps: tuple[Step, ...] = ()
    pretest: Id | None = None
    estimated_minutes: int = 0  # the steps' estimates plus the quizzes' durations
    html: str = ""
    path: str = ""

    def step(self, step_id: str) -> Step | None:
        """Return the step with this id, if any."""
        return next((s for s in self.steps if s.id == step_id), None)


class Page(Frozen):
    id: Id
    title: Text
    order: int = 0
    html: str = ""
    path: str = ""


class CourseInfo(Frozen):
    title: Text
    subtitle: str = ""
    html: str = ""
    # A line under every page (the course's credit, its source); none when empty.
    footer: str = ""
    # Labels for step kinds, where the course wants its own (`case: "Alliance fil rouge"`).
    step_kinds: dict[StepKind, Text] = Field(default_factory=dict)


class Course(Frozen):
    """The whole authored course, checked and linked."""

    info: CourseInfo
    modules: tuple[Module, ...]
    quizzes: dict[str, Quiz]
    tools: dict[str, Tool]
    pages: tuple[Page, ...] = ()

    def module(self, module_id: str) -> Module | None:
        """Return the module with this id, if any."""
        return next((m for m in self.modules if m.id == module_id), None)

    def page(self, page_id: str) -> Page | None:
        """Return the course page with this id, if any."""
        return next((p for p in self.pages if p.id == page_id), None)

    def module_of_step(self, step_id: str) -> Module | None:
        """Return the module that holds this step."""
        return next((m for m in self.modules if m.step(step_id) is not None), None)

    def module_quiz_scoring(self, module_id: str) -> str:
        """Return how the module's quiz is scored ("plain" or "cbm"; "plain" if no such quiz)."""
        module = self.module(module_id)
        quiz = self.quizzes.get(module.quiz) if module is not None else None
        return quiz.scoring if quiz is not None else "plain"
