"""What a tool gives back: scores, levels, flags, progress, next actions and counts."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from course.content.tool_model import (
    Band,
    BelowFlag,
    ChoiceFlag,
    DominantRowFlag,
    Flag,
    Level,
    MissingOptionsFlag,
    Score,
    Tool,
    UncheckedFlag,
    WeakestFlag,
)

from .numbers import decimal, percent

Answers = Mapping[str, Any]


@dataclass(frozen=True)
class ScoreValue:
    id: str
    label: str
    value: float | None  # 0 to 1; None when no scale of the score is answered
    shown: str = ""  # the value in the scale's own words ("2 sur 5 · Fragile"), else a percent


@dataclass(frozen=True)
class LevelValue:
    label: str
    band: Band | None


@dataclass(frozen=True)
class CountValue:
    label: str
    counts: tuple[tuple[str, int], ...]  # (option label, rows with that option)


@dataclass(frozen=True)
class ToolResults:
    scores: tuple[ScoreValue, ...]
    levels: tuple[LevelValue, ...]
    flags: tuple[str, ...]
    done: float | None  # checklist: fraction ticked
    next_actions: tuple[str, ...]
    counts: tuple[CountValue, ...]

    def score(self, score_id: str) -> ScoreValue | None:
        """Return a score by id."""
        return next((s for s in self.scores if s.id == score_id), None)


def compute_results(tool: Tool, answers: Answers) -> ToolResults:
    """Compute everything a tool gives back from the learner's answers."""
    scores = tuple(score_value(tool, s, answers) for s in tool.results.scores)
    by_id = {s.id: s for s in scores}
    checklist = tool.results.checklist
    done, actions = (None, ()) if checklist is None else checklist_progress(tool, answers)
    return ToolResults(
        scores=scores,
        levels=tuple(level_value(level, by_id) for level in tool.results.levels),
        flags=tuple(m for f in tool.results.flags for m in flag_messages(tool, f, answers, by_id)),
        done=done,
        next_actions=actions,
        counts=tuple(
            CountValue(c.label, option_counts(tool, c.field, c.column, answers))
            for c in tool.results.counts
        ),
    )


def score_value(tool: Tool, score: Score, answers: Answers) -> ScoreValue:
    """Average the scales of a score, each scaled to 0-1, once every one is answered: a score,
    and the level and flags drawn from it, say nothing from part of its ratings."""
    values, scales = [], set()
    for field_id in score.fields:
        field = tool.field(field_id)
        answer = answers.get(field_id)
        if field is not None and isinstance(answer, int) and len(field.points) > 1:
            values.append(answer / (len(field.points) - 1))
            scales.add(field.points)
    if values and len(values) < len(score.fields):  # no verdict from part of the ratings
        incomplete = f"à compléter : {len(values)} sur {len(score.fields)} notes données"
        return ScoreValue(score.id, score.label, None, incomplete)
    value = sum(values) / len(values) if values else None
    shown = scale_words(next(iter(scales)), value, len(values)) if len(scales) == 1 else None
    return ScoreValue(score.id, score.label, value, shown or percent(value))


NUMBERED = re.compile(r"^\s*(\d+)\s*·\s*(.+)$")


def scale_words(points: Sequence[str], value: float | None, answered: int) -> str | None:
    """Say a score on its scale's own terms: one answer "2 sur 5 · Fragile" (or "Précise,
    niveau 3 sur 4"), an average of numbered points "2,5 sur 5"; None when only a percent fits."""
    if value is None:
        return None
    index = round(value * (len(points) - 1))  # one answer: exactly a point
    numbered = [m for m in (NUMBERED.match(p) for p in points) if m]
    if len(numbered) == len(points):
        first, last = int(numbered[0][1]), int(numbered[-1][1])
        if answered == 1:
            return f"{numbered[index][1]} sur {last} · {numbered[index][2]}"
        return f"{decimal(first + (last - first) * value, 1, trim=True)} sur {last}"
    if answered == 1:
        point = points[index]
        return point if len(points) == 2 else f"{point}, niveau {index + 1} sur {len(points)}"
    return None


def shared_scale(tool: Tool, score_ids: Sequence[str]) -> tuple[str, ...] | None:
    """Return the points that every scale behind these scores shares; None when they differ."""
    fields = {f for s in tool.results.scores if s.id in score_ids for f in s.fields}
    scales = {field.points for field in (tool.field(f) for f in fields) if field is not None}
    return next(iter(scales)) if len(scales) == 1 else None


