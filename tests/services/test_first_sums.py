"""First-attempt sums kept at each submission equal a full recount of the stored answers."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from course.content import load_course_or_raise
from course.content.model import Course
from course.domain.item_analysis import QuizData, analyse
from course.domain.selection import Selection
from course.services import analytics, cohorts, first_sums
from course.services.models import Cohort, FirstAttemptSum
from tests.conftest import FIXTURE_COURSE, now

from .test_trainer_services import submit

CHOICES = {
    "q-q-single": (["a"], ["b"], []),
    "q-q-multiple": (["a"], ["a", "b"], ["a", "c"], ["c"], ["b", "c"]),
    "q-q-vf": (["true"], ["false"]),
    "q-q-num": (["69"], ["12"], ["69,2"], ["abc"]),
    "q-q-text": (["Catalyse territoriale"], ["catalyse  territoriale"], ["rien"], []),
}


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course_or_raise(FIXTURE_COURSE)


def _form(rng: random.Random) -> dict[str, list[str]]:
    form = {name: rng.choice(options) for name, options in CHOICES.items()}
    sure = {f"c-{name[2:]}": [rng.choice("123")] for name in CHOICES if rng.random() < 0.8}
    return {**form, **sure}


COLUMNS = ("content_hash", "kind", "key", "question_id", "learner_id", "mark", "total", "n")


def _stored(db: Session, cohort: Cohort) -> list[tuple[object, ...]]:
    rows = db.scalars(select(FirstAttemptSum).where(FirstAttemptSum.cohort_id == cohort.id))
    return sorted(
        (*(getattr(r, c) for c in COLUMNS), r.confident, *(round(v, 6) for v in _floats(r)))
        for r in rows
    )


def _floats(row: FirstAttemptSum) -> tuple[float, ...]:
    return (row.fraction, row.sx, row.sxx, row.sr, row.srr, row.sxr)


def _recounted(db: Session, course: Course, cohort: Cohort) -> QuizData:
    """Return the data of the full SQL path, which reads every answer at each view."""
    quiz = course.quizzes["m1-quiz"]
    loaded = analytics.load_data(db, cohort.id, quiz, Selection.FIRST)
    holders = analytics.holders(db, cohort.id, quiz, Selection.FIRST, loaded)
    return replace(loaded.data, holders=holders)


@pytest.mark.parametrize("seed", [3, 8])
def test_sums_kept_at_each_submission_equal_a_full_recount(
    db: Session,
    course: Course,
    make_user,  # type: ignore[no-untyped-def]
    seed: int,
) -> None:
    rng = random.Random(seed)
    quiz = course.quizzes["m1-quiz"]
    trainer = make_user("formatrice@example.org", role="trainer")
    groups = [cohorts.create_cohort(db, name, trainer.id, now=now()) for name in "AB"]
    for group in groups:  # built while empty: what follows is only kept incrementally
        first_sums.load(db, group.id, quiz, names=40)
    db.commit()
    for index in range(14):
        user = make_user(f"l{index}@example.org")
        for group in rng.sample(groups, rng.randint(1, 2)):
            cohorts.join(db, group, user.id, now=now())
        db.commit()
        for _ in range(rng.randint(1, 3)):  # later attempts must not count
            submit(db, course, user.id, _form(rng))

    for group in groups:
        kept = _stored(db, group)
        got = first_sums.load(db, group.id, quiz, names=2)
        expected = _recounted(db, course, group)
        first_sums.rebuild(db, group.id, quiz)
        rebuilt = _stored(db, group)
        assert rebuilt == kept  # a rebuild finds what the submissions added
        assert (got.learners, got.attempts) == (expected.learners, expected.attempts)
        assert got.scores == expected.scores
        assert got.totals == expected.totals
        assert got.marks == expected.marks
        assert got.rests == expected.rests
        for question_id, sums in expected.sums.items():
            assert got.sums[question_id].n == sums.n
            for name in ("sx", "sxx", "sr", "srr", "sxr"):
                assert getattr(got.sums[question_id], name) == pytest.approx(getattr(sums, name))
        assert sorted(
            (t.question_id, t.key, t.count, t.confident, t.fraction) for t in got.responses
        ) == sorted(
            (t.question_id, t.key, t.count, t.confident, t.fraction) for t in expected.responses
        )
        mine = analyse(quiz, got, min_learners=1, weak_efficiency=15)
        reference = analyse(quiz, expected, min_learners=1, weak_efficiency=15)
        assert mine.questions == reference.questions
        assert mine.mean == pytest.approx(reference.mean)
        assert [(m.id, m.count, m.confident, m.questions) for m in mine.misconceptions] == [
            (m.id, m.count, m.confident, m.questions) for m in reference.misconceptions
        ]
        assert mine.misconceptions, "the random answers show misconceptions"
        for m, ref in zip(mine.misconceptions, reference.misconceptions, strict=True):
            assert sorted(m.learners) == sorted(ref.learners)[:2]  # the first by id, named


@pytest.fixture
def group(db: Session, make_user) -> Cohort:  # type: ignore[no-untyped-def]
    trainer = make_user("formatrice@example.org", role="trainer")
    return cohorts.create_cohort(db, "A", trainer.id, now=now())


def test_a_learner_who_joins_with_attempts_is_counted_after_a_rebuild(
    db: Session,
    course: Course,
    make_user,  # type: ignore[no-untyped-def]
    group: Cohort,
) -> None:
    quiz = course.quizzes["m1-quiz"]
    first_sums.load(db, group.id, quiz, names=40)
    user = make_user("tard@example.org")
    submit(db, course, user.id, _form(random.Random(1)))
    assert first_sums.load(db, group.id, quiz, names=40).learners == 0
    cohorts.join(db, group, user.id, now=now())
    db.commit()
    assert first_sums.load(db, group.id, quiz, names=40).learners == 1
    assert _recounted(db, course, group).learners == 1


def test_new_content_is_counted_afresh(
    db: Session,
    course: Course,
    make_user,  # type: ignore[no-untyped-def]
    group: Cohort,
) -> None:
    quiz = course.quizzes["m1-quiz"]
    user = make_user("l@example.org")
    cohorts.join(db, group, user.id, now=now())
    submit(db, course, user.id, _form(random.Random(2)))
    edited = quiz.model_copy(update={"content_hash": "edited"})
    assert first_sums.load(db, group.id, edited, names=40).learners == 1
    hashes = set(db.scalars(select(FirstAttemptSum.content_hash)))
    assert hashes == {"edited"}  # the rebuild dropped the sums of the old content
