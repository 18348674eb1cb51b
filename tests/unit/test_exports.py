"""CSV exports a French spreadsheet opens: BOM, `;`, every field quoted, every piece guarded."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from course.content import load_course
from course.domain.exports import BOM, AttemptLine, attempts_table, guard, to_csv
from course.domain.tool_export import markdown
from course.domain.tool_results import compute_results
from tests.conftest import FIXTURE_COURSE


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12", "'+33 6 12"),
        ("-rm", "'-rm"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("  =1", "  '=1"),  # spaces before the sign
        ("Ana;=1+1", "Ana;'=1+1"),  # a piece after ";" once a spreadsheet splits on it
        ("Ana,=1+1", "Ana,'=1+1"),
        ("a ; -2", "a ; '-2"),
        ("x\t@SUM(A1)", "x\t'@SUM(A1)"),  # tab, then a formula
        ("\t=1", "\t'=1"),
        ("ligne\n=1", "ligne\n'=1"),
        ("ligne\r\n+1", "ligne\r\n'+1"),
        ("a\x00b\x1bc\x7f", "abc"),  # control characters are dropped, tabs and lines kept
        ("\tcaché", "\tcaché"),
        ("lea@example.org", "lea@example.org"),  # @ inside a piece is not a formula
        ("Léa", "Léa"),
        ("", ""),
        (None, ""),
        (-67, -67),  # numbers stay numbers
        (0.5, 0.5),
    ],
)
def test_guard(cell: object, written: object) -> None:
    assert guard(cell) == written


def test_csv_opens_in_a_french_spreadsheet_and_reads_back() -> None:
    table = [["Nom", "Note"], ['Dupont; "Jo"', -2], ["ligne\nsuivante", 3.5], ["=HACK()", 1]]
    text = to_csv(table)
    assert text.startswith(BOM + '"Nom";"Note"\r\n')
    assert '"Dupont; ""Jo""";"-2"\r\n' in text
    assert list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";")) == [
        ["Nom", "Note"],
        ['Dupont; "Jo"', "-2"],
        ["ligne\nsuivante", "3.5"],
        ["'=HACK()", "1"],
    ]
    assert to_csv([["a", "b"]], ",") == BOM + '"a","b"\r\n'


def test_no_piece_of_any_field_starts_a_formula() -> None:
    nasty = ["=1", "a;=1", "a,+1", "b\t-1", " @x", "c\n=2", "ok;  =3"]
    text = to_csv([nasty])
    for separator in (";", ",", "\t", "\n", "\r"):
        for piece in text.removeprefix(BOM).replace('"', "").split(separator):
            assert not piece.strip().startswith(("=", "+", "-", "@")), piece


def test_attempt_lines_write_french_points_and_no_pass_for_a_pretest() -> None:
    course, problems = load_course(FIXTURE_COURSE)
    assert course is not None, problems
    when = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

    def line(quiz_id: str, points: float, passed: bool) -> AttemptLine:
        return AttemptLine(
            1, "Ana", "ana@example.org", quiz_id, 1, when, when, 0.52, points, 17.0, passed
        )

    header, quiz, pretest = attempts_table(
        course, [line("m1-quiz", 8.833333333333332, False), line("m1-positionnement", 2.0, True)]
    )
    assert header[-3:] == ["Points", "Points possibles", "Réussie"]
    assert quiz[-3:] == ["8,83", "17", "non"]
    assert pretest[-1] == "positionnement"


def test_a_textarea_keeps_its_lines_in_the_markdown_export_and_starts_no_block() -> None:
    course, _ = load_course(FIXTURE_COURSE)
    assert course is not None
    tool = course.tools["outil-1"]
    answers = {"nom": "Vallée", "notes": "Ligne 1\r\n\r\n# pas un titre\n1. pas une liste\n<b>"}
    text = markdown(tool, answers, compute_results(tool, answers))
    assert "**Notes** : Ligne 1  \n\\# pas un titre  \n1\\. pas une liste  \n&lt;b&gt;\n" in text
