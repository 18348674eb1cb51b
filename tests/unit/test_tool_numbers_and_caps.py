"""Tool rules added for the second edition: number columns, fair dominance, capped levels."""

from __future__ import annotations

from typing import Any

import pytest

from course.content.tool_checks import column_problems, results_problems
from course.content.tool_model import Tool
from course.domain.tool_answers import parse_tool_form, read_number
from course.domain.tool_export import csv_rows
from course.domain.tool_results import compute_results


def make_tool(results: dict[str, Any]) -> Tool:
    """Return a tool with a partners table (hours as numbers) and two 0-3 scales."""
    return Tool.model_validate(
        {
            "id": "t",
            "title": "T",
            "module": "m",
            "sections": [
                {
                    "id": "s",
                    "title": "S",
                    "fields": [
                        {"id": "preuve", "type": "scale", "label": "P", "points": list("0123")},
                        {"id": "reste", "type": "scale", "label": "R", "points": list("0123")},
                        {
                            "id": "partenaires",
                            "type": "rows",
                            "label": "Partenaires",
                            "columns": [
                                {"id": "nom", "label": "Nom", "type": "text"},
                                {"id": "heures", "label": "Heures", "type": "number"},
                            ],
                        },
                    ],
                }
            ],
            "results": results,
        }
    )


def partners(*hours: float) -> dict[str, Any]:
    return {"partenaires": [{"nom": f"P{n}", "heures": h} for n, h in enumerate(hours, 1)]}


@pytest.mark.parametrize(
    ("text", "value"),
    [("1200", 1200), ("1 200", 1200), ("1\u202f200", 1200), ("12,5", 12.5), ("12.5", 12.5)],
)
def test_numbers_are_read_the_french_or_english_way(text: str, value: float) -> None:
    assert read_number(text, 0, 10_000) == value


@pytest.mark.parametrize("text", ["douze", "1,2,3", "12 h", "-5", "20000"])
def test_bad_or_out_of_range_numbers_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match="nombre"):
        read_number(text, 0, 10_000)


def test_a_number_column_is_read_from_the_form_and_exported_in_french() -> None:
    tool = make_tool({})
    form = {"r-partenaires-0-nom": ["Mairie"], "r-partenaires-0-heures": ["1 200,5"]}
    parsed = parse_tool_form(tool, form)
    assert parsed.answers == {"partenaires": [{"nom": "Mairie", "heures": 1200.5}]}
    assert csv_rows(tool, parsed.answers)[1] == ["Mairie", "1\u202f200,5"]
    bad = parse_tool_form(tool, {"r-partenaires-0-nom": ["X"], "r-partenaires-0-heures": ["?"]})
    assert "Ligne 1, « Heures »" in bad.errors["partenaires"]


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        ("2.500", ("2\u202f500", "2,5")),
        ("12.250", ("12\u202f250", "12,25")),
    ],
)
def test_a_dot_that_may_group_thousands_is_refused_naming_both_readings(
    text: str, readings: tuple[str, str]
) -> None:
    with pytest.raises(ValueError, match="peut se lire") as refused:
        read_number(text, 0, 10_000_000)
    assert f"« {text} » peut se lire {readings[0]} ou {readings[1]}" in str(refused.value)


def test_dots_that_can_only_group_thousands_ask_for_spaces_and_a_leading_zero_is_a_decimal() -> (
    None
):
    with pytest.raises(ValueError, match="les milliers séparés par des espaces") as refused:
        read_number("1.234.567", 0, 10_000_000)
    assert "écrivez 1\u202f234\u202f567" in str(refused.value)
    assert read_number("0.500", 0, 10) == 0.5


def test_every_wrong_cell_of_a_table_is_told_at_once() -> None:
    tool = make_tool({})
    form = {
        "r-partenaires-0-nom": ["A"],
        "r-partenaires-0-heures": ["-5"],
        "r-partenaires-1-nom": ["B"],
        "r-partenaires-1-heures": ["12"],
        "r-partenaires-2-heures": ["abc"],
    }
    told = parse_tool_form(tool, form).errors["partenaires"]
    assert "Ligne 1, « Heures » : Indiquez un nombre entre" in told
    assert "Ligne 2" not in told
    assert "Ligne 3, « Heures » : Indiquez un nombre, par exemple" in told


DOMINANT = {
    "type": "dominant_row",
    "field": "partenaires",
    "columns": ["heures"],
    "label_column": "nom",
    "threshold": 0.5,
    "message": "{label} porte {percent} des heures",
}


@pytest.mark.parametrize(
    ("hours", "flags"),
    [
        ((60, 40), ()),  # two partners: 60 % is no domination
        ((80, 20), ("P1 porte 80\u00a0% des heures",)),  # above 1.5 times the equal share of 50 %
        ((55, 25, 20), ("P1 porte 55\u00a0% des heures",)),  # three or more: the 50 % floor
        ((45, 30, 25), ()),
    ],
)
def test_dominance_is_judged_against_the_equal_share(hours: tuple, flags: tuple) -> None:
    tool = make_tool({"flags": [{**DOMINANT, "equal_share_factor": 1.5}]})
    assert compute_results(tool, partners(*hours)).flags == flags


def test_without_a_factor_the_plain_threshold_still_applies() -> None:
    tool = make_tool({"flags": [DOMINANT]})
    assert compute_results(tool, partners(60, 40)).flags == ("P1 porte 60\u00a0% des heures",)


CAPPED = {
    "scores": [
        {"id": "preuve", "label": "Preuve", "fields": ["preuve"]},
        {"id": "global", "label": "Global", "fields": ["preuve", "reste"]},
    ],
    "levels": [
        {
            "score": "global",
            "label": "Voie",
            "bands": [
                {"below": 0.34, "label": "inspirer"},
                {"below": 0.6, "label": "traduire"},
                {"label": "changer d'échelle"},
            ],
            "caps": [{"score": "preuve", "below": 0.5, "band": 0}],
        }
    ],
}


@pytest.mark.parametrize(
    ("preuve", "reste", "band"),
    [(0, 3, "inspirer"), (1, 3, "inspirer"), (2, 3, "changer d'échelle"), (3, 0, "traduire")],
)
def test_a_cap_keeps_the_level_down_while_its_score_is_low(preuve: int, reste: int, band: str):
    results = compute_results(make_tool(CAPPED), {"preuve": preuve, "reste": reste})
    assert results.levels[0].band is not None
    assert results.levels[0].band.label == band


def test_caps_and_number_columns_are_checked() -> None:
    bad_cap = {**CAPPED["levels"][0], "caps": [{"score": "x", "below": 0.5, "band": 5}]}
    tool = make_tool({**CAPPED, "levels": [bad_cap]})
    messages = [m for _, m in results_problems(tool)]
    assert "cap: unknown score 'x'" in messages
    assert "cap: no band 5 (bands count from 0)" in messages
    table = make_tool({}).fields[2]
    upside_down = table.columns[1].model_copy(update={"minimum": 10, "maximum": 1})
    assert column_problems(table, upside_down) == [
        "number column 'heures' of 'partenaires' needs a minimum below its maximum"
    ]
