"""The real course's tools give advice the course itself would give (issue 10)."""

from __future__ import annotations

from itertools import combinations

import pytest

from course.content import load_course_or_raise
from course.content.model import Course
from course.content.tool_model import Option
from course.domain.tool_results import compute_results
from tests.conftest import REPO_ROOT

CRITERIA = [
    "impacts",
    "capitalisation",
    "adaptable",
    "financement",
    "gouvernance",
    "partenaires",
    "homologue",
    "catalyseur",
    "soutien",
]


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course_or_raise(REPO_ROOT)


def path_for(course: Course, **scores: int) -> str:
    """Return the essaimage path the readiness grid proposes for these 0-3 scores."""
    answers = dict.fromkeys(CRITERIA, 3) | scores
    band = compute_results(course.tools["preparation-essaimage"], answers).levels[0].band
    assert band is not None
    return band.label


@pytest.mark.parametrize(
    ("scores", "path"),
    [
        ({"impacts": 0}, "s\u2019inspirer"),
        ({"impacts": 1}, "traduire"),
        ({"capitalisation": 0}, "traduire"),
        ({"gouvernance": 0}, "traduire"),
        ({}, "changer d\u2019échelle"),
    ],
)
def test_no_duplication_or_scaling_without_proven_impacts(
    course: Course, scores: dict[str, int], path: str
) -> None:
    assert path_for(course, **scores) == path


# The session 4 case (09-cas-vere.md): a proven, documented method, partners ready in the Vère,
# a catalyst on site, but no solidarity garage (the central actor) there.
VERE = {
    "impacts": 2,
    "capitalisation": 3,
    "adaptable": 2,
    "financement": 2,
    "gouvernance": 2,
    "partenaires": 2,
    "homologue": 0,
    "catalyseur": 3,
    "soutien": 2,
}


def test_the_vere_case_gets_the_path_the_case_concludes(course: Course) -> None:
    assert path_for(course, **VERE) == "traduire"


def test_the_same_situation_with_a_comparable_central_actor_may_duplicate(course: Course) -> None:
    assert path_for(course, **(VERE | {"homologue": 3})) == "dupliquer"


@pytest.mark.parametrize("criterion", ["homologue", "partenaires"])
@pytest.mark.parametrize("score", [0, 1])
def test_no_duplication_without_partners_or_a_comparable_actor_on_site(
    course: Course, criterion: str, score: int
) -> None:
    assert path_for(course, **{criterion: score}) == "traduire"


def partners(*rows: tuple[str, float, float, float]) -> dict:
    keys = ("partenaire", "heures", "argent", "nature")
    return {"partenaires": [dict(zip(keys, row, strict=True)) for row in rows]}


def test_two_partners_close_to_even_raise_no_dominance(course: Course) -> None:
    answers = partners(("A", 550, 5500, 1000), ("B", 450, 4500, 900))
    flags = compute_results(course.tools["equilibre-contributions"], answers).flags
    assert not [f for f in flags if "%" in f]


def test_a_partner_far_above_its_share_is_named(course: Course) -> None:
    answers = partners(("A", 900, 0, 0), ("B", 100, 5000, 0))
    flags = compute_results(course.tools["equilibre-contributions"], answers).flags
    assert any(f.startswith("A apporte 90") for f in flags)
    assert any(f.startswith("B verse 100") for f in flags)


def test_hours_and_euros_are_never_added_together(course: Course) -> None:
    tool = course.tools["equilibre-contributions"]
    groups = [set(f.columns) for f in tool.results.flags if f.type == "dominant_row"]
    assert groups
    assert all(g <= {"heures"} or g <= {"argent", "nature"} for g in groups)


def test_the_evaluation_plan_asks_for_no_date_decades_away(course: Course) -> None:
    table = course.tools["plan-evaluation"].field("indicateurs")
    assert table is not None
    labels = [o.label for c in table.columns for o in c.options]
    assert not [label for label in labels if "28" in label or "7 ans" in label]


def actor_flags(course: Course, *rows: tuple[str, str]) -> tuple[str, ...]:
    """Return the actor map's flags for actors given as (profile, link)."""
    actors = [{"nom": f"Acteur {n}", "profil": p, "lien": lien} for n, (p, lien) in enumerate(rows)]
    return compute_results(course.tools["carte-acteurs"], {"acteurs": actors}).flags


def profiles(course: Course) -> tuple[Option, ...]:
    """Return the actor map's profile options."""
    actors = course.tools["carte-acteurs"].field("acteurs")
    assert actors is not None
    return next(c for c in actors.columns if c.id == "profil").options


def test_the_actor_map_offers_the_states_services_and_funders(course: Course) -> None:
    assert {"etat", "financeur"} <= {o.id for o in profiles(course)}


def test_a_map_with_every_profile_lacks_no_world(course: Course) -> None:
    links = ["aucun", "connu", "partenaire"]
    flags = actor_flags(course, *((o.id, links[n % 3]) for n, o in enumerate(profiles(course))))
    assert flags == ()


def test_missing_links_read_as_french(course: Course) -> None:
    flags = " ".join(actor_flags(course, ("collectivite", "partenaire"), ("entreprise", "connu")))
    assert "Autre" not in flags
    assert "lien : Aucun" not in flags.replace("\u00a0", " ")
    assert "« À rencontrer »" in flags.replace("\u00a0", " ")


ALLIANCE = {"q-enjeu": 1, "q-cote": 1, "q-mondes": 1, "q-ouverte": 1, "q-ensemble": 1}
PARTNERSHIP = dict.fromkeys(ALLIANCE, 0)
FORMS = ["dialogue", "partenariats", "experimentation"]


@pytest.mark.parametrize("answers", [ALLIANCE, PARTNERSHIP])
def test_the_forms_of_co_construction_are_not_levels(
    course: Course, answers: dict[str, int]
) -> None:
    tool = course.tools["partenariat-ou-alliance"]
    bands = {
        compute_results(tool, answers | {"formes-presentes": list(forms)}).levels[0].band
        for size in range(4)
        for forms in combinations(FORMS, size)
    }
    assert len(bands) == 1


def test_a_partnership_stays_a_partnership_whatever_its_form(course: Course) -> None:
    tool = course.tools["partenariat-ou-alliance"]
    answers = PARTNERSHIP | {"formes-presentes": ["experimentation"], "besoin": "experimentation"}
    band = compute_results(tool, answers).levels[0].band
    assert band is not None
    assert band.label == "un partenariat"
