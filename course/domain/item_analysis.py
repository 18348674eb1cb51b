"""Item analysis of a quiz (Moodle's formulas), choice distributions and misconceptions.

Per question i over attempts s: x_i is the mark on the question, X_-i the rest of the test (the
attempt's total minus x_i). Facility F = 100 · mean(x_i) / max mark; discrimination
D = 100 · Cov(x_i, X_-i) / sqrt(Var(x_i) · Var(X_-i)); discriminative efficiency
DE = 100 · Cov(x_i, X_-i) / Cov_max, Cov_max pairing the independently sorted x_i and X_-i.
Variances divide by s - 1; a statistic is None when s <= 1 or a variance is 0.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from course.content.model import (
    Question,
    Quiz,
)

from .answer_text import response_key
from .distractors import (
    TOP_CONFIDENCE,
    ChoiceCount,
    Misconception,
    ResponseTally,
    choice_counts,
    misconceptions,
    ranked,
    tagged_responses,
)
from .metrics import weighted_median
from .numbers import decimal, percent

EASY = 95.0  # facility above which a question tells nothing about who has understood
HARD = 20.0  # facility below which a question is worth re-reading


@dataclass(frozen=True)
class AnswerFact:
    """One stored answer, with whose attempt it belongs to."""

    learner_id: int
    attempt_id: int
    question_id: str
    points: float
    fraction: float
    response: Any
    confidence: int | None = None


@dataclass(frozen=True)
class ItemSums:
    """Sums over the attempts with a question: its mark x and the rest of the test r."""

    n: int = 0
    sx: float = 0.0
    sxx: float = 0.0
    sr: float = 0.0
    srr: float = 0.0
    sxr: float = 0.0

    def add(self, x: float, r: float) -> ItemSums:
        """Return the sums with one more attempt."""
        return ItemSums(
            self.n + 1,
            self.sx + x,
            self.sxx + x * x,
            self.sr + r,
            self.srr + r * r,
            self.sxr + x * r,
        )


@dataclass
class QuizData:
    """A quiz's answers, summed: all item analysis needs, whatever the number of learners."""

    learners: int = 0
    attempts: int = 0
    sums: dict[str, ItemSums] = field(default_factory=dict)
    marks: dict[str, Counter[float]] = field(default_factory=lambda: defaultdict(Counter))
    rests: dict[str, Counter[float]] = field(default_factory=lambda: defaultdict(Counter))
    responses: list[ResponseTally] = field(default_factory=list)
    scores: Counter[float] = field(default_factory=Counter)  # attempt score (0-1) -> attempts
    totals: Counter[float] = field(default_factory=Counter)  # attempt points -> attempts
    # (learner, question, response key) for every response that shows a misconception
    holders: set[tuple[int, str, str]] = field(default_factory=set)
    # Or, read from kept first-attempt sums: learners per misconception and the first few of them
    holder_counts: dict[str, int] | None = None
    named: dict[str, set[int]] = field(default_factory=dict)


def add_marks(data: QuizData, question_id: str, x: float, r: float, count: int) -> None:
    """Add `count` attempts that scored x on a question and r on the rest of the test."""
    old = data.sums.get(question_id, ItemSums())
    data.sums[question_id] = ItemSums(
        old.n + count,
        old.sx + count * x,
        old.sxx + count * x * x,
        old.sr + count * r,
        old.srr + count * r * r,
        old.sxr + count * x * r,
    )
    data.marks[question_id][x] += count
    data.rests[question_id][r] += count


def gather(quiz: Quiz, answers: Iterable[AnswerFact]) -> QuizData:
    """Sum raw answers into the data item analysis needs (what the database sums in SQL)."""
    by_attempt: defaultdict[int, list[AnswerFact]] = defaultdict(list)
    for answer in answers:
        by_attempt[answer.attempt_id].append(answer)
    data = QuizData(attempts=len(by_attempt))
    data.learners = len({f.learner_id for facts in by_attempt.values() for f in facts})
    points = {q.id: q.points for q in quiz.questions}
    tallies: dict[tuple[str, str], list[Any]] = {}
    for facts in by_attempt.values():
        total = sum(f.points for f in facts)
        available = sum(points.get(f.question_id, 0.0) for f in facts)
        data.totals[total] += 1
        data.scores[total / available if available else 0.0] += 1
        for f in facts:
            _add_answer(data, tallies, f, total)
    data.responses = [ResponseTally(q, k, *v) for (q, k), v in tallies.items()]
    tagged = tagged_responses(quiz, data.responses)
    data.holders = {
        (f.learner_id, f.question_id, key)
        for facts in by_attempt.values()
        for f in facts
        if (f.question_id, key := response_key(f.response)) in tagged
    }
    return data


