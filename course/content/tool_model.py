"""Practical tools as typed objects: worksheets of fields, and how their results are computed."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field as Spec
from pydantic import field_validator

from .model_base import Frozen, Id, Text

Fraction = Annotated[float, Spec(ge=0, le=1)]
MAX_ROWS_LIMIT = 100


class Option(Frozen):
    id: Id
    label: Text
    action: str = ""  # for checklists: the next action suggested while it is unchecked


class Column(Frozen):
    id: Id
    label: Text
    type: Literal["text", "choice", "scale", "number"]
    options: tuple[Option, ...] = ()
    points: tuple[Text, ...] = ()
    max_length: Annotated[int, Spec(gt=0, le=2000)] = 200
    required: bool = False
    minimum: float = 0  # number: the smallest value accepted
    maximum: float = 1_000_000_000  # number: the largest value accepted


class ToolField(Frozen):
    id: Id
    label: Text
    type: Literal["text", "textarea", "scale", "choice", "checklist", "rows"]
    help: str = ""
    required: bool = False
    max_length: Annotated[int, Spec(gt=0, le=20000)] | None = None
    points: tuple[Text, ...] = ()  # scale: one label per point, lowest first
    options: tuple[Option, ...] = ()  # choice, checklist
    columns: tuple[Column, ...] = ()  # rows
    max_rows: Annotated[int, Spec(gt=0, le=MAX_ROWS_LIMIT)] = 30
    line: int = 0

    @property
    def limit(self) -> int:
        """Return the longest text accepted (text 200, textarea 5,000 unless set)."""
        return self.max_length or (5000 if self.type == "textarea" else 200)


class Section(Frozen):
    id: Id
    title: Text
    intro: str = ""
    intro_html: str = ""
    fields: Annotated[tuple[ToolField, ...], Spec(min_length=1)]


class Score(Frozen):
    """The mean of scale answers, from 0 (lowest point) to 1 (highest)."""

    id: Id
    label: Text
    fields: Annotated[tuple[Id, ...], Spec(min_length=1)]


class Band(Frozen):
    below: Fraction | None = None  # None: the last band, for everything above
    label: Text
    text: str = ""


class Cap(Frozen):
    """While a score is below a threshold (or unanswered), a level goes no higher than a band."""

    score: Id
    below: Fraction
    band: Annotated[int, Spec(ge=0)]  # the highest band allowed, counted from 0


class Level(Frozen):
    """A score mapped to a named level by thresholds (bands in increasing order)."""

    score: Id
    label: Text
    bands: Annotated[tuple[Band, ...], Spec(min_length=2)]
    caps: tuple[Cap, ...] = ()


class WeakestFlag(Frozen):
    type: Literal["weakest"]
    scores: Annotated[tuple[Id, ...], Spec(min_length=2)]
    count: Annotated[int, Spec(gt=0)] = 1
    message: Text  # {label}, {percent} and {value} (the score in its scale's words)


class BelowFlag(Frozen):
    type: Literal["below"]
    score: Id
    threshold: Fraction
    message: Text


class MissingOptionsFlag(Frozen):
    type: Literal["missing_options"]
    field: Id
    column: Id
    message: Text  # {label}


class DominantRowFlag(Frozen):
    type: Literal["dominant_row"]
    field: Id
    columns: Annotated[tuple[Id, ...], Spec(min_length=1)]
    label_column: Id
    threshold: Fraction
    # when set, a row must also exceed this many times the equal share (1 / number of rows)
    equal_share_factor: Annotated[float, Spec(ge=1)] | None = None
    message: Text  # {label} and {percent}


class UncheckedFlag(Frozen):
    type: Literal["unchecked"]
    field: Id
    option: Id
    message: Text


class ChoiceFlag(Frozen):
    type: Literal["choice_is"]
    field: Id
    option: Id
    message: Text


Flag = Annotated[
    WeakestFlag | BelowFlag | MissingOptionsFlag | DominantRowFlag | UncheckedFlag | ChoiceFlag,
    Spec(discriminator="type"),
]


class Checklist(Frozen):
    field: Id
    next_actions: Annotated[int, Spec(ge=0, le=10)] = 3


class Counts(Frozen):
    field: Id
    column: Id
    label: Text


class ScoreChart(Frozen):
    type: Literal["radar", "bars"]
    title: Text
    description: Text
    scores: Annotated[tuple[Id, ...], Spec(min_length=2)]


class MapChart(Frozen):
    type: Literal["map"]
    title: Text
    description: Text
    field: Id
    x: Id  # a choice column: one column of the map per option
    y: Id  # a choice or scale column: one row of the map per option or point
    label: Id  # the text column that names each dot


Chart = Annotated[ScoreChart | MapChart, Spec(discriminator="type")]


class Results(Frozen):
    scores: tuple[Score, ...] = ()
    levels: tuple[Level, ...] = ()
    flags: tuple[Flag, ...] = ()
    checklist: Checklist | None = None
    counts: tuple[Counts, ...] = ()
    chart: Chart | None = None


class StepUnlock(Frozen):
    """A tool that opens once the learner has opened a step of its module."""

    step: Id


class Tool(Frozen):
    id: Id
    title: Text
    module: Id
    unlocked_by: StepUnlock | None = None  # None (written `quiz`): its module's quiz passed
    summary: str = ""
    summary_html: str = ""
    sections: tuple[Section, ...] = ()
    results: Results = Results()
    path: str = ""

    @field_validator("unlocked_by", mode="before")
    @classmethod
    def _quiz_or_step(cls, value: object) -> object:
        """Read `quiz` as the default rule; anything but a `{step: …}` mapping is an error."""
        if value == "quiz":
            return None
        if isinstance(value, dict | StepUnlock):
            return value
        raise ValueError("expected `quiz` or `{step: <step_id>}`")

    @property
    def fields(self) -> tuple[ToolField, ...]:
        """Return every field of every section, in order."""
        return tuple(f for s in self.sections for f in s.fields)

    def field(self, field_id: str) -> ToolField | None:
        """Return the field with this id, if any."""
        return next((f for f in self.fields if f.id == field_id), None)
