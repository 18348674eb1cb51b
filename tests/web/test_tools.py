"""Practical tools on the web: locked until the quiz is passed, saved in versions, exported."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from course.services.models import ToolEntry, User

from .test_journey import RIGHT, start_attempt

ACTORS = [
    ("Mairie de Saint-Aubin", "collectivite", "partenaire"),
    ("Communauté de communes", "collectivite", "connu"),
    ("TransLisière", "entreprise", "partenaire"),
    ("Coopérative agricole", "entreprise", "aucun"),
    ("Roue Libre", "association", "partenaire"),
    ("Mission locale", "association", "connu"),
]


@pytest.fixture
def unlocked(client: FlaskClient, learner: User, login: Callable[..., FlaskClient]) -> FlaskClient:
    login(learner)
    client.post(start_attempt(client, "m1-quiz"), data=RIGHT)
    return client


def actors_form() -> dict[str, str]:
    form = {"f-nom": "Coteaux de Lisière"}
    for n, (nom, profil, lien) in enumerate(ACTORS):
        form |= {f"r-acteurs-{n}-nom": nom, f"r-acteurs-{n}-profil": profil}
        form |= {f"r-acteurs-{n}-lien": lien, f"r-acteurs-{n}-temps": str(n % 4)}
    return form


@pytest.mark.parametrize(
    "url",
    [
        "/tools/outil-1",
        "/tools/outil-1/export.csv",
        "/tools/outil-1/export.md",
        "/tools/outil-1/print",
    ],
)
def test_a_learner_who_did_not_pass_gets_403_with_the_reason(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient], url: str
) -> None:
    login(learner)
    response = client.get(url)
    assert response.status_code == 403
    assert "Réussir le quiz « Quiz des bases »" in response.text
    assert client.post("/tools/outil-1", data=actors_form()).status_code == 403


def test_unknown_tool_is_404(unlocked: FlaskClient) -> None:
    assert unlocked.get("/tools/nope").status_code == 404
    assert unlocked.get("/tools/outil-1/export.xls").status_code == 404


def test_fill_the_map_leave_come_back_and_export(unlocked: FlaskClient) -> None:
    empty = unlocked.get("/tools/outil-1").text
    assert (
        "vos résultats s&#39;afficheront ici" in empty or "vos résultats s'afficheront ici" in empty
    )

    saved = unlocked.post("/tools/outil-1", data=actors_form())
    assert saved.status_code == 302
    page = unlocked.get("/tools/outil-1").text
    assert "Version 1" in page
    # The map is a table named by its caption, each actor whole in its cell.
    assert '<table class="map chart stack" aria-describedby="chart-' in page
    assert re.search(r'<caption id="chart-\w+-t">Carte des acteurs</caption>', page)
    assert "<li>Communauté de communes</li>" in page
    assert "Profils absents : Académique" in page
    for nom, _, _ in ACTORS:
        assert f'value="{nom}"' in page

    exported = unlocked.get("/tools/outil-1/export.csv")
    assert exported.headers["Content-Disposition"] == 'attachment; filename="outil-1.csv"'
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True)[1:]), delimiter=";"))
    assert rows[0] == ["Nom", "Profil", "Lien", "Temps", "Heures par an"]
    assert [r[0] for r in rows[1:]] == [nom for nom, _, _ in ACTORS]
    assert len(rows) == 7


def test_each_save_is_a_version_and_earlier_ones_stay(unlocked: FlaskClient, db: Session) -> None:
    unlocked.post("/tools/outil-1", data={"f-nom": "Premier"})
    unlocked.post("/tools/outil-1", data={"f-nom": "Premier"})  # unchanged: no new version
    unlocked.post("/tools/outil-1", data={"f-nom": "Second"})
    assert db.scalar(select(func.count()).select_from(ToolEntry)) == 2
    assert 'value="Second"' in unlocked.get("/tools/outil-1").text
    old = unlocked.get("/tools/outil-1?version=1").text
    assert 'value="Premier"' in old
    assert "Versions enregistrées" in old
    assert unlocked.get("/tools/outil-1?version=9").status_code == 404


def test_bad_input_shows_the_form_with_everything_typed(unlocked: FlaskClient, db: Session) -> None:
    form = actors_form() | {"f-eco": "7", "f-notes": "x" * 5001}
    response = unlocked.post("/tools/outil-1", data=form)
    assert response.status_code == 400
    assert "Choisissez une valeur de l&#39;échelle" in response.text
    assert "5000 caractères au plus" in response.text
    assert 'value="Roue Libre"' in response.text
    assert db.scalar(select(func.count()).select_from(ToolEntry)) == 0


def test_too_many_rows_and_unknown_fields(unlocked: FlaskClient) -> None:
    form = {"f-nom": "C", "f-pirate": "x"} | {f"r-acteurs-{n}-nom": f"A{n}" for n in range(9)}
    response = unlocked.post("/tools/outil-1", data=form)
    assert response.status_code == 400
    assert "Trop de lignes : 8 au plus." in response.text
    assert "Champ inconnu" in response.text


def test_a_forged_row_number_does_not_blow_up_the_page(unlocked: FlaskClient) -> None:
    response = unlocked.post("/tools/outil-1", data={"r-acteurs-99999999-nom": "X"})
    assert response.status_code == 400
    assert response.text.count("<tr><td>") == 4  # the posted row, renumbered, and 3 blanks
    assert 'name="r-acteurs-0-nom" value="X"' in response.text


def test_exports_guard_against_formulas(unlocked: FlaskClient) -> None:
    unlocked.post("/tools/outil-1", data={"f-nom": "C", "r-acteurs-0-nom": "=HYPERLINK(1)"})
    text = unlocked.get("/tools/outil-1/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in text
    md = unlocked.get("/tools/outil-1/export.md").get_data(as_text=True)
    assert md.startswith("# Outil d'essai")


def test_another_learner_does_not_see_my_work(
    unlocked: FlaskClient, app, make_user, login: Callable[..., FlaskClient]
) -> None:
    unlocked.post("/tools/outil-1", data={"f-nom": "Secret"})
    other = app.test_client()
    login(make_user("other@example.org"), on=other)
    other.post(start_attempt(other, "m1-quiz"), data=RIGHT)
    assert "Secret" not in other.get("/tools/outil-1").text
    assert other.get("/tools/outil-1?version=1").status_code == 404


def test_home_links_the_unlocked_tool(unlocked: FlaskClient) -> None:
    assert 'href="/tools/outil-1"' in unlocked.get("/").text
    assert 'href="/tools/outil-1"' in unlocked.get("/modules/m1").text


@pytest.mark.parametrize(
    "form",
    [
        {"f-nom": "C", f"r-acteurs-{'9' * 5000}-nom": "X"},
        {"f-nom": "C", "f-eco": "9" * 5000},
        {"f-nom": "C", "f-eco": "²"},
    ],
)
def test_absurd_numbers_in_a_tool_form_are_refused_with_a_message(
    unlocked: FlaskClient, form: dict[str, str]
) -> None:
    response = unlocked.post("/tools/outil-1", data=form)
    assert response.status_code == 400
    assert "Champ inconnu" in response.text or "Choisissez une valeur" in response.text


@pytest.mark.parametrize("version", ["0", "-1", "x", "2147483648", "9" * 5000])
def test_a_version_that_cannot_exist_is_404(unlocked: FlaskClient, version: str) -> None:
    unlocked.post("/tools/outil-1", data={"f-nom": "C"})
    assert unlocked.get(f"/tools/outil-1?version={version}").status_code == 404
    assert unlocked.get("/tools/outil-1?version=1").status_code == 200


def test_a_number_is_read_the_french_way_and_a_wrong_one_explained(unlocked: FlaskClient) -> None:
    bad = unlocked.post("/tools/outil-1", data=actors_form() | {"r-acteurs-0-heures": "beaucoup"})
    assert bad.status_code == 400
    assert "Indiquez un nombre" in bad.text
    assert 'value="beaucoup"' in bad.text
    saved = unlocked.post("/tools/outil-1", data=actors_form() | {"r-acteurs-0-heures": "1 200,5"})
    assert saved.status_code == 302
    page = unlocked.get("/tools/outil-1").text
    assert 'name="r-acteurs-0-heures" value="1\u202f200,5"' in page  # as the learner wrote it


def test_saved_work_saved_again_unchanged_is_kept(unlocked: FlaskClient) -> None:
    """The form shows saved numbers the French way, so sending it back as it is saves the same
    work: « 1.234 » shown for 1,234 was refused as ambiguous at the next save."""
    unlocked.post("/tools/outil-1", data=actors_form() | {"r-acteurs-0-heures": "1,234"})
    page = unlocked.get("/tools/outil-1").text
    shown = dict(re.findall(r'name="(r-acteurs-\d+-heures)" value="([^"]*)"', page))
    assert shown["r-acteurs-0-heures"] == "1,234"
    again = unlocked.post("/tools/outil-1", data=actors_form() | shown)
    assert again.status_code == 302


def test_a_flood_of_unknown_fields_is_reported_once_in_a_small_page(
    unlocked: FlaskClient,
) -> None:
    form = {"f-nom": "C"} | {f"f-x{n}": "y" for n in range(100)}  # within the tool's bound
    response = unlocked.post("/tools/outil-1", data=form)
    assert response.status_code == 400
    assert response.text.count("Champ inconnu") == 1
    assert "et 97 autres" in response.text
    assert len(response.data) < 60_000


def test_more_form_parts_than_any_form_has_is_refused(unlocked: FlaskClient) -> None:
    form = {"f-nom": "C"} | {f"f-x{n}": "y" for n in range(1200)}
    assert unlocked.post("/tools/outil-1", data=form).status_code == 413


def test_the_markdown_export_writes_typed_text_literally_with_one_charset(
    unlocked: FlaskClient,
) -> None:
    typed = "<script>alert(1)</script> **gras** [lien](javascript:alert(1)) a|b"
    unlocked.post("/tools/outil-1", data={"f-nom": "C", "f-notes": typed})
    response = unlocked.get("/tools/outil-1/export.md")
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert "<script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\*\\*gras\\*\\* \\[lien\\]" in response.text
    assert unlocked.get("/tools/outil-1/export.csv").headers["Content-Type"].count("charset") == 1


def test_the_fields_and_cells_at_fault_are_marked_and_a_row_keeps_its_number(
    unlocked: FlaskClient,
) -> None:
    """A blank first row keeps its place: the wrong cell is « Ligne 2 », as the table shows it,
    and only the cells and fields at fault are marked invalid, pointing at their message."""
    form = {"f-nom": "", "r-acteurs-1-nom": "Mairie", "r-acteurs-1-heures": "beaucoup"}
    form |= {"r-acteurs-0-nom": "", "r-acteurs-2-profil": "association"}  # row 3: no name
    page = unlocked.post("/tools/outil-1", data=form)
    assert page.status_code == 400
    message = re.search(r'<p class="error" id="erreur-acteurs">(.*?)</p>', page.text, re.S)
    assert message is not None
    assert "Ligne 2, « Heures par an »" in message.group(1)
    assert "Ligne 3 : « Nom » est obligatoire" in message.group(1)
    assert "Ligne 1" not in message.group(1)
    invalid = re.findall(r'<(?:input|select|textarea)[^>]*aria-invalid="true"[^>]*>', page.text)
    names = sorted(re.search(r'name="([^"]+)"', tag).group(1) for tag in invalid)  # type: ignore[union-attr]
    assert names == ["f-nom", "r-acteurs-1-heures", "r-acteurs-2-nom"]
    assert all('aria-describedby="erreur-' in tag for tag in invalid)
    assert 'id="erreur-nom"' in page.text
