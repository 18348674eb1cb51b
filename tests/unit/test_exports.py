"""CSV exports: RFC 4180, text cells guarded against formulas, numbers left as numbers."""

from __future__ import annotations

import csv
import io

import pytest

from course.domain.exports import guard, to_csv


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12", "'+33 6 12"),
        ("-rm", "'-rm"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcaché", "'\tcaché"),
        ("\rretour", "'\rretour"),
        ("Léa", "Léa"),
        ("", ""),
        (None, ""),
        (-67, -67),
        (0.5, 0.5),
    ],
)
def test_guard(cell: object, written: object) -> None:
    assert guard(cell) == written


def test_csv_is_rfc_4180_and_reads_back() -> None:
    table = [["Nom", "Note"], ['Dupont, "Jo"', -2], ["ligne\nsuivante", 3.5], ["=HACK()", 1]]
    text = to_csv(table)
    assert text.startswith("Nom,Note\r\n")
    assert '"Dupont, ""Jo""",-2\r\n' in text
    assert list(csv.reader(io.StringIO(text))) == [
        ["Nom", "Note"],
        ['Dupont, "Jo"', "-2"],
        ["ligne\nsuivante", "3.5"],
        ["'=HACK()", "1"],
    ]
