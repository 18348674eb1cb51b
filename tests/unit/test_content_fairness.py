"""What the check tells an author beyond the schema: questions that cannot be answered fairly,
content the site would lose or hide, and what a wrong answer fails to tell."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.content import Severity, load_course
from tests.unit.course_copies import edit
from tests.unit.course_copies import lines as problems

M1_QUIZ = "quizzes/m1-quiz.yaml"
M2_QUIZ = "quizzes/m2-quiz.yaml"
STEP = "modules/01-bases/01-intro.md"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            'right: "Ouaf"',
            'right: " miaou !"',
            f"{M2_QUIZ}:25: pairs 'p1' and 'p2' have the same right (« miaou ! »): the list "
            "offers it twice and only one scores",
            id="matching-same-right",
        ),
        pytest.param(
            'left: "Chien"',
            'left: "chat"',
            f"{M2_QUIZ}:25: pairs 'p1' and 'p2' have the same left (« chat »): a learner cannot "
            "tell them apart",
            id="matching-same-left",
        ),
        pytest.param(
            '{id: trois, text: "Trois"}',
            '{id: trois, text: "Un."}',
            f"{M2_QUIZ}:16: items 'un' and 'trois' read the same (« Un. »): no order is right",
            id="ordering-same-text",
        ),
    ],
)
def test_options_a_learner_cannot_tell_apart_are_errors(
    course_dir: Path, old: str, new: str, expected: str
) -> None:
    edit(course_dir, M2_QUIZ, old, new)
    course, found = load_course(course_dir)
    assert expected in [str(p) for p in found]
    assert course is None


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        pytest.param(
            M1_QUIZ,
            '{id: c, text: "C", feedback: "Non.", misconception: confusion-c}',
            '{id: c, text: "C", correct: true, feedback: "Oui."}',
            f"{M1_QUIZ}:18: warning: [all-correct] every choice of 'q-multiple' is correct: "
            "ticking them all scores without knowing; add wrong choices",
            id="every-choice-correct",
        ),
        pytest.param(
            M1_QUIZ,
            ", misconception: confusion-b}",
            "}",
            f"{M1_QUIZ}:16: warning: [no-misconception] wrong choice 'b' names no "
            "misconception: give it `misconception:` (an id labelled in the quiz's "
            "misconceptions:) so the review and the trainer can say what it reveals",
            id="wrong-choice-without-misconception",
        ),
        pytest.param(
            "modules/01-bases/module.md",
            "tools: [outil-1]",
            "tools: []",
            "tools/outil-1.yaml:3: warning: tool 'outil-1' is not listed in the `tools:` of "
            "module 'm1' (modules/01-bases/module.md): list it there, or it shows on no module "
            "page nor the home page",
            id="tool-not-listed",
        ),
        pytest.param(
            "modules/03-fin/module.md",
            "order: 3",
            "order: 2",
            "modules/03-fin/module.md:4: warning: module 'm3' has the same order (2) as 'm2' "
            "(modules/02-suite/module.md): give each module its own order",
            id="two-modules-same-order",
        ),
        pytest.param(
            STEP,
            "Premier pas.",
            "# Introduction\n\nPremier pas.",
            f"{STEP}:11: warning: a level-1 heading # is the page's title: start at ##",
            id="level-1-heading",
        ),
        pytest.param(
            STEP,
            "Premier pas.",
            "Premier pas :\n\n- lire\n  - vite\n- écrire",
            f"{STEP}:14: warning: a list item indented by 2 spaces is not nested (it joins the "
            "list above): indent it by 4 spaces",
            id="list-nested-by-2-spaces",
        ),
    ],
)
def test_warnings(course_dir: Path, rel: str, old: str, new: str, expected: str) -> None:
    edit(course_dir, rel, old, new)
    course, found = load_course(course_dir)
    assert expected in [str(p) for p in found], found
    assert course is not None, "warnings alone do not stop the course from loading"


def test_a_module_without_steps_warns(course_dir: Path) -> None:
    (course_dir / "modules" / "03-fin" / "01-fin.md").unlink()
    assert (
        "modules/03-fin/module.md:2: warning: module 'm3' has no steps: add step files "
        "NN-slug.md to its folder" in problems(course_dir)
    )


def test_a_course_without_course_md_warns(course_dir: Path) -> None:
    (course_dir / "modules" / "course.md").unlink()
    course, found = load_course(course_dir)
    assert course is not None
    assert course.info.title == "Cours"
    assert [(str(p), p.severity) for p in found] == [
        (
            "modules/course.md:1: warning: missing: without modules/course.md (title, subtitle, "
            "presentation) the site is titled « Cours » and has no presentation",
            Severity.WARNING,
        )
    ]


def test_a_list_nested_by_4_spaces_and_a_level_2_heading_pass(course_dir: Path) -> None:
    edit(course_dir, STEP, "Premier pas.", "## Premier pas\n\n- lire\n    - vite\n- écrire")
    assert problems(course_dir) == []