def _add_answer(
    data: QuizData, tallies: dict[tuple[str, str], list[Any]], fact: AnswerFact, total: float
) -> None:
    qid, rest = fact.question_id, total - fact.points
    data.sums[qid] = data.sums.get(qid, ItemSums()).add(fact.points, rest)
    data.marks[qid][fact.points] += 1
    data.rests[qid][rest] += 1
    tally = tallies.setdefault((qid, response_key(fact.response)), [fact.response, 0.0, 0, 0])
    tally[1] = max(tally[1], fact.fraction)
    tally[2] += 1
    tally[3] += fact.confidence == TOP_CONFIDENCE


@dataclass(frozen=True)
class QuestionStats:
    question_id: str
    location: str  # file:line in the course
    n: int
    facility: float | None
    sd: float | None
    discrimination: float | None
    efficiency: float | None
    choices: tuple[ChoiceCount, ...]
    flags: tuple[str, ...]

    @property
    def weak(self) -> bool:
        """Tell whether the question deserves the author's attention."""
        return bool(self.flags)


@dataclass(frozen=True)
class QuizAnalysis:
    quiz_id: str
    learners: int
    attempts: int
    mean: float | None  # mean score, percent
    median: float | None
    sd: float | None
    alpha: float | None  # Cronbach's alpha (CIC), percent; None when questions are drawn
    questions: tuple[QuestionStats, ...]
    misconceptions: tuple[Misconception, ...]
    enough: bool  # at least the minimum number of learners
    minimum: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


def analyse(
    quiz: Quiz, data: QuizData, *, min_learners: int, weak_efficiency: float
) -> QuizAnalysis:
    """Analyse a quiz on summed answers (one attempt per learner for honest statistics)."""
    by_question: defaultdict[str, list[ResponseTally]] = defaultdict(list)
    for tally in data.responses:
        by_question[tally.question_id].append(tally)
    questions = tuple(
        question_stats(quiz, q, data, by_question[q.id], weak_efficiency) for q in quiz.questions
    )
    scores = list(data.scores.items())
    mean, sd = _mean_sd(scores)
    median = weighted_median(scores)
    return QuizAnalysis(
        quiz_id=quiz.id,
        learners=data.learners,
        attempts=data.attempts,
        mean=None if mean is None else 100 * mean,
        median=None if median is None else 100 * median,
        sd=None if sd is None else 100 * sd,
        alpha=_alpha(quiz, data),
        questions=questions,
        misconceptions=_misconceptions(quiz, data),
        enough=data.learners >= min_learners,
        minimum=min_learners,
    )


def _misconceptions(quiz: Quiz, data: QuizData) -> tuple[Misconception, ...]:
    if data.holder_counts is None:
        return misconceptions(quiz, data.responses, data.holders)
    return ranked(quiz, data.responses, data.holder_counts, data.named)


def _mean_sd(values: Sequence[tuple[float, int]]) -> tuple[float | None, float | None]:
    n = sum(c for _, c in values)
    if not n:
        return None, None
    mean = sum(v * c for v, c in values) / n
    if n < 2:
        return mean, None
    return mean, math.sqrt(max(0.0, sum(c * (v - mean) ** 2 for v, c in values) / (n - 1)))


