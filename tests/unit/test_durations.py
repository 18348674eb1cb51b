"""Honest durations: words at 200 a minute plus activities, and the 25 % warning."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course.content import load_course
from course.content.durations import count_words, far_from_estimate, step_estimate
from course.content.model import Activity
from tests.conftest import FIXTURE_COURSE


@pytest.mark.parametrize(
    ("markdown", "words"),
    [
        ("", 0),
        ("Un territoire, c'est une zone de projets.", 7),
        ("Voir [la fiche](https://exemple.fr/une/longue/adresse) <em>vite</em>.", 4),
        ("![Un schéma](img.png)\n\n- **co-construction** territoriale", 4),
    ],
)
def test_count_words(markdown: str, words: int) -> None:
    assert count_words(markdown) == words


@pytest.mark.parametrize(
    ("words", "activity_minutes", "estimate"),
    [(0, (), 0), (1, (), 1), (200, (), 1), (201, (), 2), (400, (15, 5), 22)],
)
def test_step_estimate(words: int, activity_minutes: tuple[int, ...], estimate: int) -> None:
    activities = [Activity(kind="reflection", minutes=m) for m in activity_minutes]
    assert step_estimate(words, activities) == estimate


@pytest.mark.parametrize(
    ("declared", "estimate", "far"),
    [(20, 20, False), (25, 20, False), (15, 20, False), (26, 20, True), (14, 20, True)],
)
def test_far_from_estimate(declared: int, estimate: int, far: bool) -> None:
    assert far_from_estimate(declared, estimate) is far


def test_module_estimate_adds_steps_and_quizzes() -> None:
    course, _ = load_course(FIXTURE_COURSE)
    assert course is not None
    m1 = course.module("m1")
    assert m1 is not None
    assert [s.estimated_minutes for s in m1.steps] == [5, 10]
    quizzes = course.quizzes["m1-quiz"].duration_minutes
    pretest = course.quizzes["m1-positionnement"].duration_minutes
    assert m1.estimated_minutes == 15 + quizzes + pretest


def test_a_step_far_from_its_estimate_warns_at_its_duration_line(tmp_path: Path) -> None:
    root = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, root)
    step = root / "modules" / "03-fin" / "01-fin.md"
    step.write_text(step.read_text().replace("minutes: 4,", "minutes: 1,"))
    course, problems = load_course(root)
    assert course is not None
    assert [str(p) for p in problems] == [
        "modules/03-fin/01-fin.md:5: warning: [duration] step 'm3-fin' declares 5 min but its "
        "estimate is 2 min (1 words at 200 a minute + 1 min of activities): declare about 2 or "
        "add the activities the step asks for"
    ]


def test_an_empty_step_is_never_advised_less_than_a_minute(tmp_path: Path) -> None:
    root = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, root)
    step = root / "modules" / "03-fin" / "01-fin.md"
    text = step.read_text().replace(
        'activities:\n  - {kind: reflection, minutes: 4, prompt: "Que retenez-vous ?"}\n', ""
    )
    step.write_text(text.replace("---\nFini.\n", "---\n"))
    _, problems = load_course(root)
    assert [str(p) for p in problems] == [
        "modules/03-fin/01-fin.md:5: warning: [duration] step 'm3-fin' declares 5 min but its "
        "estimate is 0 min (0 words at 200 a minute + 0 min of activities): declare about 1 or "
        "add the activities the step asks for"
    ]
    step.write_text(text.replace("---\nFini.\n", "---\n").replace("minutes: 5", "minutes: 1"))
    assert load_course(root)[1] == [], "following the advice silences the warning"
