"""Syntax and schema errors said where the mistake is, in words an author can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.course_copies import edit, lines

QUIZ = "quizzes/m1-quiz.yaml"
STEP = "modules/01-bases/01-intro.md"


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        pytest.param(
            QUIZ,
            'title: "Quiz des bases"',
            "title: \"Quiz : l'eau",
            f'{QUIZ}:3: invalid YAML: a text opened with " on this line is not closed: end it '
            'with "',
            id="unclosed-quote-runs-to-the-next-quote",
        ),
        pytest.param(
            QUIZ,
            'explanation: "La catalyse."',
            'explanation: "La catalyse.',
            f'{QUIZ}:51: invalid YAML: a text opened with " on this line is not closed: end it '
            'with "',
            id="unclosed-quote-never-closed",
        ),
        pytest.param(
            QUIZ,
            "pass_mark: 0.7",
            "pass_mark 0.7",
            f"{QUIZ}:4: invalid YAML: a key needs ':' after it: write `pass_mark: 0.7`",
            id="missing-colon",
        ),
        pytest.param(
            QUIZ,
            "  - id: q-vf",
            "  - id q-vf",
            f"{QUIZ}:28: invalid YAML: a key needs ':' after it: write `- id: q-vf`",
            id="missing-colon-before-a-mapping",
        ),
        pytest.param(
            QUIZ,
            "misconception: confusion-c}",
            "misconception: confusion-c",
            f"{QUIZ}:26: invalid YAML: a '{{' opened on this line is not closed: end it with '}}'",
            id="unclosed-brace",
        ),
        pytest.param(
            QUIZ,
            'accept: ["Catalyse territoriale"]',
            'accept: ["Catalyse territoriale"',
            f"{QUIZ}:49: invalid YAML: a '[' opened on this line is not closed: end it with ']'",
            id="unclosed-bracket",
        ),
        pytest.param(
            QUIZ,
            'title: "Quiz des bases"',
            "title: Quiz : les bases",
            f"{QUIZ}:3: invalid YAML: ': ' inside a text starts a new key: put the whole text in "
            'quotes ("…")',
            id="colon-inside-a-text",
        ),
        pytest.param(
            QUIZ,
            'title: "Quiz des bases"',
            "title: 'L'eau'",
            f"{QUIZ}:3: invalid YAML: an apostrophe ends a text quoted with '…': quote it with "
            '"…" instead',
            id="apostrophe-in-single-quotes",
        ),
        pytest.param(
            STEP,
            'title: "Introduction"',
            'title: "Introduction',
            f'{STEP}:3: invalid YAML: a text opened with " on this line is not closed: end it '
            'with "',
            id="front-matter-unclosed-quote",
        ),
        pytest.param(
            STEP,
            "kind: reading",
            "kind reading",
            f"{STEP}:4: invalid YAML: a key needs ':' after it: write `kind: reading`",
            id="front-matter-missing-colon",
        ),
        pytest.param(
            STEP,
            'activities:\n  - {kind: video, minutes: 4, title: "La vidéo d\'accueil"}',
            'activities:\n  - {kind: video, minutes: 4, title: "La vidéo d\'accueil"',
            f"{STEP}:8: invalid YAML: a '{{' opened on this line is not closed: end it with '}}'",
            id="front-matter-unclosed-brace",
        ),
        pytest.param(
            QUIZ,
            "    type: true_false\n",
            "\ttype: true_false\n",
            f"{QUIZ}:29: invalid YAML: a tab character: indent with spaces only",
            id="tab-in-a-nested-line",
        ),
        pytest.param(
            QUIZ,
            '    prompt: "Le ciel est vert."\n',
            '   prompt: "Le ciel est vert."\n',
            f"{QUIZ}:30: invalid YAML: this line is not aligned with the lines above: indent it "
            "as the key or the '-' it goes with",
            id="key-indented-less",
        ),
    ],
)
def test_a_yaml_syntax_error_is_said_where_it_starts(
    course_dir: Path, rel: str, old: str, new: str, expected: str
) -> None:
    edit(course_dir, rel, old, new)
    assert expected in lines(course_dir)


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        pytest.param(
            QUIZ,
            "feedback: \"Non, c'est",
            "feedbak: \"Non, c'est",
            f"{QUIZ}:16: questions[0].choices[1]: unknown field 'feedbak' (did you mean "
            "'feedback'?)",
            id="misspelt-field",
        ),
        pytest.param(
            QUIZ,
            "pass_mark: 0.7",
            "pass_mrak: 0.7",
            f"{QUIZ}:4: unknown field 'pass_mrak' (did you mean 'pass_mark'?)",
            id="misspelt-top-level-field",
        ),
        pytest.param(
            "tools/outil-1.yaml",
            "label: nom}",
            "label: nom, couleur: bleu}",
            "tools/outil-1.yaml:68: results.chart: unknown field 'couleur' (known: description, "
            "field, label, title, type, x, y)",
            id="unknown-field-names-the-known-ones",
        ),
        pytest.param(
            QUIZ,
            '{id: a, text: "La bonne", correct: true',
            '{id: a, text: "La bonne", correct: oui',
            f"{QUIZ}:15: questions[0].choices[0].correct: write true or false (not 'oui')",
            id="boolean",
        ),
        pytest.param(
            QUIZ,
            "tolerance: 0.5",
            "tolerance: 2,5",
            f"{QUIZ}:41: questions[3].tolerance: write numbers with a dot: 2.5",
            id="decimal-comma",
        ),
        pytest.param(
            QUIZ,
            "id: q-vf",
            "id: Q_Vrai",
            f"{QUIZ}:28: questions[2].id: an id uses lower-case letters, digits and hyphens only "
            "(not 'Q_Vrai'): e.g. 'q-vrai'",
            id="id-pattern",
        ),
        pytest.param(
            QUIZ,
            'title: "Quiz des bases"',
            'title: ""',
            f"{QUIZ}:3: title: must not be empty",
            id="empty-text",
        ),
        pytest.param(
            QUIZ,
            '      - {id: b, text: "La mauvaise", feedback: "Non, c\'est la mauvaise.", '
            "misconception: confusion-b}\n",
            "",
            f"{QUIZ}:14: questions[0].choices: a question needs at least 2 choices",
            id="too-few-choices",
        ),
        pytest.param(
            "tools/outil-1.yaml",
            'chart: {type: map, title: "Carte des acteurs"',
            'chart: {type: radar, scores: [eco]}\n  _old: {type: map, title: "Carte des acteurs"',
            "tools/outil-1.yaml:68: results.chart.scores: a chart needs at least 2 scores",
            id="chart-with-one-score",
        ),
    ],
)
def test_a_schema_error_is_said_in_the_authors_words(
    course_dir: Path, rel: str, old: str, new: str, expected: str
) -> None:
    edit(course_dir, rel, old, new)
    found = lines(course_dir)
    assert expected in found, found


def test_a_fault_inside_one_choice_does_not_also_say_the_list_is_too_short(
    course_dir: Path,
) -> None:
    edit(course_dir, QUIZ, "feedback: \"Non, c'est", "feedbak: \"Non, c'est")
    assert [line for line in lines(course_dir) if "questions[0].choices" in line] == [
        f"{QUIZ}:16: questions[0].choices[1]: unknown field 'feedbak' (did you mean 'feedback'?)"
    ]
