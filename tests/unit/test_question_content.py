"""Content checks that belong to question types and misconception labels, with PATH:LINE."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.course_copies import edit, lines

QUIZ = "quizzes/m1-quiz.yaml"


def line_of(root: Path, rel: str, text: str) -> int:
    return next(
        n for n, line in enumerate((root / rel).read_text().splitlines(), 1) if text in line
    )


def test_a_misconception_without_a_label_is_an_error(course_dir: Path) -> None:
    edit(course_dir, QUIZ, '  confusion-c: "Croire que C compte aussi"\n', "")
    line = line_of(course_dir, QUIZ, "misconception: confusion-c")
    assert lines(course_dir) == [
        f"{QUIZ}:{line}: misconception 'confusion-c' has no label"
        " (add it to the quiz's misconceptions:)"
    ]


def test_a_question_level_misconception_needs_a_label_too(course_dir: Path) -> None:
    edit(course_dir, QUIZ, '  ciel-vert: "Voir le ciel vert"\n', "")
    line = line_of(course_dir, QUIZ, "- id: q-vf")
    assert [p for p in lines(course_dir) if "ciel-vert" in p] == [
        f"{QUIZ}:{line}: misconception 'ciel-vert' has no label"
        " (add it to the quiz's misconceptions:)"
    ]


def test_an_empty_label_is_a_schema_error(course_dir: Path) -> None:
    edit(course_dir, QUIZ, '"Voir le ciel vert"', '""')
    assert any("misconceptions.ciel-vert" in p for p in lines(course_dir))


CLOZE = """\
  - id: q-trous
    type: cloze
    prompt: "Complétez."
    objective: m2-o1
    text: "{text}"
    feedback_wrong: "Relisez."
    explanation: "La catalyse réunit les acteurs."
    blanks:
      - {{id: nom, accept: ["catalyse"]}}
{blanks}"""
M2 = "quizzes/m2-quiz.yaml"


def add_cloze(root: Path, text: str, blanks: str = "") -> int:
    path = root / M2
    before = path.read_text()
    path.write_text(before + CLOZE.format(text=text, blanks=blanks))
    return len(before.splitlines()) + 1  # the question's first line


def test_a_well_formed_cloze_is_clean(course_dir: Path) -> None:
    add_cloze(
        course_dir,
        "La [[nom]] réunit des [[qui]].",
        "      - id: qui\n        choices:\n"
        '          - {id: x, text: "acteurs", correct: true}\n'
        '          - {id: y, text: "clients", misconception: ciel-vert}\n',
    )
    assert lines(course_dir) == [
        f"{M2}:{line_of(course_dir, M2, '- id: q-trous')}: misconception 'ciel-vert' has no"
        " label (add it to the quiz's misconceptions:)"
    ]


@pytest.mark.parametrize(
    ("text", "blanks", "message", "at"),
    [
        ("La [[nom]] et les [[qui]].", "", "blank [[qui]] in text is not defined in blanks", None),
        ("La catalyse.", "", "blank 'nom' is defined but not in text", None),
        ("La [[nom]], la [[nom]].", "", "blank [[nom]] appears 2 times in text", None),
        ("La [[nom]].", "      - {id: nom, accept: [x]}\n", "blank 'nom' is defined 2 times", None),
        ("La [[nom]] [[qui]].", "      - {id: qui}\n", "blank 'qui' needs either", "id: qui"),
        (
            "La [[nom]] [[qui]].",
            "      - id: qui\n        choices: [{id: a, text: A}, {id: b, text: B}]\n",
            "blank 'qui' needs exactly one correct choice",
            "- id: qui",
        ),
        (
            "La [[nom]] [[qui]].",
            '      - {id: qui, accept: ["…"]}\n',
            "blank 'qui': an accepted answer is empty once folded",
            "id: qui",
        ),
    ],
)
def test_cloze_errors_name_their_line(
    course_dir: Path, text: str, blanks: str, message: str, at: str | None
) -> None:
    question = add_cloze(course_dir, text, blanks)
    line = line_of(course_dir, M2, at) if at else question
    found = lines(course_dir)
    assert len(found) == 1, found
    assert found[0].startswith(f"{M2}:{line}: questions[2]")
    assert message in found[0]
