"""Cohort metrics: one source for the dashboard, its charts and the CSV exports."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from course.content.model import Course, Module
from course.domain.french import plural
from course.domain.numbers import whole_percent
from course.domain.progression import (
    STATE_LABELS,
    ModuleStatus,
    Progress,
    State,
    course_status,
)
from course.domain.scoring import TOLERANCE

STATUS_LABELS = {
    "not_started": "Pas commencé",
    "in_progress": "En cours",
    "completed": "Parcours terminé",
}
STANDING_VERSION = "2"  # bump when what a stored standing holds changes: all are recomputed
BINS = 10  # score distributions: 0-10 %, 10-20 %, ..., 90-100 %


@dataclass(frozen=True)
class Thresholds:
    """The settings behind "needs help" and "active" (NEEDS_HELP_*, TRAINER_ACTIVE_DAYS)."""

    failed_attempts: int = 2
    inactive_days: int = 14
    confident_wrong: int = 4
    active_days: int = 7

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Thresholds:
        """Read the thresholds from the app's settings."""
        return cls(
            failed_attempts=int(settings["NEEDS_HELP_FAILED_ATTEMPTS"]),
            inactive_days=int(settings["NEEDS_HELP_INACTIVE_DAYS"]),
            confident_wrong=int(settings["NEEDS_HELP_CONFIDENT_WRONG"]),
            active_days=int(settings["TRAINER_ACTIVE_DAYS"]),
        )


@dataclass(frozen=True)
class LearnerFacts:
    """What the metrics need of one learner, as loaded for a whole cohort at once."""

    user_id: int
    name: str
    email: str
    joined_at: datetime
    progress: Progress
    failures: Mapping[str, int] = field(default_factory=dict)  # quiz id -> failed submissions
    # quiz id -> wrong answers given at the top confidence in the latest submitted attempt
    confident_wrong: Mapping[str, int] = field(default_factory=dict)
    activity: Mapping[str, datetime] = field(default_factory=dict)  # module or quiz id -> last
    # quiz id -> (question id, given « très sûr(e) ») of each wrong answer of the latest attempt
    wrong: Mapping[str, tuple[tuple[str, bool], ...]] = field(default_factory=dict)


# Triage: the most urgent first. Blocked learners cannot go on without the trainer; repeated
# failures come next, then inactivity (before the learner is lost), then confident errors.
RANKS = {"blocked": 1, "failed_quiz": 2, "inactive": 3, "confident_wrong": 4}
NO_HELP = 9  # the rank of a learner without a signal


@dataclass(frozen=True)
class Signal:
    """One reason a learner needs help, what the trainer may do; it clears when facts change."""

    kind: str  # "blocked" | "failed_quiz" | "inactive" | "confident_wrong"
    reason: str
    action: str = ""  # « relancer », « revoir ensemble la notion … », « lever le verrou … ? »
    module_id: str | None = None  # blocked: the module whose lock a waiver would lift

    @property
    def rank(self) -> int:
        """Return how urgent the signal is (1 first)."""
        return RANKS[self.kind]


@dataclass(frozen=True)
class Cell:
    """One learner on one module: status, best quiz score, attempts, last activity."""

    module_id: str
    state: State
    best_score: float | None
    attempts: int
    last_activity: datetime | None
    waived: bool = False

    @property
    def label(self) -> str:
        """Return the status as shown and exported."""
        return STATE_LABELS[self.state]

    @property
    def best_percent(self) -> int | None:
        """Return the best score in whole percent, rounded down, as shown and exported."""
        return None if self.best_score is None else whole_percent(self.best_score)


