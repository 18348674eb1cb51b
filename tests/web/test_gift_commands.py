"""The quiz commands: a GIFT bank imported into a course passes its check; a quiz exported."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Flask

from course.content import load_course
from course.content.errors import Severity
from tests.conftest import FIXTURE_COURSE, make_app

BANK = """// Une petite banque
::Qui pilote ?::Qui anime une alliance ?{=Un catalyseur #Oui. ~La préfecture seule #Non.}

::Vrai::L'ODD 17 porte sur les partenariats.{T}

::Essai::Racontez.{}
"""


def test_an_imported_bank_passes_the_check_with_warnings_only(
    database_url: str, tmp_path: Path
) -> None:
    course_dir = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, course_dir)
    source = tmp_path / "banque.gift"
    source.write_text(BANK, encoding="utf-8")
    app = make_app(database_url, course_dir=course_dir)
    try:
        runner = app.test_cli_runner()
        args = ["quiz", "import-gift", str(source), "--id", "m2-banque", "--module", "m2"]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        assert "2 question(s) written" in result.output
        assert f"{source}:6: skipped: an essay" in result.output
        assert "quizzes/m2-banque.yaml" in result.output
        assert "assesses no objective" in result.output  # the check's warning, shown at once
        again = runner.invoke(args=args)
        assert again.exit_code == 1
        assert "--force" in again.output
    finally:
        app.extensions["database"].dispose()
    course, problems = load_course(course_dir)
    assert course is not None
    mine = [p for p in problems if p.path == "quizzes/m2-banque.yaml"]
    assert mine
    assert all(p.severity is Severity.WARNING for p in mine), mine
    quiz = course.quizzes["m2-banque"]
    assert [q.id for q in quiz.questions] == ["qui-pilote", "vrai"]


def test_export_writes_gift_and_names_what_it_leaves_out(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["quiz", "export-gift", "m2-quiz"])
    assert result.exit_code == 0, result.output
    assert "$CATEGORY: m2-quiz" in result.output
    assert "GIFT has no ordering question" in result.output
    assert runner.invoke(args=["quiz", "export-gift", "nope"]).exit_code == 1
