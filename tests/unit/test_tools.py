"""Tool rules: reading the form, computing results, exporting."""

from __future__ import annotations

import pytest

from course.content import load_course_or_raise
from course.content.tool_model import Tool
from course.domain.tool_answers import answers_as_form, parse_tool_form, unknown_fields_message
from course.domain.tool_export import csv_rows, markdown
from course.domain.tool_results import compute_results, scale_marks, scale_words
from tests.conftest import FIXTURE_COURSE


@pytest.fixture(scope="module")
def tool() -> Tool:
    return load_course_or_raise(FIXTURE_COURSE).tools["outil-1"]


def row(n: int, nom: str, profil: str = "", lien: str = "", temps: str = "") -> dict:
    cells = {"nom": nom, "profil": profil, "lien": lien, "temps": temps}
    return {f"r-acteurs-{n}-{k}": [v] for k, v in cells.items()}


def test_reads_every_field_type(tool: Tool) -> None:
    form = {
        "f-nom": [" Coteaux "],
        "f-eco": ["2"],
        "f-forme": ["alliance"],
        "f-etapes": ["gouvernance", "diagnostic"],
        **row(0, "Mairie", "collectivite", "partenaire", "3"),
        **row(1, "", "", "", ""),
        **row(2, "Garage", "association"),
    }
    parsed = parse_tool_form(tool, form)
    assert parsed.errors == {}
    assert parsed.answers == {
        "nom": "Coteaux",
        "eco": 2,
        "forme": "alliance",
        "etapes": ["diagnostic", "gouvernance"],
        "acteurs": [
            {"nom": "Mairie", "profil": "collectivite", "lien": "partenaire", "temps": 3},
            {"nom": "Garage", "profil": "association"},
        ],
    }


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"f-nom": [""]}, "nom", "obligatoire"),
        ({"f-nom": ["x" * 61]}, "nom", "60 caractères au plus"),
        ({"f-nom": ["a"], "f-eco": ["3"]}, "eco", "Choisissez une valeur de l'échelle"),
        ({"f-nom": ["a"], "f-eco": ["-1"]}, "eco", "Choisissez une valeur de l'échelle"),
        ({"f-nom": ["a"], "f-forme": ["fusion"]}, "forme", "options proposées"),
        ({"f-nom": ["a"], "f-etapes": ["nope"]}, "etapes", "ne fait pas partie"),
        ({"f-nom": ["a"], "f-inconnu": ["x"]}, "formulaire", "Champ inconnu : « f-inconnu »."),
        ({"f-nom": ["a"], "r-acteurs-0-age": ["x"]}, "formulaire", "« r-acteurs-0-age »"),
        (
            {"f-nom": ["a"], **row(0, "", "entreprise")},
            "acteurs",
            "Ligne 1 : « Nom » est obligatoire",
        ),
        ({"f-nom": ["a"], **row(0, "A", "banque")}, "acteurs", "Ligne 1, « Profil »"),
    ],
)
def test_bad_values_are_named(tool: Tool, form: dict, field: str, message: str) -> None:
    parsed = parse_tool_form(tool, form)
    assert message in parsed.errors[field]


def test_unknown_fields_are_named_once_a_few_at_a_time() -> None:
    keys = [f"f-{n}" for n in range(5)] + ["f-" + "x" * 100]
    message = unknown_fields_message(keys)
    assert message == "Champ inconnu : « f-0 », « f-1 », « f-2 » et 3 autres."
    assert unknown_fields_message(["f-" + "x" * 100]) == f"Champ inconnu : « f-{'x' * 38} »."


def test_too_many_rows(tool: Tool) -> None:
    form = {"f-nom": ["a"]}
    for n in range(9):
        form.update(row(n, f"Acteur {n}"))
    parsed = parse_tool_form(tool, form)
    assert parsed.errors["acteurs"] == "Trop de lignes : 8 au plus."
    assert parsed.answers["nom"] == "a", "what was valid is kept"


def test_saved_answers_become_form_values_again(tool: Tool) -> None:
    answers = {
        "nom": "C",
        "eco": 1,
        "etapes": ["diagnostic"],
        "acteurs": [{"nom": "M", "temps": 2}],
    }
    assert parse_tool_form(tool, answers_as_form(tool, answers)).answers == answers