@dataclass(frozen=True)
class LearnerRow:
    """One line of the dashboard and of the progress export."""

    user_id: int
    name: str
    email: str
    joined_at: datetime
    status: str  # "not_started" | "in_progress" | "completed"
    percent: int
    cells: tuple[Cell, ...]
    last_activity: datetime | None
    idle_days: int  # whole days since the last activity (or since joining)
    signals: tuple[Signal, ...]  # the most urgent first
    handled: tuple[str | None, datetime] | None = None  # who marked these facts handled, when

    @property
    def needs_help(self) -> bool:
        """Tell whether a signal is raised that no trainer has handled for these facts."""
        inactive = any(s.kind == "inactive" for s in self.signals)
        return bool(is_flagged(static_signals(self), inactive, self.handled is not None))

    @property
    def priority(self) -> int:
        """Return the rank of the most urgent signal (NO_HELP without any)."""
        return min((s.rank for s in self.signals), default=NO_HELP)

    @property
    def help_key(self) -> str:
        """Return the fingerprint of the facts behind the signals (see `help_key`)."""
        return help_key(self.signals, self.last_activity)

    @property
    def status_label(self) -> str:
        """Return the overall status as shown and exported."""
        return STATUS_LABELS[self.status]


def idle_days(last: datetime | None, joined_at: datetime, now: datetime) -> int:
    """Return the whole days since the last activity, or since joining when there is none."""
    return max(0, (now - (last or joined_at)).days)


def learner_rows(
    course: Course, facts: Iterable[LearnerFacts], thresholds: Thresholds, now: datetime
) -> list[LearnerRow]:
    """Map each learner's facts to a row; statuses are memoised since many learners share them."""
    memo: dict[tuple[Any, ...], list[ModuleStatus]] = {}
    rows = []
    for fact in facts:
        progress = fact.progress
        key = (progress.done_steps, frozenset(progress.quizzes.items()), progress.waived)
        statuses = memo.get(key)
        if statuses is None:
            statuses = memo[key] = course_status(course, progress)
        rows.append(_row(course, fact, statuses, thresholds, now))
    return rows


def _row(
    course: Course,
    fact: LearnerFacts,
    statuses: Sequence[ModuleStatus],
    thresholds: Thresholds,
    now: datetime,
) -> LearnerRow:
    cells = tuple(_cell(m, s, fact) for m, s in zip(course.modules, statuses, strict=True))
    last = max(fact.activity.values(), default=None)
    status = _overall(statuses, fact)
    parts = sum(s.steps_total + 1 for s in statuses)
    done = sum(s.steps_done + int(s.quiz_passed) for s in statuses)
    row = LearnerRow(
        user_id=fact.user_id,
        name=fact.name,
        email=fact.email,
        joined_at=fact.joined_at,
        status=status,
        percent=round(100 * done / parts) if parts else 0,
        cells=cells,
        last_activity=last,
        idle_days=0,
        signals=needs_help(course, fact, status, thresholds),
    )
    return placed(row, fact.joined_at, thresholds, now)


def placed(
    row: LearnerRow, joined_at: datetime, thresholds: Thresholds, now: datetime
) -> LearnerRow:
    """Return a row as seen from a cohort joined at `joined_at`: idle days and inactivity."""
    idle = idle_days(row.last_activity, joined_at, now)
    signals = [s for s in row.signals if s.kind != "inactive"]
    since = inactive_since(now, thresholds)
    if is_inactive(row.status, row.last_activity or joined_at, since):
        reason = f"Parcours en cours, sans activité depuis {idle} {plural(idle, 'jour')}"
        signals.append(Signal("inactive", reason, "relancer"))
    signals.sort(key=lambda s: s.rank)
    return replace(row, joined_at=joined_at, idle_days=idle, signals=tuple(signals))


def with_handled(row: LearnerRow, handled: tuple[str, str | None, datetime] | None) -> LearnerRow:
    """Mark a row handled when a trainer handled exactly its current facts (key, who, when)."""
    if handled is None or handled[0] != row.help_key or not row.signals:
        return row
    return replace(row, handled=(handled[1], handled[2]))


