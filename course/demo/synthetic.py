"""Synthetic learners for the demo: plausible, varied journeys drawn from a random source."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from course.content.model import Course, Module, QuestionBase, Quiz
from course.domain.drawing import draw_layout
from course.domain.progression import Progress, QuizRecord, State, module_status
from course.domain.questions import question_type
from course.domain.scoring import Answer, QuestionResult, cbm_score, passed, score_question

FIRST_NAMES = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Jade",
    "Louise",
    "Emma",
    "Alice",
    "Lina",
    "Sarah",
    "Zoé",
    "Anaïs",
    "Nora",
    "Yasmine",
    "Lucas",
    "Hugo",
    "Louis",
    "Nathan",
    "Gabriel",
    "Arthur",
    "Jules",
    "Adam",
    "Raphaël",
    "Léo",
    "Karim",
    "Malik",
    "Théo",
    "Paul",
    "Noé",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Diallo",
    "Nguyen",
    "Benali",
    "Haddad",
    "Traoré",
    "Lopez",
]


@dataclass(frozen=True)
class ItemParams:
    """How a question behaves: its difficulty and how well it separates strong from weak."""

    difficulty: float
    discrimination: float


@dataclass(frozen=True)
class PlannedAnswer:
    question_id: str
    response: Answer
    fraction: float
    points: float
    confidence: int | None


@dataclass(frozen=True)
class PlannedAttempt:
    quiz_id: str
    number: int
    question_ids: tuple[str, ...]
    option_orders: dict[str, list[str]]
    pass_mark: float
    content_hash: str
    started_at: datetime
    submitted_at: datetime | None  # None: started, never submitted
    answers: tuple[PlannedAnswer, ...] = ()
    points: float = 0.0
    max_points: float = 0.0
    certainty_score: float | None = None  # the CBM score, for `scoring: cbm` quizzes

    @property
    def score(self) -> float:
        """Return the fraction of points earned."""
        return self.points / self.max_points if self.max_points else 0.0

    @property
    def passed(self) -> bool:
        """Tell whether the score that counts (CBM for `scoring: cbm`) reached the pass mark."""
        counted = self.score if self.certainty_score is None else self.certainty_score
        return passed(counted, self.pass_mark)


@dataclass
class PlannedLearner:
    """One synthetic learner's whole history, in time order."""

    index: int
    name: str
    joined_at: datetime
    steps: list[tuple[str, str, datetime]] = field(default_factory=list)  # module, step, when
    attempts: list[PlannedAttempt] = field(default_factory=list)
    completed_modules: list[tuple[str, datetime]] = field(default_factory=list)


@dataclass
class _Walk:
    """A learner's traits and where their journey stands while it is drawn."""

    ability: float
    pace_days: float
    dropout: float
    clock: datetime
    now: datetime
    done: set[str] = field(default_factory=set)
    records: dict[str, QuizRecord] = field(default_factory=dict)
    stopped: bool = False

    def progress(self) -> Progress:
        return Progress(frozenset(self.done), dict(self.records))

    def tick(self, rng: random.Random) -> datetime | None:
        """Move the clock on by one piece of work; None (and stop) past now or on dropout."""
        self.clock += timedelta(days=rng.expovariate(1 / self.pace_days))
        if self.clock >= self.now or rng.random() < self.dropout:
            self.stopped = True
            return None
        return self.clock


def item_parameters(course: Course, rng: random.Random) -> dict[str, ItemParams]:
    """Draw each question's difficulty and discrimination; about one in ten discriminates badly."""
    params = {}
    for quiz in course.quizzes.values():
        for question in quiz.questions:
            weak = rng.random() < 0.1
            params[f"{quiz.id}/{question.id}"] = ItemParams(
                difficulty=rng.gauss(-1.0, 0.9),
                discrimination=rng.uniform(-0.4, 0.2) if weak else rng.uniform(0.6, 2.2),
            )
    return params


def learner_name(rng: random.Random) -> str:
    """Draw a first and last name."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def plan_learner(
    course: Course, params: dict[str, ItemParams], rng: random.Random, index: int, now: datetime
) -> PlannedLearner:
    """Draw one learner's journey: who they are, how far they get, how they answer."""
    joined = now - timedelta(days=rng.uniform(1, 50), minutes=rng.uniform(0, 600))
    name = learner_name(rng)
    learner = PlannedLearner(index, name, joined)
    walk = _Walk(
        ability=rng.gauss(0, 1),
        pace_days=rng.uniform(0.05, 0.8),
        dropout=rng.choice((0.0005, 0.001, 0.002, 0.005)),
        clock=joined,
        now=now,
    )
    for module in course.modules:
        if walk.stopped or module_status(course, module, walk.progress()).state is State.LOCKED:
            break
        _module(course, module, params, rng, walk, learner)
    return learner


