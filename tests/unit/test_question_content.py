"""Content checks that belong to question types and misconception labels, with PATH:LINE."""

from __future__ import annotations

from pathlib import Path

from .test_content_checks import course_dir, edit, lines

__all__ = ["course_dir"]  # the fixture, shared with test_content_checks

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
