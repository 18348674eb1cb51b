"""Learning gain: Hake's normalised gain g = (post - pre) / (100 - pre), per module and objective
(a loss is measured against pre instead: `normalised_gain`).

`pre` is the learner's first attempt at the module's pre-test (« positionnement »), `post` their
first attempt at the module's quiz: the first attempt measures what the module taught, before
retakes that follow a review showing the answers. Scores are fractions (0 to 1) throughout.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from course.content.model import Course, Module, Quiz

from .history import QuizAnswers
from .scoring import is_right

MIN_LEARNERS = 5  # fewer learners with both scores: a cohort's gain is marked "insufficient data"


def normalised_gain(pre: float | None, post: float | None) -> float | None:
    """Return the normalised change: Hake's g = (post - pre) / (1 - pre) for a gain, and for a
    loss (post - pre) / pre, the share of what was known that was lost (Marx and Cummings,
    2007), so that it stays within -1 and 1 (Hake's g of 96 % then 62 % was -8.5). None
    without both scores or when pre is 100 % (nothing left to gain)."""
    if pre is None or post is None or is_right(pre):  # a score of 100 %, like a right answer
        return None
    if post >= pre:
        return (post - pre) / (1 - pre)
    return (post - pre) / pre


def objective_scores(quiz: Quiz, fractions: Mapping[str, float]) -> dict[str, float]:
    """Return the share of points earned per objective over one attempt's questions."""
    earned: dict[str, float] = defaultdict(float)
    total: dict[str, float] = defaultdict(float)
    for question_id, fraction in fractions.items():
        question = quiz.question(question_id)
        if question is not None and question.objective is not None:
            earned[question.objective] += fraction * question.points
            total[question.objective] += question.points
    return {objective: earned[objective] / points for objective, points in total.items()}


def overall_score(quiz: Quiz, fractions: Mapping[str, float]) -> float | None:
    """Return the share of points earned over one attempt's questions; None if it has none."""
    questions = [(quiz.question(q), f) for q, f in fractions.items()]
    total = sum(q.points for q, _ in questions if q is not None)
    if not total:
        return None
    return sum(q.points * f for q, f in questions if q is not None) / total


@dataclass(frozen=True)
class Gain:
    """A pre-test score, a quiz score and the normalised gain between them."""

    pre: float | None
    post: float | None

    @property
    def g(self) -> float | None:
        """Return the normalised gain, if both scores exist and pre is below 100 %."""
        return normalised_gain(self.pre, self.post)

    @property
    def ceiling(self) -> bool:
        """Tell whether the pre-test was already perfect (no room left to gain)."""
        return self.pre is not None and is_right(self.pre)


@dataclass(frozen=True)
class ModuleGain:
    """One learner's gain on a module, overall and per objective (in the module's order)."""

    module_id: str
    overall: Gain
    objectives: tuple[tuple[str, Gain], ...] = field(default=())


def module_gain(course: Course, module: Module, first: QuizAnswers) -> ModuleGain | None:
    """Return a learner's gain on a module from their first attempts; None without a pre-test."""
    if module.pretest is None:
        return None
    pretest, quiz = course.quizzes[module.pretest], course.quizzes[module.quiz]
    pre_answers, post_answers = first.get(pretest.id, {}), first.get(quiz.id, {})
    pre, post = objective_scores(pretest, pre_answers), objective_scores(quiz, post_answers)
    objectives = tuple(
        (o.id, Gain(pre.get(o.id), post.get(o.id)))
        for o in module.objectives
        if o.id in pre or o.id in post
    )
    overall = Gain(overall_score(pretest, pre_answers), overall_score(quiz, post_answers))
    return ModuleGain(module.id, overall, objectives)


def learner_gains(course: Course, first: QuizAnswers) -> list[ModuleGain]:
    """Return a learner's gain on every module that has a pre-test."""
    gains = (module_gain(course, m, first) for m in course.modules)
    return [g for g in gains if g is not None]


@dataclass(frozen=True)
class CohortGain:
    """A cohort's gain: mean pre and post over the learners who have both, and g of the means."""

    learners: int
    pre: float | None
    post: float | None
    minimum: int = MIN_LEARNERS

    @property
    def g(self) -> float | None:
        """Return Hake's class gain, (mean post - mean pre) / (1 - mean pre)."""
        return normalised_gain(self.pre, self.post)

    @property
    def insufficient(self) -> bool:
        """Tell whether too few learners have both scores for the gain to mean much."""
        return self.learners < self.minimum


def cohort_gain(gains: Iterable[Gain], *, minimum: int = MIN_LEARNERS) -> CohortGain:
    """Average the learners' pre and post scores (pairs only), Hake's way."""
    pairs = [(g.pre, g.post) for g in gains if g.pre is not None and g.post is not None]
    if not pairs:
        return CohortGain(0, None, None, minimum)
    pre = sum(p for p, _ in pairs) / len(pairs)
    post = sum(q for _, q in pairs) / len(pairs)
    return CohortGain(len(pairs), pre, post, minimum)


@dataclass(frozen=True)
class CohortModuleGain:
    """A cohort's gain on one module, overall and per objective."""

    module_id: str
    overall: CohortGain
    objectives: tuple[tuple[str, CohortGain], ...]


def cohort_module_gains(
    course: Course, learners: Iterable[QuizAnswers], *, minimum: int = MIN_LEARNERS
) -> list[CohortModuleGain]:
    """Average every learner's gains per module and objective, marking thin data."""
    per_learner = [learner_gains(course, first) for first in learners]
    found = []
    for module in course.modules:
        gains = [g for gains in per_learner for g in gains if g.module_id == module.id]
        if module.pretest is None:
            continue
        objectives = tuple(
            (
                o.id,
                cohort_gain(
                    (dict(g.objectives).get(o.id, Gain(None, None)) for g in gains), minimum=minimum
                ),
            )
            for o in module.objectives
        )
        overall = cohort_gain((g.overall for g in gains), minimum=minimum)
        found.append(CohortModuleGain(module.id, overall, objectives))
    return found