def scale_marks(points: Sequence[str]) -> tuple[str, ...]:
    """Return a short mark per point: its number when points are written "N · words", else
    its rank from 1."""
    numbered = [m for m in (NUMBERED.match(p) for p in points) if m]
    if len(numbered) == len(points):
        return tuple(m[1] for m in numbered)
    return tuple(str(n) for n in range(1, len(points) + 1))


def level_value(level: Level, scores: Mapping[str, ScoreValue]) -> LevelValue:
    """Map a score to the first band whose limit it is below (the last band otherwise)."""
    value = scores[level.score].value if level.score in scores else None
    if value is None:
        return LevelValue(level.label, None)
    index = next(
        (n for n, b in enumerate(level.bands) if b.below is None or value < b.below),
        len(level.bands) - 1,
    )
    for cap in level.caps:
        capping = scores[cap.score].value if cap.score in scores else None
        if capping is None or capping < cap.below:
            index = min(index, cap.band)
    return LevelValue(level.label, level.bands[index])


def checklist_progress(tool: Tool, answers: Answers) -> tuple[float, tuple[str, ...]]:
    """Return the fraction of a checklist ticked and the next actions among what is not."""
    spec = tool.results.checklist
    assert spec is not None
    field = tool.field(spec.field)
    assert field is not None
    ticked = set(answers.get(field.id) or ())
    left = [o for o in field.options if o.id not in ticked]
    actions = tuple((o.action or o.label) for o in left[: spec.next_actions])
    return (len(field.options) - len(left)) / len(field.options), actions


def option_counts(
    tool: Tool, field_id: str, column_id: str, answers: Answers
) -> tuple[tuple[str, int], ...]:
    """Count the rows of a table that chose each option of a column."""
    field = tool.field(field_id)
    assert field is not None
    column = next(c for c in field.columns if c.id == column_id)
    rows = answers.get(field_id) or []
    return tuple(
        (o.label, sum(1 for r in rows if r.get(column_id) == o.id)) for o in column.options
    )


def flag_messages(
    tool: Tool, flag: Flag, answers: Answers, scores: Mapping[str, ScoreValue]
) -> list[str]:
    """Return the messages a flag raises on these answers (none when it does not apply)."""
    match flag:
        case WeakestFlag():
            return _weakest(flag, scores)
        case BelowFlag():
            value = scores[flag.score].value
            return [flag.message] if value is not None and value < flag.threshold else []
        case MissingOptionsFlag():
            return _missing_options(tool, flag, answers)
        case DominantRowFlag():
            return _dominant_rows(tool, flag, answers)
        case UncheckedFlag():
            return [] if flag.option in (answers.get(flag.field) or ()) else [flag.message]
        case ChoiceFlag():
            return [flag.message] if answers.get(flag.field) == flag.option else []
    return []


def _fill(message: str, label: str, share: float | None = None, shown: str = "") -> str:
    filled = message.replace("{label}", label).replace("{value}", shown)
    return filled.replace("{percent}", percent(share)) if share is not None else filled


def _weakest(flag: WeakestFlag, scores: Mapping[str, ScoreValue]) -> list[str]:
    answered = [scores[s] for s in flag.scores if scores[s].value is not None]
    if len(answered) < 2:
        return []
    answered.sort(key=lambda s: s.value or 0.0)
    # a criterion fully met is no weakness, even among the lowest
    weakest = [s for s in answered[: flag.count] if (s.value or 0.0) < 1]
    return [_fill(flag.message, s.label, s.value, s.shown) for s in weakest]


def _missing_options(tool: Tool, flag: MissingOptionsFlag, answers: Answers) -> list[str]:
    if not answers.get(flag.field):
        return []
    missing = [label for label, n in option_counts(tool, flag.field, flag.column, answers) if not n]
    return [_fill(flag.message, ", ".join(missing))] if missing else []


def _dominant_rows(tool: Tool, flag: DominantRowFlag, answers: Answers) -> list[str]:
    rows = answers.get(flag.field) or []
    totals = [sum(float(r.get(c) or 0) for c in flag.columns) for r in rows]
    grand = sum(totals)
    if grand == 0 or len(rows) < 2:
        return []
    limit = flag.threshold
    if flag.equal_share_factor is not None:
        limit = max(limit, min(1.0, flag.equal_share_factor / len(rows)))
    return [
        _fill(flag.message, str(row.get(flag.label_column) or f"Ligne {n + 1}"), total / grand)
        for n, (row, total) in enumerate(zip(rows, totals, strict=True))
        if total / grand > limit
    ]
