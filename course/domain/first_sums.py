"""First-attempt sums kept as they come: what one first attempt adds, and the quiz data they make.

The quiz analytics page analyses each learner's first attempt. Rather than reading every answer
of the cohort at each view, the service stores running counts (one row per kind and key, added to
by each first submission) and this module says what one attempt adds and how the counts turn back
into the `QuizData` item analysis reads:

- `attempt` rows count attempts by score and total points;
- `sums` rows hold each question's sums of x, x², r, r² and x·r (x its mark, r the rest);
- `mark` and `rest` rows count attempts by x, and by r, for each question;
- `response` rows count answers by question and response key;
- `tag` rows count learners whose first attempt shows a misconception (once per learner);
- `holder` rows name those learners (the page shows the first few by id).

So the rows stay a few hundred per quiz however many learners there are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from course.content.model import Quiz

from .answer_text import response_key
from .distractors import TOP_CONFIDENCE, ResponseTally
from .item_analysis import ItemSums, QuizData
from .misconceptions import misconception_tags

ATTEMPT, SUMS, MARK, REST, RESPONSE = "attempt", "sums", "mark", "rest", "response"
TAG, HOLDER = "tag", "holder"
NO_SUMS = (0.0, 0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class SumKey:
    """What a count is about; equal keys add up."""

    kind: str
    key: str = ""  # response: digest of the response key; tag, holder: the misconception
    question_id: str = ""
    learner_id: int = 0  # holder rows only
    mark: float = 0.0  # mark: x; rest: r; attempt: the attempt's score
    total: float = 0.0  # attempt: its points


@dataclass(frozen=True)
class SumRow:
    """A count and what it counts: answers at top confidence, best fraction, a sample response."""

    key: SumKey
    n: int = 1
    confident: int = 0
    fraction: float = 0.0
    response: Any = None
    sums: tuple[float, float, float, float, float] = NO_SUMS  # sx, sxx, sr, srr, sxr


@dataclass(frozen=True)
class Answered:
    """One answer of a first attempt, as stored."""

    question_id: str
    response: Any
    fraction: float
    points: float
    confidence: int | None


def digest(response: Any) -> str:
    """Return a short fixed-size key for a response (its normalised form may be long)."""
    text = response_key(_canonical(response))
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def _canonical(value: Any) -> Any:
    """Write 12.0 as 12, as SQLite's JSON columns give it back (PostgreSQL keeps 12.0)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    return value


def attempt_rows(
    quiz: Quiz, learner_id: int, score: float, total: float, answers: Sequence[Answered]
) -> list[SumRow]:
    """Return what one first attempt adds to its cohorts' sums."""
    rows = [SumRow(SumKey(ATTEMPT, mark=score, total=total))]
    tags: dict[str, None] = {}
    for a in answers:
        q, x, r = a.question_id, a.points, total - a.points
        sure = int(a.confidence == TOP_CONFIDENCE)
        rows += [
            SumRow(SumKey(SUMS, question_id=q), sums=(x, x * x, r, r * r, x * r)),
            SumRow(SumKey(MARK, question_id=q, mark=x)),
            SumRow(SumKey(REST, question_id=q, mark=r)),
            SumRow(SumKey(RESPONSE, digest(a.response), q), 1, sure, a.fraction, a.response),
        ]
        question = quiz.question(a.question_id)
        if question is not None:
            tags.update(dict.fromkeys(misconception_tags(question, a.response, a.fraction)))
    for tag in tags:
        rows.append(SumRow(SumKey(TAG, tag)))
        rows.append(SumRow(SumKey(HOLDER, tag, learner_id=learner_id)))
    return rows


def repeated(rows: Iterable[SumRow], times: int) -> Iterable[SumRow]:
    """Return what an attempt adds when `times` learners made it: the counts and sums times
    over, the holder rows as they are (each learner names only itself)."""
    if times == 1:
        return rows
    return (
        row
        if row.key.kind == HOLDER
        else SumRow(
            row.key,
            row.n * times,
            row.confident * times,
            row.fraction,
            row.response,
            tuple(value * times for value in row.sums),  # type: ignore[arg-type]
        )
        for row in rows
    )


def merge(rows: Iterable[SumRow]) -> list[SumRow]:
    """Add up rows with equal keys, as the database's upsert does."""
    found: dict[SumKey, SumRow] = {}
    for row in rows:
        old = found.get(row.key)
        found[row.key] = (
            row
            if old is None
            else SumRow(
                row.key,
                old.n + row.n,
                old.confident + row.confident,
                max(old.fraction, row.fraction),
                old.response,
                tuple(a + b for a, b in zip(old.sums, row.sums, strict=True)),  # type: ignore[arg-type]
            )
        )
    return list(found.values())


def quiz_data(rows: Iterable[SumRow]) -> QuizData:
    """Turn stored counts (holder rows aside) into the data item analysis reads."""
    data = QuizData(holder_counts={})
    tallies: dict[tuple[str, str], ResponseTally] = {}
    holders: dict[str, int] = {}
    for row in rows:
        k = row.key
        if k.kind == ATTEMPT:
            data.attempts += row.n
            data.scores[k.mark] += row.n
            data.totals[k.total] += row.n
        elif k.kind == SUMS:
            data.sums[k.question_id] = ItemSums(row.n, *row.sums)
        elif k.kind == MARK:
            data.marks[k.question_id][k.mark] += row.n
        elif k.kind == REST:
            data.rests[k.question_id][k.mark] += row.n
        elif k.kind == RESPONSE:
            _add_response(tallies, row)
        elif k.kind == TAG:
            holders[k.key] = holders.get(k.key, 0) + row.n
    data.learners = data.attempts  # one first attempt per learner
    data.responses = list(tallies.values())
    data.holder_counts = holders
    return data


def _add_response(tallies: dict[tuple[str, str], ResponseTally], row: SumRow) -> None:
    k, n = row.key, row.n
    key = response_key(row.response)
    tally = tallies.get((k.question_id, key))
    tallies[(k.question_id, key)] = ResponseTally(
        k.question_id,
        key,
        row.response if tally is None else tally.response,
        row.fraction if tally is None else max(tally.fraction, row.fraction),
        n + (tally.count if tally else 0),
        row.confident + (tally.confident if tally else 0),
    )