def _module(
    course: Course,
    module: Module,
    params: dict[str, ItemParams],
    rng: random.Random,
    walk: _Walk,
    learner: PlannedLearner,
) -> None:
    if module.pretest and rng.random() < 0.6:
        _take_quiz(course.quizzes[module.pretest], params, rng, walk, learner, tries=1)
    for step in module.steps:
        when = walk.tick(rng)
        if when is None:
            return
        walk.done.add(step.id)
        learner.steps.append((module.id, step.id, when))
    _take_quiz(course.quizzes[module.quiz], params, rng, walk, learner, tries=4)
    if module_status(course, module, walk.progress()).state is State.COMPLETED:
        learner.completed_modules.append((module.id, walk.clock))


def _take_quiz(
    quiz: Quiz,
    params: dict[str, ItemParams],
    rng: random.Random,
    walk: _Walk,
    learner: PlannedLearner,
    *,
    tries: int,
) -> None:
    limit = min(tries, quiz.max_attempts or tries)
    for number in range(1, limit + 1):
        started = walk.tick(rng)
        if started is None:
            return
        attempt = _attempt(quiz, params, rng, walk, number, started)
        learner.attempts.append(attempt)
        _record(walk, quiz.id, attempt)
        if attempt.submitted_at is None:  # left open: the learner went away mid-quiz
            walk.stopped = True
            return
        walk.clock = attempt.submitted_at
        if attempt.passed or quiz.kind == "pretest" or rng.random() < 0.06:
            return


def _record(walk: _Walk, quiz_id: str, attempt: PlannedAttempt) -> None:
    old = walk.records.get(quiz_id, QuizRecord())
    new = attempt.score if attempt.submitted_at else None
    scores = [s for s in (old.best_score, new) if s is not None]
    walk.records[quiz_id] = QuizRecord(
        attempts=old.attempts + 1,
        best_score=max(scores) if scores else old.best_score,
        passed=old.passed or (attempt.submitted_at is not None and attempt.passed),
    )


def _attempt(
    quiz: Quiz,
    params: dict[str, ItemParams],
    rng: random.Random,
    walk: _Walk,
    number: int,
    started: datetime,
) -> PlannedAttempt:
    layout = draw_layout(quiz, rng)
    base = PlannedAttempt(
        quiz.id,
        number,
        layout.question_ids,
        layout.option_orders,
        quiz.pass_mark,
        quiz.content_hash,
        started,
        None,
    )
    submitted = started + timedelta(minutes=rng.uniform(4, 25))
    if submitted >= walk.now or rng.random() < 0.01:  # still at it, or left it open
        return base
    # Each try teaches something: ability grows a little with every attempt.
    ability = walk.ability + 0.8 * (number - 1)
    questions = [q for q in (quiz.question(i) for i in layout.question_ids) if q is not None]
    answers = tuple(
        _answer(q, params[f"{quiz.id}/{q.id}"], ability, quiz.confidence, rng) for q in questions
    )
    results = [
        QuestionResult(a.question_id, a.fraction, a.points, q.points)
        for a, q in zip(answers, questions, strict=True)
    ]
    certainty = {a.question_id: a.confidence for a in answers}
    return replace(
        base,
        submitted_at=submitted,
        answers=answers,
        points=sum(a.points for a in answers),
        max_points=sum(q.points for q in questions),
        certainty_score=cbm_score(results, certainty) if quiz.scoring == "cbm" else None,
    )


def _answer(
    question: QuestionBase, item: ItemParams, ability: float, confidence: bool, rng: random.Random
) -> PlannedAnswer:
    chance = 1 / (1 + math.exp(-item.discrimination * (ability - item.difficulty)))
    right = rng.random() < chance
    response = right_response(question) if right else wrong_response(question, rng)
    result = score_question(question, response)
    level = _confidence(result.correct, ability, rng) if confidence else None
    return PlannedAnswer(question.id, response, result.fraction, result.points, level)


def _confidence(correct: bool, ability: float, rng: random.Random) -> int:
    if not correct:
        # Some wrong answers are given with assurance: the signature of a misconception.
        return rng.choices((1, 2, 3), weights=(4, 3, 2))[0]
    return rng.choices((1, 2, 3), weights=(1, 3, 3 + 2 * max(0.0, ability)))[0]


def right_response(question: QuestionBase) -> Answer:
    """Return an answer that earns every point."""
    return question_type(question).right_answer(question)


def wrong_response(question: QuestionBase, rng: random.Random) -> Answer:
    """Return a plausible wrong answer (distractors tagged with a misconception come first)."""
    return question_type(question).wrong_answer(question, rng)