def help_key(signals: Iterable[Signal], last_activity: datetime | None) -> str:
    """Fingerprint the facts behind signals: their kinds and the learner's last activity.

    Any new activity (a step, an attempt) or a signal that comes or goes changes the key, so a
    signal marked handled comes back only when the facts change, never as time merely passes
    (except for the inactivity that time itself raises).
    """
    kinds = ",".join(sorted({s.kind for s in signals}))
    when = last_activity.isoformat() if last_activity else "-"
    return hashlib.sha256(f"{kinds}|{when}".encode()).hexdigest()[:16]


def _cell(module: Module, status: ModuleStatus, fact: LearnerFacts) -> Cell:
    record = fact.progress.record(module.quiz)
    times = [fact.activity[k] for k in (module.id, module.quiz) if k in fact.activity]
    return Cell(
        module_id=module.id,
        state=status.state,
        best_score=record.best_score,
        attempts=record.attempts,
        last_activity=max(times, default=None),
        waived=module.id in fact.progress.waived,
    )


def _overall(statuses: Sequence[ModuleStatus], fact: LearnerFacts) -> str:
    if statuses and all(s.state is State.COMPLETED for s in statuses):
        return "completed"
    if fact.activity:
        return "in_progress"
    return "not_started"


def needs_help(
    course: Course, fact: LearnerFacts, status: str, thresholds: Thresholds
) -> tuple[Signal, ...]:
    """Return every reason a learner needs help that time alone does not change, urgent first."""
    signals = [s for m in course.modules if (s := _quiz_signal(course, m, fact, thresholds))]
    # Confident errors cluster in one session's quiz: a misconception to talk through.
    graded = [m.quiz for m in course.modules]
    wrong, quiz_id = max(((fact.confident_wrong.get(q, 0), q) for q in graded), default=(0, ""))
    if wrong >= thresholds.confident_wrong:
        sure = [(quiz_id, i) for i, top in fact.wrong.get(quiz_id, ()) if top]
        title = course.quizzes[quiz_id].title
        signals.append(
            Signal(
                "confident_wrong",
                f"{wrong} {plural(wrong, 'réponse fausse donnée', 'réponses fausses données')}"
                f" « très sûr(e) » au quiz « {title} »",
                _revise(course, sure),
            )
        )
    return tuple(sorted(signals, key=lambda s: s.rank))


def _quiz_signal(
    course: Course, module: Module, fact: LearnerFacts, thresholds: Thresholds
) -> Signal | None:
    """Say whether a module's quiz holds the learner back: no attempt left, or failed often."""
    quiz = course.quizzes[module.quiz]
    record = fact.progress.record(quiz.id)
    failures = fact.failures.get(quiz.id, 0)
    if record.passed or not failures:
        return None
    missed = [(quiz.id, i) for i, _ in fact.wrong.get(quiz.id, ())]
    following = [m for m in course.modules if module.id in (m.requires or ())]
    if quiz.max_attempts is not None and record.attempts >= quiz.max_attempts and following:
        if any(m.id in fact.progress.waived for m in following):
            return None
        number = course.modules.index(following[0]) + 1
        return Signal(
            "blocked",
            f"A utilisé {_attempts(record.attempts)} au quiz « {quiz.title} » sans le réussir",
            f"lever le verrou de la séance {number} ?",
            following[0].id,
        )
    if failures < thresholds.failed_attempts:
        return None
    reason = f"A échoué {failures} fois au quiz « {quiz.title} » sans le réussir"
    return Signal("failed_quiz", reason, _revise(course, missed))