def question_stats(
    quiz: Quiz,
    question: Question,
    data: QuizData,
    responses: Sequence[ResponseTally],
    weak_efficiency: float,
) -> QuestionStats:
    """Compute one question's statistics and choice distribution over the attempts with it."""
    sums = data.sums.get(question.id, ItemSums())
    facility = 100 * sums.sx / sums.n / question.points if sums.n else None
    var_x = _variance(sums.n, sums.sx, sums.sxx)
    d = discrimination(sums)
    de = efficiency(
        sums, data.marks.get(question.id, Counter()), data.rests.get(question.id, Counter())
    )
    return QuestionStats(
        question_id=question.id,
        location=f"{quiz.path}:{question.line}",
        n=sums.n,
        facility=facility,
        sd=None if var_x is None else 100 * math.sqrt(var_x) / question.points,
        discrimination=d,
        efficiency=de,
        choices=choice_counts(question, responses),
        flags=weak_flags(facility, d, de, weak_efficiency),
    )


_TINY = 1e-12


def _variance(n: int, s: float, ss: float) -> float | None:
    return (ss - s * s / n) / (n - 1) if n > 1 else None


def _covariance(sums: ItemSums) -> float:
    return (sums.sxr - sums.sx * sums.sr / sums.n) / (sums.n - 1)


def discrimination(sums: ItemSums) -> float | None:
    """Return 100 times the correlation of the question's marks with the rest of the test."""
    var_x = _variance(sums.n, sums.sx, sums.sxx)
    var_r = _variance(sums.n, sums.sr, sums.srr)
    if var_x is None or var_r is None or var_x <= _TINY or var_r <= _TINY:
        return None
    return 100 * _covariance(sums) / math.sqrt(var_x * var_r)


def efficiency(sums: ItemSums, marks: Counter[float], rests: Counter[float]) -> float | None:
    """Return 100 * Cov(x, rest) / the largest covariance the two distributions allow."""
    if sums.n <= 1:
        return None
    best = (paired_sum(marks, rests) - sums.sx * sums.sr / sums.n) / (sums.n - 1)
    if best <= _TINY:
        return None
    return 100 * _covariance(sums) / best


def paired_sum(xs: Counter[float], ys: Counter[float]) -> float:
    """Return the sum of x_(k) * y_(k), pairing the k-th smallest of each (equal counts)."""
    left, right = sorted(xs.items()), sorted(ys.items())
    total, i, j = 0.0, 0, 0
    nx = left[0][1] if left else 0
    ny = right[0][1] if right else 0
    while i < len(left) and j < len(right):
        take = min(nx, ny)
        total += take * left[i][0] * right[j][0]
        nx, ny = nx - take, ny - take
        if not nx and (i := i + 1) < len(left):
            nx = left[i][1]
        if not ny and (j := j + 1) < len(right):
            ny = right[j][1]
    return total


def weak_flags(
    facility: float | None, d: float | None, de: float | None, weak_efficiency: float
) -> tuple[str, ...]:
    """Say why a question is weak: it discriminates badly, or is far too easy or too hard."""
    flags = []
    if d is not None and d < 0:
        flags.append("discrimination négative : les plus faibles y réussissent mieux")
    elif de is not None and de < weak_efficiency:
        limit = f"{decimal(weak_efficiency, 1, trim=True)}\u00a0%"
        flags.append(f"efficacité discriminante faible ({percent(de, of=100)} < {limit})")
    if facility is not None and facility >= EASY:
        flags.append(f"très facile ({percent(facility, of=100)} de réussite)")
    elif facility is not None and facility <= HARD:
        flags.append(f"très difficile ({percent(facility, of=100)} de réussite)")
    return tuple(flags)


def _alpha(quiz: Quiz, data: QuizData) -> float | None:
    """Return Cronbach's alpha in percent, when every attempt answered every question."""
    ids = [q.id for q in quiz.questions]
    full = all(data.sums.get(i, ItemSums()).n == data.attempts for i in ids)
    if quiz.draw is not None or len(ids) < 2 or data.attempts < 2 or not full:
        return None
    item_variance = sum(
        _variance(data.attempts, data.sums[i].sx, data.sums[i].sxx) or 0.0 for i in ids
    )
    _, total_sd = _mean_sd(list(data.totals.items()))
    if not total_sd or total_sd**2 <= _TINY:
        return None
    return 100 * len(ids) / (len(ids) - 1) * (1 - item_variance / total_sd**2)
