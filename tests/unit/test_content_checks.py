"""Each content check, with the exact PATH:LINE it reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.content import Severity, load_course
from tests.conftest import FIXTURE_COURSE
from tests.unit.course_copies import edit, lines


def test_fixture_course_is_clean(course_dir: Path) -> None:
    course, problems = load_course(course_dir)
    assert problems == []
    assert course is not None


SINGLE_TWO_CORRECT = (
    "quizzes/m1-quiz.yaml",
    '{id: b, text: "La mauvaise", feedback',
    '{id: b, text: "La mauvaise", correct: true, feedback',
)

CASES = [
    pytest.param(
        "quizzes/m1-quiz.yaml",
        "pass_mark: 0.7\n",
        "pass_mark: 70\n",
        "quizzes/m1-quiz.yaml:4: pass_mark: a fraction of 1 (not 70): write 0.7 for 70 %",
        id="schema-pass-mark-in-percent",
    ),
    pytest.param(
        "quizzes/m1-quiz.yaml",
        "pass_mark: 0.7\n",
        "pass_mark: 70 %\n",
        "quizzes/m1-quiz.yaml:4: pass_mark: a fraction of 1 (not '70 %'): write 0.7 for 70 %",
        id="schema-pass-mark-with-percent-sign",
    ),
    pytest.param(
        "quizzes/m1-quiz.yaml",
        "    type: true_false\n",
        "    type: truefalse\n",
        "quizzes/m1-quiz.yaml:29: questions[2].type: unknown type 'truefalse' (did you mean "
        "'true_false'?)",
        id="schema-misspelled-type",
    ),
    pytest.param(
        "modules/02-suite/module.md",
        "quiz: m2-quiz\n",
        "quiz: m2-quiz\nrequires: m1\n",
        "modules/02-suite/module.md:9: requires: write a list, in brackets: [m1]",
        id="schema-a-list-written-as-one-value",
    ),
    pytest.param(
        "quizzes/m1-quiz.yaml",
        "  - id: q-multiple\n",
        "  - id: q-single\n",
        "quizzes/m1-quiz.yaml:18: duplicate question id 'q-single'",
        id="duplicate-question-id",
    ),
    pytest.param(
        *SINGLE_TWO_CORRECT,
        "quizzes/m1-quiz.yaml:9: single question 'q-single' needs exactly one correct choice, "
        "it has 2",
        id="single-two-correct",
    ),
    pytest.param(
        "quizzes/m1-quiz.yaml",
        'title: "Quiz des bases"\n',
        'title: "Quiz des bases"\ntitle: "Encore"\n',
        'quizzes/m1-quiz.yaml:4: duplicate key: "title"',
        id="duplicate-yaml-key",
    ),
    pytest.param(
        "quizzes/m1-quiz.yaml",
        "pass_mark: 0.7",
        "pass_mark: 1.5",
        "quizzes/m1-quiz.yaml:4: pass_mark: Input should be less than or equal to 1: a pass "
        "mark is a fraction of 1, above 0 (0.7 for 70 %)",
        id="schema-pass-mark",
    ),
    pytest.param(
        "quizzes/m1-quiz.yaml",
        "    type: true_false\n",
        "    type: vrai_faux\n",
        "quizzes/m1-quiz.yaml:29: questions[2].type: unknown type 'vrai_faux' (known: single, "
        "multiple, true_false, numeric, text, ordering, matching, cloze)",
        id="schema-unknown-type",
    ),
    pytest.param(
        "quizzes/m1-quiz.yaml",
        "    objective: m1-o2\n    answer: 69",
        "    objective: m1-o9\n    answer: 69",
        "quizzes/m1-quiz.yaml:36: unknown objective 'm1-o9'",
        id="dangling-objective",
    ),
    pytest.param(
        "modules/02-suite/module.md",
        "quiz: m2-quiz",
        "quiz: m9-quiz",
        "modules/02-suite/module.md:8: unknown quiz 'm9-quiz'",
        id="dangling-quiz",
    ),
    pytest.param(
        "modules/01-bases/module.md",
        "requires: []",
        "requires: [m7]",
        "modules/01-bases/module.md:10: requires unknown module 'm7'",
        id="dangling-requires",
    ),
    pytest.param(
        "modules/01-bases/module.md",
        "tools: [outil-1]",
        "tools: [outil-9]",
        "modules/01-bases/module.md:11: unknown tool 'outil-9'",
        id="dangling-tool",
    ),
    pytest.param(
        "modules/01-bases/module.md",
        "requires: []",
        "requires: [m3]",
        "modules/01-bases/module.md:10: `requires` makes a cycle: m1 → m3 → m2 → m1",
        id="requires-cycle",
    ),
    pytest.param(
        "modules/01-bases/module.md",
        "requires: []",
        "requires: [m1]",
        "modules/01-bases/module.md:10: module 'm1' requires itself",
        id="requires-itself",
    ),
    pytest.param(
        "modules/01-bases/module.md",
        "quiz: m1-quiz",
        "quiz: m1-positionnement",
        "modules/01-bases/module.md:9: a module's `quiz:` must name a quiz of `kind: quiz`; "
        "'m1-positionnement' has `kind: pretest` (a pre-test needs no listing: its `module:` "
        "links it)",
        id="module-quiz-is-a-pretest",
    ),
    pytest.param(
        "modules/02-suite/module.md",
        "id: m2\n",
        "id: m1\n",
        "modules/02-suite/module.md:2: duplicate module id 'm1' (also the id of "
        "modules/01-bases/module.md)",
        id="duplicate-module-id",
    ),
    pytest.param(
        "quizzes/m2-quiz.yaml",
        "id: m2-quiz\n",
        "id: m1-quiz\n",
        "quizzes/m2-quiz.yaml:1: id 'm1-quiz' is not the file's name: rename the file "
        "m1-quiz.yaml, or write `id: m2-quiz`",
        id="quiz-id-not-its-file-name",
    ),
    pytest.param(
        "modules/02-suite/01-ordre.md",
        "id: m2-ordre",
        "id: m1-intro",
        "modules/02-suite/01-ordre.md:2: duplicate step id 'm1-intro'",
        id="duplicate-step-id",
    ),
    pytest.param(
        "quizzes/m3-quiz.yaml",
        "draw: 1",
        "draw: 5",
        "quizzes/m3-quiz.yaml:5: draw is 5 but the quiz has only 2 questions",
        id="draw-too-large",
    ),
    pytest.param(
        "quizzes/m1-quiz.yaml",
        '      - {id: b, text: "B", correct: true, feedback: "Oui."}',
        '      - {id: b, text: "B", feedback: "Non."}\n'
        '      - {id: e, text: "E", feedback: "Non."}',
        None,
        id="multiple-stays-valid",
    ),
    pytest.param(
        "modules/01-bases/01-intro.md",
        "objectives: [m1-o1]",
        "objectives: [m2-o1]",
        "modules/01-bases/01-intro.md:6: unknown objective 'm2-o1' (module 'm1')",
        id="step-objective",
    ),
    pytest.param(
        "quizzes/m1-quiz.yaml",
        "    step: m1-intro",
        "    step: m1-nulle-part",
        "quizzes/m1-quiz.yaml:9: unknown step 'm1-nulle-part'",
        id="dangling-step",
    ),
    pytest.param(
        "quizzes/m1-quiz.yaml",
        "    step: m1-intro",
        "    step: m2-ordre",
        "quizzes/m1-quiz.yaml:9: step 'm2-ordre' is in module 'm2', which 'm1' does not require: "
        "a learner sent to it from this quiz may find it locked",
        id="step-of-a-later-module",
    ),
    pytest.param(
        "modules/01-bases/01-intro.md",
        "---\nid: m1-intro",
        "id: m1-intro",
        "modules/01-bases/01-intro.md:1: missing front matter: the file must start with a '---' "
        "block",
        id="missing-front-matter",
    ),
    pytest.param(
        "modules/01-bases/01-intro.md",
        "kind: reading",
        "kind: [reading",
        "modules/01-bases/01-intro.md:",
        id="yaml-syntax",
    ),
]


@pytest.mark.parametrize(("rel", "old", "new", "expected"), CASES)
def test_check_reports_file_and_line(
    course_dir: Path, rel: str, old: str, new: str, expected: str | None
) -> None:
    edit(course_dir, rel, old, new)
    found = lines(course_dir)
    if expected is None:
        assert not [p for p in found if "warning" not in p]
    else:
        assert any(line.startswith(expected) for line in found), found


def test_a_cycle_across_modules_is_named_once(course_dir: Path) -> None:
    edit(course_dir, "modules/01-bases/module.md", "requires: []", "requires: [m2]")
    cycles = [line for line in lines(course_dir) if "requires" in line]
    assert cycles == ["modules/01-bases/module.md:10: `requires` makes a cycle: m1 → m2 → m1"]


def test_multiple_without_a_correct_choice(course_dir: Path) -> None:
    edit(
        course_dir,
        "quizzes/m1-quiz.yaml",
        '{id: a, text: "A", correct: true, feedback: "Oui."}\n'
        '      - {id: b, text: "B", correct: true',
        '{id: a, text: "A", feedback: "Non."}\n      - {id: b, text: "B"',
    )
    assert "quizzes/m1-quiz.yaml:18: question 'q-multiple' has no correct choice" in lines(
        course_dir
    )


def test_unreachable_pass_mark_is_reported(course_dir: Path) -> None:
    edit(course_dir, "quizzes/m3-quiz.yaml", "pass_mark: 0.5", "pass_mark: 0.9")
    edit(
        course_dir,
        "quizzes/m3-quiz.yaml",
        '    type: true_false\n    prompt: "Encore ?"\n    objective: m3-o1\n    answer: false\n',
        "    type: text\n    prompt: \"Encore ?\"\n    objective: m3-o1\n    accept: ['  ']\n",
    )
    found = lines(course_dir)
    assert (
        "quizzes/m3-quiz.yaml:4: pass mark 0.9 is unreachable: at most 0.50 of the points can "
        "be earned" in found
    )


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        pytest.param(
            "quizzes/m1-quiz.yaml",
            ', feedback: "Non, c\'est la mauvaise.", misconception: confusion-b}',
            "}",
            "quizzes/m1-quiz.yaml:16: warning: wrong choice 'b' has no feedback",
            id="choice-without-feedback",
        ),
        pytest.param(
            "quizzes/m1-quiz.yaml",
            '    feedback_wrong: "C\'est 69."\n',
            "",
            "quizzes/m1-quiz.yaml:36: warning: question 'q-num' has no feedback_wrong",
            id="question-without-feedback",
        ),
        pytest.param(
            "modules/01-bases/01-intro.md",
            "![Un schéma]",
            "![ ]",
            "modules/01-bases/01-intro.md:13: warning: image without alt text",
            id="image-without-alt",
        ),
        pytest.param(
            "quizzes/m3-quiz.yaml",
            "confidence: true\n",
            "confidence: false\n",
            "quizzes/m3-quiz.yaml:7: warning: scoring: cbm needs confidence: true (without it "
            "every answer counts as unsure)",
            id="cbm-without-confidence",
        ),
        pytest.param(
            "modules/01-bases/module.md",
            '  - {id: m1-o2, text: "Appliquer les bases"}',
            '  - {id: m1-o2, text: "Appliquer les bases"}\n  - {id: m1-o3, text: "Rien"}',
            "modules/01-bases/module.md:9: warning: objective 'm1-o3' is assessed by no question",
            id="objective-not-assessed",
        ),
        pytest.param(
            "quizzes/m1-quiz.yaml",
            '{id: c, text: "C", feedback',
            '{id: c, text: " b ", feedback',
            "quizzes/m1-quiz.yaml:26: warning: [duplicate-choices] choices 'b' and 'c' say the "
            "same thing",
            id="item-writing-rule",
        ),
    ],
)
def test_warnings(course_dir: Path, rel: str, old: str, new: str, expected: str) -> None:
    edit(course_dir, rel, old, new)
    course, problems = load_course(course_dir)
    assert expected in [str(p) for p in problems]
    assert course is not None, "warnings alone do not stop the course from loading"
    assert all(p.severity is Severity.WARNING for p in problems)


def test_markdown_is_sanitized_at_load() -> None:
    course, _ = load_course(FIXTURE_COURSE)
    assert course is not None
    html = course.module("m1").step("m1-intro").html
    assert "<script>" not in html
    assert 'alt="Un schéma"' in html
    assert course.module("m1").step("m1-intro").video.transcript_html == (
        "<p>Bonjour et <em>bienvenue</em>.</p>"
    )


def test_invalid_utf8_names_the_line(course_dir: Path) -> None:
    path = course_dir / "quizzes" / "m2-quiz.yaml"
    path.write_bytes(b"id: m2-quiz\ntitle: \xff\n")
    assert "quizzes/m2-quiz.yaml:2: not valid UTF-8" in lines(course_dir)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "{id: notes, type: textarea,",
            "{id: notes, type: dessin,",
            "tools/outil-1.yaml:11: sections[0].fields[1].type: Input should be 'text', "
            "'textarea', "
            "'scale', 'choice', 'checklist' or 'rows'",
            id="unknown-field-type",
        ),
        pytest.param(
            '- {id: eco, label: "Économie", fields: [eco]}',
            '- {id: eco, label: "Économie", fields: [ecologie]}',
            "tools/outil-1.yaml:50: score 'eco': 'ecologie' is no scale field",
            id="score-of-missing-field",
        ),
        pytest.param(
            '{below: 0.5, label: "À renforcer"',
            '{below: 1.5, label: "À renforcer"',
            "tools/outil-1.yaml:57: results.levels[0].bands[0].below: Input should be less than or "
            "equal to 1",
            id="threshold-out-of-range",
        ),
        pytest.param(
            'message: "Profils absents : {label}"}',
            'message: "Profils absents : {label}"}\n'
            "    - {type: unchecked, field: etapes, option: evaluation, message: x}",
            "tools/outil-1.yaml:62: 'etapes' has no option 'evaluation'",
            id="flag-of-missing-option",
        ),
        pytest.param(
            "field: acteurs, x: profil, y: lien, label: nom}",
            "field: acteurs, x: profil, y: lien, label: temps}",
            "tools/outil-1.yaml:68: 'acteurs.temps' is no text column of a rows field",
            id="chart-of-wrong-column",
        ),
        pytest.param(
            '{id: eco, type: scale, label: "Économie", points: ["Fragile", "Moyen", "Solide"]}',
            '{id: eco, type: scale, label: "Économie"}',
            "tools/outil-1.yaml:12: scale field 'eco' needs points",
            id="scale-without-points",
        ),
    ],
)
def test_tool_checks(course_dir: Path, old: str, new: str, expected: str) -> None:
    edit(course_dir, "tools/outil-1.yaml", old, new)
    found = lines(course_dir)
    assert expected in found
    assert not [p for p in found if "unknown tool" in p], "a broken tool file is reported once"


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        pytest.param(
            "modules/02-suite/01-ordre.md",
            "    tool: outil-1\n",
            "    tool: outil-9\n",
            "modules/02-suite/01-ordre.md:7: unknown tool 'outil-9'",
            id="activity-unknown-tool",
        ),
        pytest.param(
            "modules/02-suite/01-ordre.md",
            "    tool: outil-1\n",
            "",
            "modules/02-suite/01-ordre.md:7: a tool activity needs `tool`: a tool id",
            id="tool-activity-without-tool",
        ),
        pytest.param(
            "modules/03-fin/01-fin.md",
            "{kind: reflection, minutes: 4,",
            "{kind: reflection, tool: outil-1, minutes: 4,",
            "modules/03-fin/01-fin.md:7: only a tool activity names a `tool`",
            id="tool-on-a-reflection",
        ),
        pytest.param(
            "modules/03-fin/01-fin.md",
            "{kind: reflection, minutes: 4,",
            "{kind: debate, minutes: 4,",
            "modules/03-fin/01-fin.md:7: activities[0].kind: Input should be 'reflection', "
            "'exercise', 'tool' or 'video'",
            id="unknown-activity-kind",
        ),
        pytest.param(
            "modules/03-fin/01-fin.md",
            "{kind: reflection, minutes: 4,",
            "{kind: reflection, minutes: 0,",
            "modules/03-fin/01-fin.md:7: activities[0].minutes: Input should be greater than 0",
            id="activity-without-minutes",
        ),
        pytest.param(
            "tools/outil-1.yaml",
            "module: m1\n",
            "module: m1\nunlocked_by: {step: m2-ordre}\n",
            "tools/outil-1.yaml:4: unlocked_by: step 'm2-ordre' is not a step of 'm1'",
            id="unlocked-by-step-of-another-module",
        ),
        pytest.param(
            "tools/outil-1.yaml",
            "module: m1\n",
            "module: m1\nunlocked_by: passage\n",
            "tools/outil-1.yaml:4: unlocked_by: expected `quiz` or `{step: <step_id>}`",
            id="unlocked-by-unknown-rule",
        ),
    ],
)
def test_activity_and_unlocking_errors(
    course_dir: Path, rel: str, old: str, new: str, expected: str
) -> None:
    edit(course_dir, rel, old, new)
    found = lines(course_dir)
    assert any(line.startswith(expected) for line in found), found


def test_unlocked_by_a_step_of_the_tools_module_loads(course_dir: Path) -> None:
    edit(
        course_dir,
        "tools/outil-1.yaml",
        "module: m1\n",
        "module: m1\nunlocked_by:\n  step: m1-intro\n",
    )
    course, problems = load_course(course_dir)
    assert problems == []
    assert course is not None
    assert course.tools["outil-1"].unlocked_by.step == "m1-intro"  # type: ignore[union-attr]


def test_lint_ignore_is_read_from_the_quiz_file(course_dir: Path) -> None:
    edit(
        course_dir,
        "quizzes/m1-quiz.yaml",
        '{id: c, text: "C", feedback',
        '{id: c, text: "B", feedback',
    )
    assert any("[duplicate-choices]" in line for line in lines(course_dir))
    edit(
        course_dir,
        "quizzes/m1-quiz.yaml",
        '    prompt: "Lesquelles ?"\n',
        '    prompt: "Lesquelles ?"\n    lint_ignore: {duplicate-choices: "Voulu pour le test."}\n',
    )
    assert lines(course_dir) == []
    edit(course_dir, "quizzes/m1-quiz.yaml", "{duplicate-choices:", "{duplicate-choice:")
    assert lines(course_dir)[0].startswith(
        "quizzes/m1-quiz.yaml:18: [lint-ignore] unknown rule 'duplicate-choice'"
    )


@pytest.mark.parametrize(
    ("tool_edit", "expected"),
    [
        pytest.param(
            ("module: m1\n", "module: m1\n"),
            None,
            id="tool-of-an-earlier-session",
        ),
        pytest.param(
            ("module: m1\n", "module: m3\n"),
            "tool 'outil-1' opens in a later session ('m3')",
            id="tool-of-a-later-session",
        ),
        pytest.param(
            ("module: m1\n", "module: m2\n"),
            "tool 'outil-1' opens only once this session's quiz is passed: give it "
            "`unlocked_by: {step: m2-ordre}` (or an earlier step) so it can be used here",
            id="tool-behind-this-sessions-quiz",
        ),
        pytest.param(
            ("module: m1\n", "module: m2\nunlocked_by: {step: m2-ordre}\n"),
            None,
            id="tool-opened-by-this-step",
        ),
    ],
)
def test_a_tool_activity_warns_when_its_tool_is_locked_at_the_step(
    course_dir: Path, tool_edit: tuple[str, str], expected: str | None
) -> None:
    edit(course_dir, "tools/outil-1.yaml", *tool_edit)
    if tool_edit[1] != "module: m1\n":
        edit(course_dir, "modules/01-bases/module.md", "tools: [outil-1]", "tools: []")
    found = [line for line in lines(course_dir) if "activity-tool-locked" in line]
    if expected is None:
        assert found == []
    else:
        assert found == [
            f"modules/02-suite/01-ordre.md:7: warning: [activity-tool-locked] {expected}"
        ]


def test_a_question_may_send_back_to_a_step_of_a_module_its_module_requires(
    course_dir: Path,
) -> None:
    """m2 requires m1 (by default, the module before it): its quiz may say « Revoir l'étape »
    of m1, which its learner has open."""
    edit(
        course_dir,
        "quizzes/m2-quiz.yaml",
        "    objective: m2-o1\n",
        "    objective: m2-o1\n    step: m1-intro\n",
    )
    assert lines(course_dir) == []