def _revise(course: Course, questions: Sequence[tuple[str, str]]) -> str:
    """Suggest revising the objective most of these (quiz id, question id) answers missed."""
    objectives: Counter[tuple[str, str]] = Counter()
    for quiz_id, question_id in questions:
        quiz = course.quizzes.get(quiz_id)
        question = quiz.question(question_id) if quiz else None
        if quiz is not None and question is not None and question.objective:
            objectives[(quiz.module, question.objective)] += 1
    for (module_id, objective_id), _ in objectives.most_common(1):
        module = course.module(module_id)
        objectives_of = module.objectives if module is not None else ()
        text = next((o.text for o in objectives_of if o.id == objective_id), None)
        if text:
            return f"revoir ensemble la notion « {_short(text)} »"
    return "revoir ensemble le quiz"


def _attempts(count: int) -> str:
    """Name every attempt a learner had: « sa seule tentative », « ses 3 tentatives »."""
    return plural(count, "sa seule tentative", f"ses {count} tentatives")


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _both(left: Any, right: Any) -> Any:
    return left and right


def _either(left: Any, right: Any) -> Any:
    return left or right


def _negate(value: Any) -> Any:
    return not value


def _pick(condition: Any, then: Any, otherwise: Any) -> Any:
    return then if condition else otherwise


# The two rules below are written once and read two ways: over a row's values here, and over
# SQL columns where the dashboard counts, filters and sorts stored standings (services/snapshots,
# which passes and_/or_); tests/services check that both ways agree.


def is_inactive(status: Any, idle_from: Any, since: Any, *, both: Any = _both) -> Any:
    """Tell whether a learner is inactive: in progress, idle since before `since`."""
    return both(status == "in_progress", idle_from <= since)


def is_flagged(
    static_signals: Any,
    inactive: Any,
    handled: Any,
    *,
    both: Any = _both,
    either: Any = _either,
    negate: Any = _negate,
) -> Any:
    """Tell whether a learner needs help: a signal (static, or inactivity) not handled."""
    return both(either(static_signals > 0, inactive), negate(handled))


def urgency(
    priority: Any, inactive: Any, handled: Any, *, pick: Any = _pick, both: Any = _both
) -> Any:
    """Return how urgently to contact a learner, higher first (0: nothing, or handled).

    `priority` is the rank of the static signals (NO_HELP without any); inactivity ranks
    RANKS["inactive"].
    """
    rank = pick(both(inactive, priority > RANKS["inactive"]), RANKS["inactive"], priority)
    return pick(handled, 0, NO_HELP - rank)


def static_signals(row: LearnerRow) -> int:
    """Count the signals that time alone does not change (all but inactivity)."""
    return sum(1 for s in row.signals if s.kind != "inactive")


def help_keys(row: LearnerRow) -> tuple[str, str]:
    """Return the fingerprints of a row's facts without, then with, the inactivity signal."""
    static = [s for s in row.signals if s.kind != "inactive"]
    idle = [*static, Signal("inactive", "")]
    return help_key(static, row.last_activity), help_key(idle, row.last_activity)


def static_priority(row: LearnerRow) -> int:
    """Return the rank of the most urgent signal that time alone does not change."""
    return min((s.rank for s in row.signals if s.kind != "inactive"), default=NO_HELP)


def inactive_since(now: datetime, thresholds: Thresholds) -> datetime:
    """Return the instant before which a learner in progress counts as inactive."""
    return now - timedelta(days=thresholds.inactive_days)


def active_since(now: datetime, thresholds: Thresholds) -> datetime:
    """Return the instant after which a learner counts as active."""
    return now - timedelta(days=thresholds.active_days)


@dataclass(frozen=True)
class Standing:
    """What the summary needs of a learner; learners alike are counted together."""

    status: str
    active: bool
    needs_help: bool


@dataclass(frozen=True)
class CellValue:
    """What the summary needs of a learner on a module; alike cells are counted together."""

    module_id: str
    state: State
    best_score: float | None


Tally = Mapping[Standing, int]
CellTally = Mapping[CellValue, int]