def test_results(tool: Tool) -> None:
    answers = {
        "eco": 0,
        "social": 2,
        "forme": "partenariat",
        "etapes": ["diagnostic"],
        "acteurs": [
            {"nom": "Mairie", "profil": "collectivite", "temps": 3},
            {"nom": "Garage", "profil": "association", "temps": 1},
        ],
    }
    results = compute_results(tool, answers)
    assert [(s.id, s.value) for s in results.scores] == [
        ("eco", 0.0),
        ("social", 1.0),
        ("global", 0.5),
    ]
    assert results.levels[0].band.label == "Solide"
    assert results.done == pytest.approx(1 / 3)
    assert results.next_actions == ("Cadrer la gouvernance", "Indicateurs fixés")
    assert results.counts[0].counts == (
        ("Collectivité", 1),
        ("Entreprise", 0),
        ("Association", 1),
        ("Académique", 0),
    )
    assert results.flags == (
        "Fragilité prioritaire : Économie (0\u00a0%)",
        "Profils absents : Entreprise, Académique",
        "Mairie porte 75\u00a0% du temps",
        "La gouvernance n'est pas cadrée",
        "C'est encore un partenariat",
    )


def test_empty_work_raises_only_unconditional_flags(tool: Tool) -> None:
    results = compute_results(tool, {})
    assert all(s.value is None for s in results.scores)
    assert results.levels[0].band is None
    assert results.flags == ("La gouvernance n'est pas cadrée",)


def test_csv_export_is_the_table(tool: Tool) -> None:
    answers = {"acteurs": [{"nom": "Mairie", "profil": "collectivite", "temps": 3}]}
    assert csv_rows(tool, answers) == [
        ["Nom", "Profil", "Lien", "Temps", "Heures par an"],
        ["Mairie", "Collectivité", "", "3", ""],
    ]


def test_markdown_export_holds_answers_and_results(tool: Tool) -> None:
    answers = {"nom": "Coteaux", "eco": 0, "social": 1, "acteurs": [{"nom": "A|B"}]}
    text = markdown(tool, answers, compute_results(tool, answers))
    assert "# Outil d'essai" in text
    assert "**Nom du territoire** : Coteaux" in text
    assert "| A\\|B |  |  |  |" in text
    assert "- Économie : Fragile, niveau 1 sur 3" in text  # a level on its scale, not « 0 % »


CARRE = ("1 · Très fragile", "2 · Fragile", "3 · Moyen", "4 · Solide", "5 · Très solide")
CANEVAS = ("Vide", "Esquissée", "Précise", "Validée avec les partenaires")


@pytest.mark.parametrize(
    ("points", "value", "answered", "shown"),
    [
        (CARRE, 0.25, 1, "2 sur 5 · Fragile"),  # not « 25 % »
        (CARRE, 0.375, 2, "2,5 sur 5"),  # an average on the same scale
        (("0 · Pas du tout", "1 · Un peu", "2 · En bonne partie", "3 · Pleinement"), 2 / 3, 1,
         "2 sur 3 · En bonne partie"),
        (CANEVAS, 2 / 3, 1, "Précise, niveau 3 sur 4"),
        (("Non", "Oui"), 1.0, 1, "Oui"),
        (("Non", "Oui"), 0.5, 2, None),  # an average of unnumbered points: a percent fits
        (CARRE, None, 0, None),
    ],
)  # fmt: skip
def test_a_score_is_said_on_its_scale(
    points: tuple[str, ...], value: float | None, answered: int, shown: str | None
) -> None:
    assert scale_words(points, value, answered) == shown


def test_scale_marks_are_the_points_numbers_or_ranks() -> None:
    assert scale_marks(CARRE) == ("1", "2", "3", "4", "5")
    assert scale_marks(CANEVAS) == ("1", "2", "3", "4")


def test_a_score_says_nothing_from_part_of_its_ratings(tool: Tool) -> None:
    """« Ensemble » averages two scales: with one rated, no value, no level, no verdict."""
    partial = compute_results(tool, {"eco": 0})
    whole = partial.score("global")
    assert whole is not None
    assert whole.value is None
    assert whole.shown == "à compléter : 1 sur 2 notes données"
    assert [level.band for level in partial.levels] == [None]
    eco = partial.score("eco")
    assert eco is not None
    assert eco.value == 0.0  # a score of one scale, rated
    both = compute_results(tool, {"eco": 0, "social": 2}).score("global")
    assert both is not None
    assert both.value == 0.5
    assert compute_results(tool, {"eco": 0, "social": 2}).levels[0].band is not None