def tally(
    rows: Iterable[LearnerRow], thresholds: Thresholds, now: datetime
) -> tuple[Tally, CellTally]:
    """Count learners and cells by the values the summary needs."""
    since = active_since(now, thresholds)
    learners: Counter[Standing] = Counter()
    cells: Counter[CellValue] = Counter()
    for row in rows:
        active = row.last_activity is not None and row.last_activity >= since
        learners[Standing(row.status, active, row.needs_help)] += 1
        cells.update(CellValue(c.module_id, c.state, c.best_score) for c in row.cells)
    return learners, cells


@dataclass(frozen=True)
class FunnelStep:
    label: str
    count: int


@dataclass(frozen=True)
class Summary:
    """The cohort at a glance."""

    enrolled: int
    active: int
    completed: int
    needs_help: int
    median_best: Mapping[str, float | None]  # module id -> median best score of who attempted
    funnel: tuple[FunnelStep, ...]
    distributions: Mapping[str, tuple[int, ...]]  # module id -> learners per score decile

    @property
    def completion_rate(self) -> float | None:
        """Return the share of enrolled learners who completed the course."""
        return self.completed / self.enrolled if self.enrolled else None


def summarize(course: Course, learners: Tally, cells: CellTally) -> Summary:
    """Compute the summary figures, the completion funnel and the score distributions."""

    def count(test: Callable[[Standing], bool]) -> int:
        return sum(n for standing, n in learners.items() if test(standing))

    bests = {m.id: _weighted(cells, m.id) for m in course.modules}
    completed = count(lambda s: s.status == "completed")
    steps = [
        FunnelStep("Inscrits", count(lambda s: True)),
        FunnelStep("Ont commencé", count(lambda s: s.status != "not_started")),
        *(
            FunnelStep(
                f"Séance {i} terminée ({m.title})",
                sum(
                    n
                    for c, n in cells.items()
                    if c.module_id == m.id and c.state is State.COMPLETED
                ),
            )
            for i, m in enumerate(course.modules, 1)
        ),
        FunnelStep("Parcours terminé", completed),
    ]
    return Summary(
        enrolled=steps[0].count,
        active=count(lambda s: s.active),
        completed=completed,
        needs_help=count(lambda s: s.needs_help),
        median_best={k: weighted_median(v) for k, v in bests.items()},
        funnel=tuple(steps),
        distributions={k: histogram(v) for k, v in bests.items()},
    )


def _weighted(cells: CellTally, module_id: str) -> list[tuple[float, int]]:
    return [
        (c.best_score, n)
        for c, n in cells.items()
        if c.module_id == module_id and c.best_score is not None
    ]


def weighted_median(values: Iterable[tuple[float, int]]) -> float | None:
    """Return the median of values given with how many times each occurs."""
    ordered = sorted(values)
    total = sum(n for _, n in ordered)
    if not total:
        return None
    low, high = _nth(ordered, (total - 1) // 2), _nth(ordered, total // 2)
    return (low + high) / 2


def _nth(ordered: Sequence[tuple[float, int]], index: int) -> float:
    seen = 0
    for value, n in ordered:
        seen += n
        if index < seen:
            return value
    raise IndexError(index)


def histogram(scores: Iterable[tuple[float, int]], bins: int = BINS) -> tuple[int, ...]:
    """Count scores (0-1, each with its weight) per bin of equal width; 100 % is in the last."""
    counts = [0] * bins
    for score, n in scores:
        counts[min(bins - 1, max(0, int(score * bins + TOLERANCE)))] += n
    return tuple(counts)


def fingerprint(course: Course, thresholds: Thresholds) -> str:
    """Return a digest of what stored rows depend on: the modules, steps, quizzes, thresholds."""
    parts = [STANDING_VERSION, repr(sorted(vars(thresholds).items()))]
    for module in course.modules:
        quiz = course.quizzes[module.quiz]
        parts.append(f"{module.id}:{module.requires}:{[s.id for s in module.steps]}")
        parts.append(f"{quiz.id}:{quiz.content_hash}:{quiz.pass_mark}:{quiz.max_attempts}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()
