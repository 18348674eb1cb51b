"""The trainer workspace through the test client: access, cohorts, dashboard = CSV, queries."""

from __future__ import annotations

import csv
import io
import random
import re
import statistics
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from course.content.model import Course
from course.demo import service as demo
from course.demo.synthetic import item_parameters, plan_learner
from course.domain.answers import parse_answers
from course.services import attempts, cohorts, tools
from course.services.models import (
    Attempt,
    Cohort,
    CohortMembership,
    StepCompletion,
    Submission,
    User,
)
from course.services.progress import complete_step
from course.services.statement_log import recorded
from tests.conftest import PASSWORD, now

Login = Callable[..., FlaskClient]


@pytest.fixture
def trainer(make_user: Callable[..., User]) -> User:
    return make_user("formatrice@example.org", role="trainer")


@pytest.fixture
def cohort(db: Session, trainer: User) -> Cohort:
    made = cohorts.create_cohort(db, "Groupe « Essai »", trainer.id, now=now())
    db.commit()
    return made


def add_learners(db: Session, course: Course, cohort: Cohort, count: int, seed: int = 3) -> None:
    """Add synthetic learners with varied journeys, as the demo does (ending now)."""
    rng = random.Random(seed)
    params = item_parameters(course, random.Random(seed))
    start = db.scalar(select(func.count(User.id))) or 0
    at = datetime.now(UTC) - timedelta(minutes=5)
    plans = [plan_learner(course, params, rng, start + i, at) for i in range(count)]
    demo.insert_learners(db, cohort, plans, "x", now())
    db.commit()


RIGHT = {
    "q-q-single": ["a"],
    "q-q-multiple": ["a", "b"],
    "q-q-vf": ["false"],
    "q-q-num": ["69"],
    "q-q-text": ["catalyse territoriale"],
}


def submit(
    db: Session, course: Course, user_id: int, form: dict[str, list[str]], quiz_id: str = "m1-quiz"
) -> None:
    quiz = course.quizzes[quiz_id]
    started = attempts.start_attempt(db, user_id, quiz, rng=random.Random(1), now=now())
    db.commit()
    attempt = attempts.get_own(db, user_id, started.id)
    assert attempt is not None
    questions = [q for q in (quiz.question(i) for i in attempt.question_ids) if q]
    attempts.submit(db, course, attempt, parse_answers(questions, form), now=now())
    db.commit()


def read_csv(text: str, separator: str = ";") -> list[list[str]]:
    """Read an export as a French spreadsheet does: a BOM, then `;`-separated quoted fields."""
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=separator))


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements the app runs for the test inside the block."""
    with recorded(app.extensions["database"].pooled) as statements:
        yield statements


# --- Access -------------------------------------------------------------------------------


def test_the_workspace_is_for_trainers(
    client: FlaskClient, learner: User, login: Login, cohort: Cohort
) -> None:
    assert client.get("/trainer/").status_code == 302  # to the login page
    login(learner)
    assert client.get("/trainer/").status_code == 403
    assert client.get(f"/trainer/cohorts/{cohort.id}").status_code == 403
    assert client.post("/trainer/cohorts", data={"name": "X"}).status_code == 403
    assert client.get("/admin/users").status_code == 403
    assert "Espace formateur" not in client.get("/").text


def test_another_trainers_cohort_learner_and_exports_are_not_found(
    app: Flask, db: Session, course: Course, cohort: Cohort, learner: User, make_user, login: Login
) -> None:  # type: ignore[no-untyped-def]
    cohorts.join(db, cohort, learner.id, now=now())
    db.commit()
    other = make_user("autre@example.org", role="trainer")
    login(other)
    client = app.test_client()
    login(other, on=client)
    base = f"/trainer/cohorts/{cohort.id}"
    for url in (
        base,
        f"{base}/export.csv",
        f"{base}/attempts.csv",
        f"{base}/learners/{learner.id}",
        f"{base}/quizzes/m1-quiz",
        "/trainer/cohorts/999999",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            f"{base}/learners/{learner.id}/waivers", data={"module_id": "m2", "reason": "x"}
        ).status_code
        == 404
    )
    assert client.post(f"{base}/trainers", data={"email": other.email}).status_code == 404
    assert "Groupe « Essai »" not in client.get("/trainer/").text


def test_a_trainer_sees_only_the_names_of_cohorts_they_train(
    client: FlaskClient,
    db: Session,
    cohort: Cohort,
    trainer: User,
    learner: User,
    make_user,
    login: Login,
) -> None:  # type: ignore[no-untyped-def]
    other = make_user("autre@example.org", role="trainer")
    theirs = cohorts.create_cohort(db, "Groupe secret de l'autre", other.id, now=now())
    mine = cohorts.create_cohort(db, "Mon second groupe", trainer.id, now=now())
    for group in (cohort, theirs, mine):
        cohorts.join(db, group, learner.id, now=now())
    db.commit()
    login(trainer)
    page = client.get(f"/trainer/cohorts/{cohort.id}/learners/{learner.id}").text
    assert "Mon second groupe" in page
    assert "secret" not in page


@pytest.mark.parametrize(
    ("role", "landing"), [("learner", "/"), ("trainer", "/trainer/"), ("admin", "/trainer/")]
)
def test_each_role_lands_where_it_works_after_login(
    app: Flask, client: FlaskClient, make_user, role: str, landing: str
) -> None:  # type: ignore[no-untyped-def]
    user = make_user(f"{role}-x@example.org", role=role)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == landing
    with_next = app.test_client().post(
        "/login?next=/progress", data={"email": user.email, "password": PASSWORD}
    )
    assert with_next.headers["Location"] == "/progress"


def test_a_learner_outside_the_cohort_is_not_found(
    client: FlaskClient, cohort: Cohort, trainer: User, learner: User, login: Login
) -> None:
    login(trainer)
    assert client.get(f"/trainer/cohorts/{cohort.id}/learners/{learner.id}").status_code == 404


def test_an_admin_sees_every_cohort(
    client: FlaskClient, cohort: Cohort, make_user, login: Login
) -> None:  # type: ignore[no-untyped-def]
    login(make_user("admin@example.org", role="admin"))
    assert "Groupe « Essai »" in client.get("/trainer/").text
    assert client.get(f"/trainer/cohorts/{cohort.id}").status_code == 200


# --- Cohorts and joining --------------------------------------------------------------------


def test_a_trainer_creates_a_cohort_with_a_code_and_a_link(
    client: FlaskClient, db: Session, trainer: User, login: Login
) -> None:
    login(trainer)
    assert client.post("/trainer/cohorts", data={"name": ""}).status_code == 400
    response = client.post("/trainer/cohorts", data={"name": "Promo 2027"})
    assert response.status_code == 302
    made = db.scalar(select(Cohort).where(Cohort.name == "Promo 2027"))
    assert made is not None
    db.commit()  # end the test's own (writing) transaction before the next request
    page = client.get(response.location).text
    code = cohorts.display_code(made.join_code)
    assert code in page
    assert f"/join/{code}" in page
    assert "Espace formateur" in page


def register(client: FlaskClient, code: str, email: str = "nina@example.org"):  # type: ignore[no-untyped-def]
    return client.post(
        "/register",
        data={
            "email": email,
            "display_name": "Nina",
            "password": "un-long-mot-de-passe",
            "confirm": "un-long-mot-de-passe",
            "join_code": code,
        },
    )


def test_registering_with_a_code_joins_the_cohort(
    client: FlaskClient, db: Session, cohort: Cohort
) -> None:
    code = cohorts.display_code(cohort.join_code).lower()
    assert register(client, code).status_code == 302
    nina = db.scalar(select(User).where(User.email == "nina@example.org"))
    assert nina is not None
    assert [c.id for c in cohorts.memberships(db, nina.id)] == [cohort.id]


def test_an_unknown_code_is_refused_with_a_clear_error(client: FlaskClient, db: Session) -> None:
    response = register(client, "ZZZZ-9999")
    assert response.status_code == 400
    assert "Ce code de groupe est inconnu" in response.text
    assert db.scalar(select(func.count(User.id))) == 0


def test_joining_later_with_the_code_or_the_link(
    app: Flask, client: FlaskClient, db: Session, cohort: Cohort, learner: User, login: Login
) -> None:
    code = cohorts.display_code(cohort.join_code)
    anonymous = app.test_client()
    link = anonymous.get(f"/join/{code}")
    assert link.status_code == 302
    assert f"/register?join_code={code}" in link.location
    assert f'value="{code}"' in anonymous.get(link.location).text
    login(learner)
    assert f'value="{code}"' in client.get(f"/join/{code}").text
    wrong = client.post("/join", data={"code": "AAAA-AAAA"})
    assert wrong.status_code == 400
    assert "aucun groupe" in wrong.text
    assert client.post("/join", data={"code": code}).status_code == 302
    assert "Groupe « Essai »" in client.get("/join").text
    assert client.post("/join", data={"code": code}).status_code == 302  # twice: no error
    count = select(func.count()).select_from(CohortMembership)
    assert db.scalar(count.where(CohortMembership.user_id == learner.id)) == 1


def test_a_co_trainer_is_added_by_email(
    app: Flask, client: FlaskClient, cohort: Cohort, trainer: User, make_user, login: Login
) -> None:  # type: ignore[no-untyped-def]
    colleague = make_user("collegue@example.org", role="trainer")
    plain = make_user("apprenant2@example.org")
    login(trainer)
    base = f"/trainer/cohorts/{cohort.id}"
    client.post(f"{base}/trainers", data={"email": plain.email})
    assert "Aucun compte formateur" in client.get(base).text
    client.post(f"{base}/trainers", data={"email": colleague.email})
    other = app.test_client()
    login(colleague, on=other)
    assert other.get(base).status_code == 200


# --- Dashboard, CSV, queries -----------------------------------------------------------------


def matrix_rows(page: str) -> dict[int, dict[str, object]]:
    """Read the learner x module matrix from the dashboard's HTML."""
    found: dict[int, dict[str, object]] = {}
    for match in re.finditer(r'<tr data-learner="(\d+)".*?</tr>', page, re.S):
        html = match.group(0)

        def texts(cls: str, html: str = html) -> list[str]:
            pattern = rf'class="{cls}[^"]*"[^>]*>(.*?)</(?:td|span)>'
            return [
                " ".join(unescape(re.sub("<[^>]+>", " ", t)).split())
                for t in re.findall(pattern, html, re.S)
            ]

        found[int(match.group(1))] = {
            "status": texts("status")[0],
            "percent": texts("num percent")[0],
            "idle": int(re.search(r'data-days="(\d+)"', html).group(1)),  # type: ignore[union-attr]
            "help": texts("help")[0],
            "states": texts("cell-state"),
            "bests": texts("cell-best"),
            "attempts": texts("cell-attempts"),
        }
    return found


def shown_best(exported: str, cbm: bool) -> str:
    """Return how the dashboard shows a best score the export gives: "80 %", or a certainty
    score with its sign ("+1,8", "\u22121,2")."""
    if not exported:
        return "—"
    if not cbm:
        return f"{exported} %"
    if exported.startswith("-"):
        return "\u2212" + exported[1:]
    return exported if exported == "0" else f"+{exported}"


def number(text: str) -> float:
    """Read a French number, signed with "+", "-" or "\u2212"."""
    return float(text.replace("\u2212", "-").replace(",", "."))


def words(html: str) -> str:
    """Return a page's text as a reader sees it: no tags, single spaces."""
    return " ".join(unescape(re.sub("<[^>]+>", " ", html)).split())


def figure(page: str, ident: str) -> str:
    match = re.search(rf'id="{ident}">(.*?)</dd>', page, re.S)
    assert match is not None, ident
    return " ".join(unescape(re.sub("<[^>]+>", " ", match.group(1))).split())


def test_the_dashboard_shows_what_the_csv_says(
    app: Flask,
    client: FlaskClient,
    db: Session,
    course: Course,
    cohort: Cohort,
    trainer: User,
    login: Login,
) -> None:
    add_learners(db, course, cohort, 45)
    app.config["TRAINER_PAGE_SIZE"] = 100
    login(trainer)
    page = client.get(f"/trainer/cohorts/{cohort.id}").text
    export = client.get(f"/trainer/cohorts/{cohort.id}/export.csv")
    table = read_csv(export.text)
    header, lines = table[0], table[1:]
    shown = matrix_rows(page)
    assert len(lines) == len(shown) == 45
    modules = len(course.modules)
    cbm = [course.quizzes[m.quiz].scoring == "cbm" for m in course.modules]
    assert any(cbm), "the fixture course should have a quiz scored by certainty"
    cbm_bests = [line[10 + 3 * i] for line in lines for i in range(modules) if cbm[i]]
    assert any(cbm_bests), "some learner should have a certainty score to compare"
    for i, module_cbm in enumerate(cbm):
        assert header[10 + 3 * i].endswith(
            "meilleur score de certitude (-6 à +3)" if module_cbm else "meilleur score (%)"
        )
    for line in lines:
        row = shown[int(line[0])]
        assert row["status"] == line[6]
        assert row["percent"] == f"{line[7]} %"
        assert row["idle"] == int(line[5])
        assert row["help"] == (line[8].replace(" ; ", " ") or "—")
        assert row["states"] == [line[9 + 3 * i] for i in range(modules)]
        assert row["bests"] == [shown_best(line[10 + 3 * i], cbm[i]) for i in range(modules)]
        assert row["attempts"] == [f"{line[11 + 3 * i]} tent." for i in range(modules)]
    # The summary figures, recounted from the CSV.
    assert figure(page, "fig-enrolled") == str(len(lines))
    completed = sum(line[6] == "Parcours terminé" for line in lines)
    assert figure(page, "fig-completion") == f"{round(100 * completed / len(lines))} %"
    assert figure(page, "fig-help") == str(sum(bool(line[8]) for line in lines))
    week_ago = datetime.now(UTC) - timedelta(days=7)
    active = sum(bool(line[4]) and datetime.fromisoformat(line[4]) >= week_ago for line in lines)
    assert figure(page, "fig-active") == str(active)
    for index, module in enumerate(course.modules):
        bests = [number(line[10 + 3 * index]) for line in lines if line[10 + 3 * index]]
        median = re.search(rf'id="fig-median-{module.id}">([+\u2212]?[\d,]+)', page)
        if bests:
            assert median is not None
            tolerance = 0.1 if cbm[index] else 1  # certainty marks to 0.1, percents whole
            assert abs(number(median.group(1)) - statistics.median(bests)) <= tolerance
    assert header[:3] == ["Identifiant", "Nom", "E-mail"]
    # And a recount straight from the database, without the metrics module.
    recount = recount_from_database(db, course, cohort, week_ago)
    assert 0 < recount["completed"] < 45  # the figures are not trivial
    assert 0 < recount["active"] < 45
    assert figure(page, "fig-enrolled") == str(recount["enrolled"])
    assert figure(page, "fig-completion") == f"{round(100 * recount['completed'] / 45)} %"
    assert figure(page, "fig-active") == str(recount["active"])


def recount_from_database(
    db: Session, course: Course, cohort: Cohort, since: datetime
) -> dict[str, int]:
    """Count enrolled, completed and active learners with plain SQL over the history tables."""
    members = set(
        db.scalars(select(CohortMembership.user_id).where(CohortMembership.cohort_id == cohort.id))
    )
    steps = {s.id for m in course.modules for s in m.steps}
    quizzes = {m.quiz for m in course.modules}
    done: dict[int, set[str]] = {u: set() for u in members}
    for user_id, step_id in db.execute(select(StepCompletion.user_id, StepCompletion.step_id)):
        done.setdefault(user_id, set()).add(step_id)
    passed: dict[int, set[str]] = {u: set() for u in members}
    last: dict[int, datetime] = {}
    rows = db.execute(
        select(
            Attempt.user_id,
            Attempt.quiz_id,
            Attempt.started_at,
            Submission.submitted_at,
            Submission.passed,
        ).outerjoin(Submission, Submission.attempt_id == Attempt.id)
    )
    for user_id, quiz_id, started, submitted, ok in rows:
        if ok:
            passed.setdefault(user_id, set()).add(quiz_id)
        last[user_id] = max(filter(None, (last.get(user_id), started, submitted)))
    for user_id, when in db.execute(select(StepCompletion.user_id, StepCompletion.completed_at)):
        last[user_id] = max(filter(None, (last.get(user_id), when)))
    db.commit()
    return {
        "enrolled": len(members),
        "completed": sum(1 for u in members if steps <= done[u] and quizzes <= passed[u]),
        "active": sum(1 for u in members if u in last and last[u] >= since),
    }


def test_filters_sorting_and_pages(
    app: Flask,
    client: FlaskClient,
    db: Session,
    course: Course,
    cohort: Cohort,
    trainer: User,
    login: Login,
) -> None:
    add_learners(db, course, cohort, 30)
    app.config["TRAINER_PAGE_SIZE"] = 100
    login(trainer)
    base = f"/trainer/cohorts/{cohort.id}"
    everyone = matrix_rows(client.get(base).text)
    helped = matrix_rows(client.get(f"{base}?help=1").text)
    assert set(helped) == {i for i, r in everyone.items() if r["help"] != "—"}
    done = matrix_rows(client.get(f"{base}?status=completed").text)
    assert all(r["status"] == "Parcours terminé" for r in done.values())
    link = re.search(r'id="link-inactive" href="([^"]+)"', client.get(base).text)
    assert link is not None  # an inactive learner is one click away from the dashboard
    idle = matrix_rows(client.get(unescape(link.group(1))).text)
    assert set(idle) == {i for i, r in everyone.items() if int(r["idle"]) >= 14}  # type: ignore[call-overload]
    ordered = list(matrix_rows(client.get(f"{base}?sort=progress&order=desc").text).values())
    percents = [int(str(r["percent"]).split()[0]) for r in ordered]
    assert percents == sorted(percents, reverse=True)
    app.config["TRAINER_PAGE_SIZE"] = 12
    first = client.get(base).text
    assert "page 1 sur 3" in first
    pages = [matrix_rows(client.get(f"{base}?page={n}").text) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [12, 12, 6]
    assert set().union(*pages) == set(everyone)
    assert len(matrix_rows(client.get(f"{base}?page=99").text)) == 6  # past the end: last page


@pytest.mark.parametrize("url", ["", "/quizzes/m1-quiz", "/quizzes/m1-quiz?attempts=all"])
def test_pages_use_a_constant_number_of_queries(
    app: Flask,
    client: FlaskClient,
    db: Session,
    course: Course,
    cohort: Cohort,
    trainer: User,
    login: Login,
    url: str,
) -> None:
    login(trainer)
    page = f"/trainer/cohorts/{cohort.id}{url}"
    client.get(page)  # the very first refresh makes the standings' mark, once in the app's life
    counts = []
    for size in (4, 36):
        add_learners(db, course, cohort, size - ((counts and 4) or 0), seed=size)
        with counted(app) as first:  # this view brings the stored standings up to date
            client.get(page)
        with counted(app) as statements:
            assert client.get(page).status_code == 200
        counts.append((len(first), len(statements)))
    assert counts[0] == counts[1]
    assert counts[0][1] < 25


def test_csv_exports_are_safe_for_spreadsheets(
    client: FlaskClient,
    db: Session,
    course: Course,
    cohort: Cohort,
    trainer: User,
    make_user,
    login: Login,
) -> None:  # type: ignore[no-untyped-def]
    sly = make_user("sly@example.org")
    sly.display_name = '=HYPERLINK("http://evil.example","clic")'
    cohorts.join(db, cohort, sly.id, now=now())
    db.commit()
    submit(db, course, sly.id, {"q-q-single": ["b"], "c-q-single": ["3"]})
    login(trainer)
    for name in ("export.csv", "attempts.csv"):
        response = client.get(f"/trainer/cohorts/{cohort.id}/{name}")
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        disposition = response.headers["Content-Disposition"]
        assert re.fullmatch(r'attachment; filename="[a-z0-9._-]+\.csv"', disposition), disposition
        assert "groupe-" in disposition
        assert "essai" in disposition
        rows = read_csv(response.text)
        assert rows[1][1] == "'" + sly.display_name
        assert "\r\n" in response.text
        line = response.text.split("\r\n")[1]
        assert line.startswith(f'"{sly.id}";"\'=HYPERLINK(')  # every field quoted, numbers too
        comma = client.get(f"/trainer/cohorts/{cohort.id}/{name}?sep=comma").text
        assert read_csv(comma, ",") == rows
    attempts_rows = read_csv(client.get(f"/trainer/cohorts/{cohort.id}/attempts.csv").text)
    assert [r[3] for r in attempts_rows[1:]] == ["m1-quiz"]
    sly.display_name = "Ana;=1+1"
    db.commit()
    export = client.get(f"/trainer/cohorts/{cohort.id}/export.csv").text
    assert read_csv(export)[1][1] == "Ana;'=1+1"  # even once a spreadsheet splits it on ";"


# --- Learner page and waivers ---------------------------------------------------------------


def test_the_learner_page_shows_attempts_answers_confidence_and_timeline(
    client: FlaskClient,
    db: Session,
    course: Course,
    cohort: Cohort,
    trainer: User,
    learner: User,
    login: Login,
) -> None:
    cohorts.join(db, cohort, learner.id, now=now())
    complete_step(db, course, learner.id, course.modules[0], course.modules[0].steps[0], now=now())
    db.commit()
    submit(db, course, learner.id, {"q-q-single": ["b"], "c-q-single": ["3"], "q-q-vf": ["false"]})
    submit(db, course, learner.id, {"q-q-single": ["b"], "c-q-single": ["3"]})
    login(trainer)
    page = client.get(f"/trainer/cohorts/{cohort.id}/learners/{learner.id}").text
    assert "A échoué 2 fois au quiz « Quiz des bases » sans le réussir" in page
    assert "La mauvaise" in page  # the chosen choice, in words
    assert "très sûr(e)" in page
    assert "tentative 2" in page
    assert "A terminé l&#39;étape « Introduction »" in page or "A terminé l'étape" in unescape(page)
    assert "N'a pas encore réussi" in words(page)


def test_the_learner_page_calls_a_pre_test_a_positionnement_not_a_pass(
    client: FlaskClient,
    db: Session,
    course: Course,
    cohort: Cohort,
    trainer: User,
    learner: User,
    login: Login,
) -> None:
    cohorts.join(db, cohort, learner.id, now=now())
    db.commit()
    every_right = {f"q-p-vf{n}": ["true" if n in ("", "3", "5") else "false"] for n in "2345"}
    submit(db, course, learner.id, {**every_right, "q-p-vf": ["true"]}, "m1-positionnement")
    login(trainer)
    page = words(client.get(f"/trainer/cohorts/{cohort.id}/learners/{learner.id}").text)
    assert "Positionnement , tentative 1 — 100 %, positionnement, rendue" in page
    assert "réussie" not in page


def test_the_learner_page_shows_tool_work_read_only(
    client: FlaskClient, db: Session, cohort: Cohort, trainer: User, learner: User, login: Login
) -> None:
    cohorts.join(db, cohort, learner.id, now=now())
    work = {
        "nom": "Vallée verte",
        "forme": "alliance",
        "acteurs": [{"nom": "Mairie", "profil": "collectivite"}],
    }
    tools.save(db, learner.id, "outil-1", work, now=now())
    db.commit()
    login(trainer)
    page = client.get(f"/trainer/cohorts/{cohort.id}/learners/{learner.id}").text
    text = words(page)
    assert "Outil d'essai — version 1" in text
    assert "Nom du territoire Vallée verte" in text
    assert "Forme Alliance" in text
    assert "Mairie Collectivité" in text
    assert "/tools/outil-1" not in page  # nothing to edit from here


def test_a_trainer_waives_a_lock_and_it_is_recorded(
    app: Flask,
    client: FlaskClient,
    db: Session,
    cohort: Cohort,
    trainer: User,
    learner: User,
    login: Login,
) -> None:
    cohorts.join(db, cohort, learner.id, now=now())
    db.commit()
    login(trainer)
    base = f"/trainer/cohorts/{cohort.id}/learners/{learner.id}"
    page = unescape(client.get(base).text)
    assert "Lever le verrou de la séance 2</a>" in page  # each button says which lock
    assert "Lever le verrou de la séance 3</a>" in page
    # A link to a confirmation page, not an action: nothing changes until confirmed with a reason.
    confirm = client.get(f"{base}/waivers/new?module_id=m2")
    assert confirm.status_code == 200
    assert "Lever le verrou de la séance 2 pour" in unescape(confirm.text)
    assert client.get(f"{base}/waivers/new?module_id=nope").status_code == 404
    assert (
        client.post(f"{base}/waivers", data={"module_id": "nope", "reason": "x"}).status_code == 404
    )
    refused = client.post(f"{base}/waivers", data={"module_id": "m2", "reason": "  "})
    assert refused.status_code == 400
    assert "Indiquez pourquoi vous levez ce verrou." in unescape(refused.text)
    assert "Verrou levé" not in unescape(client.get(base).text)
    reason = "Réussi à l'oral en séance"
    assert (
        client.post(f"{base}/waivers", data={"module_id": "m2", "reason": reason}).status_code
        == 302
    )
    page = unescape(client.get(base).text)
    assert "Levé par formatrice le" in page
    assert f"« {reason} »" in page
    assert "Verrou levé pour la séance « La suite » par formatrice" in page
    learner_client = app.test_client()
    learner_client.post("/login", data={"email": learner.email, "password": PASSWORD})
    assert learner_client.get("/modules/m2").status_code == 200
    assert learner_client.get("/modules/m3").status_code == 403


# --- Quiz analytics ---------------------------------------------------------------------------


def test_quiz_analytics_warn_flag_and_name_who_holds_a_misconception(
    app: Flask,
    client: FlaskClient,
    db: Session,
    course: Course,
    cohort: Cohort,
    trainer: User,
    make_user,
    login: Login,
) -> None:  # type: ignore[no-untyped-def]
    strong = {
        "q-q-single": ["a"],
        "q-q-multiple": ["a", "b"],
        "q-q-num": ["69"],
        "q-q-text": ["catalyse territoriale"],
        "q-q-vf": ["true"],
    }
    weak = {"q-q-single": ["b"], "c-q-single": ["3"], "q-q-vf": ["false"]}
    names = []
    for index in range(6):
        user = make_user(f"l{index}@example.org")
        cohorts.join(db, cohort, user.id, now=now())
        db.commit()
        submit(db, course, user.id, strong if index % 2 else weak)
        if index % 2 == 0:
            names.append(user.display_name)
    login(trainer)
    page = words(client.get(f"/trainer/cohorts/{cohort.id}/quizzes/m1-quiz").text)
    assert "moins de 20 apprenants" in page
    line = course.quizzes["m1-quiz"].question("q-vf").line  # type: ignore[union-attr]
    assert f"quizzes/m1-quiz.yaml:{line}" in page
    assert "discrimination négative" in page  # the strong answer it wrongly, the weak rightly
    assert (
        "Prendre la mauvaise pour la bonne — 3 apprenants, dont 3 réponses « très sûr(e) »" in page
    )
    assert "confusion-b" not in page  # trainers read labels, never ids
    for name in names:
        assert name in page
    app.config["ITEM_ANALYSIS_MIN_LEARNERS"] = 5
    assert (
        "moins de 5 apprenants"
        not in client.get(f"/trainer/cohorts/{cohort.id}/quizzes/m1-quiz").text
    )
    assert client.get(f"/trainer/cohorts/{cohort.id}/quizzes/nope").status_code == 404


@pytest.mark.parametrize(
    ("attempts", "facility"),
    [("first", "0,0"), ("last", "0,0"), ("best", "100,0"), ("all", "33,3"), ("nonsense", "0,0")],
)
def test_quiz_analytics_choose_first_last_best_or_all_attempts(
    client: FlaskClient,
    db: Session,
    course: Course,
    cohort: Cohort,
    trainer: User,
    learner: User,
    login: Login,
    attempts: str,
    facility: str,
) -> None:
    cohorts.join(db, cohort, learner.id, now=now())
    db.commit()
    wrong = {"q-q-single": ["b"]}
    for form in (wrong, RIGHT, wrong):  # the best attempt is the middle one
        submit(db, course, learner.id, form)
    login(trainer)
    html = client.get(f"/trainer/cohorts/{cohort.id}/quizzes/m1-quiz?attempts={attempts}").text
    chosen = attempts if attempts != "nonsense" else "first"
    assert f'<option value="{chosen}" selected>' in html
    cells = re.findall(r'class="num facility">([^<]*)</td>', html)
    assert cells[0] == facility  # q-single: wrong, right, wrong


def test_the_cohorts_learning_gain_from_pre_test_to_quiz(
    app: Flask,
    client: FlaskClient,
    db: Session,
    course: Course,
    cohort: Cohort,
    trainer: User,
    make_user,
    login: Login,
) -> None:  # type: ignore[no-untyped-def]
    pretest = course.quizzes["m1-positionnement"]
    for index in range(3):
        user = make_user(f"g{index}@example.org")
        cohorts.join(db, cohort, user.id, now=now())
        db.commit()
        # Half the pre-test right, then the whole quiz right: g = (1 - 0.5) / (1 - 0.5) = 1.
        wrong = {
            f"q-{q.id}": ["false" if q.answer else "true"]
            for q in pretest.questions[: len(pretest.questions) // 2]
        }  # type: ignore[union-attr]
        right = {
            f"q-{q.id}": ["true" if q.answer else "false"]
            for q in pretest.questions[len(pretest.questions) // 2 :]
        }  # type: ignore[union-attr]
        submit(db, course, user.id, {**wrong, **right}, quiz_id="m1-positionnement")
        submit(db, course, user.id, RIGHT)
    login(trainer)
    page = words(client.get(f"/trainer/cohorts/{cohort.id}/gain").text)
    assert "Données insuffisantes : 3 apprenants ont fait le positionnement et le quiz" in page
    pre = round(
        100 * (len(pretest.questions) - len(pretest.questions) // 2) / len(pretest.questions)
    )
    assert f"Toute la séance 3 {pre} % 100 % 1,00" in page
    other = app.test_client()
    login(make_user("autre@example.org", role="trainer"), on=other)
    assert other.get(f"/trainer/cohorts/{cohort.id}/gain").status_code == 404


def test_dashboard_charts_have_text_alternatives_and_no_inline_style(
    client: FlaskClient, db: Session, course: Course, cohort: Cohort, trainer: User, login: Login
) -> None:
    add_learners(db, course, cohort, 10)
    login(trainer)
    page = client.get(f"/trainer/cohorts/{cohort.id}").text
    assert page.count("<svg") == 1 + len(course.modules)
    assert page.count("<title id=") == page.count("<desc id=") == page.count("<svg")
    assert "style=" not in page
    assert "Entonnoir de progression" in page
    assert "Les chiffres de l'entonnoir Étape Apprenants Inscrits 10" in words(page)


# --- Roles --------------------------------------------------------------------------------------


def test_an_admin_changes_roles_but_not_their_own(
    client: FlaskClient, db: Session, learner: User, make_user, login: Login
) -> None:  # type: ignore[no-untyped-def]
    admin = make_user("admin@example.org", role="admin")
    admin_id, learner_id = admin.id, learner.id
    login(admin)
    assert learner.email in client.get("/admin/users?q=LEARNER").text
    assert (
        client.post(f"/admin/users/{learner_id}/role", data={"role": "trainer"}).status_code == 302
    )
    client.post(f"/admin/users/{admin_id}/role", data={"role": "learner"})
    client.post(f"/admin/users/{learner_id}/role", data={"role": "root"})
    roles = dict(db.execute(select(User.id, User.role)).tuples().all())
    assert roles == {admin_id: "admin", learner_id: "trainer"}


def test_trainer_pages_write_french_numbers(
    client: FlaskClient, db: Session, course: Course, cohort: Cohort, trainer: User, login: Login
) -> None:
    add_learners(db, course, cohort, 24)
    member = db.scalars(
        select(CohortMembership.user_id).where(CohortMembership.cohort_id == cohort.id)
    ).first()
    db.commit()
    login(trainer)
    base = f"/trainer/cohorts/{cohort.id}"
    pages = ["", "/quizzes/m1-quiz", "/quizzes/m1-quiz?attempts=all", "/gain"]
    pages.append(f"/learners/{member}")
    decimals = 0
    for url in pages:
        html = client.get(base + url).text
        text = words(html)
        assert not re.search(r"\d\.\d", text), (url, re.findall(r".{30}\d\.\d.{10}", text))
        seen = unescape(re.sub("<[^>]+>", " ", html))
        assert not re.findall(r".{20}\d %", seen), url  # the space before % never breaks
        decimals += len(re.findall(r"\d,\d", text))
    assert decimals > 10  # the analytics and the gain do show decimals, with a comma


WRONG_SURE = {
    "q-q-single": ["b"],
    "c-q-single": ["3"],
    "q-q-vf": ["true"],
    "c-q-vf": ["3"],
    "q-q-num": ["12"],
    "c-q-num": ["3"],
    "q-q-text": ["rien"],
    "c-q-text": ["3"],
}


def test_needs_help_is_a_triage_list_a_trainer_can_mark_handled(
    app: Flask,
    client: FlaskClient,
    db: Session,
    course: Course,
    cohort: Cohort,
    trainer: User,
    make_user,
    login: Login,
) -> None:  # type: ignore[no-untyped-def]
    blocked, unsure = make_user("bloquee@example.org"), make_user("hesitant@example.org")
    for user in (blocked, unsure):
        cohorts.join(db, cohort, user.id, now=now())
    db.commit()
    for _ in range(3):  # no attempt left at m1-quiz: blocked, the most urgent
        submit(db, course, blocked.id, {"q-q-single": ["b"]})
    submit(db, course, unsure.id, WRONG_SURE)  # four confident errors in one quiz
    login(trainer)
    base = f"/trainer/cohorts/{cohort.id}"
    page = client.get(base).text
    listed = re.findall(r'<li data-learner="(\d+)">', page)
    assert listed == [str(blocked.id), str(unsure.id)]  # in priority order
    text = words(page)
    assert "à faire : lever le verrou de la séance 2 ?" in text
    assert re.search(
        r"à faire : revoir ensemble la notion « (Connaître|Appliquer) les bases »", text
    )
    assert figure(page, "fig-help") == "2"
    key = re.search(rf'learners/{unsure.id}/handled".*?name="help_key" value="(\w+)"', page, re.S)
    assert key is not None
    done = client.post(f"{base}/learners/{unsure.id}/handled", data={"help_key": key.group(1)})
    assert done.status_code == 302
    page = client.get(base).text
    assert re.findall(r'<li data-learner="(\d+)">', page) == [str(blocked.id)]
    assert figure(page, "fig-help") == "1"
    learner_page = words(client.get(f"{base}/learners/{unsure.id}").text)
    assert "Traité par formatrice le" in learner_page
    # New facts bring the signal back.
    submit(db, course, unsure.id, WRONG_SURE)
    page = client.get(base).text
    assert re.findall(r'<li data-learner="(\d+)">', page) == [str(blocked.id), str(unsure.id)]
    assert figure(page, "fig-help") == "2"


def test_the_cohort_report_prints_the_summary_scores_help_and_gain(
    client: FlaskClient, db: Session, course: Course, cohort: Cohort, trainer: User, login: Login
) -> None:
    add_learners(db, course, cohort, 30)
    login(trainer)
    base = f"/trainer/cohorts/{cohort.id}"
    assert f'href="{base}/report"' in client.get(base).text
    response = client.get(f"{base}/report")
    assert response.status_code == 200
    page = words(response.text)
    for heading in (
        "En bref",
        "Progression du groupe",
        "Scores aux quiz, séance par séance",
        "Besoin d'aide, les plus urgents d'abord",
        "Progression des connaissances",
    ):
        assert heading in page
    assert "Inscrits 30" in page
    assert "<svg" in response.text  # the funnel and the score charts
    assert 'href="/static/report.css"' in response.text
    with client.get("/static/report.css") as sheet:
        css = sheet.text
    assert "@media print" in css
    assert "header.site" in css  # the site's frame is left off the paper


# --- Words: French plurals, no gendered pronoun for a learner -----------------------------------


def test_counts_under_two_are_singular_in_french(
    client: FlaskClient,
    db: Session,
    course: Course,
    cohort: Cohort,
    trainer: User,
    learner: User,
    login: Login,
) -> None:
    login(trainer)
    base = f"/trainer/cohorts/{cohort.id}"
    assert "0 apprenant ·" in words(client.get(base).text)  # « 0 apprenant », not « apprenants »
    quiz = words(client.get(f"{base}/quizzes/m1-quiz").text)
    assert "0 apprenant, 0 tentative (" in quiz
    cohorts.join(db, cohort, learner.id, now=now())
    db.commit()
    pretest = course.quizzes["m1-positionnement"]
    answers = {f"q-{q.id}": ["true" if q.answer else "false"] for q in pretest.questions}  # type: ignore[union-attr]
    submit(db, course, learner.id, answers, quiz_id="m1-positionnement")
    submit(db, course, learner.id, RIGHT)
    gain = words(client.get(f"{base}/gain").text)
    assert "Données insuffisantes : 1 apprenant a fait le positionnement et le quiz" in gain
    assert "1 apprenant, 1 tentative (" in words(client.get(f"{base}/quizzes/m1-quiz").text)


def test_the_waiver_page_names_no_pronoun_for_the_learner(
    client: FlaskClient, db: Session, cohort: Cohort, trainer: User, learner: User, login: Login
) -> None:
    cohorts.join(db, cohort, learner.id, now=now())
    db.commit()
    login(trainer)
    page = words(
        client.get(
            f"/trainer/cohorts/{cohort.id}/learners/{learner.id}/waivers/new?module_id=m2"
        ).text
    )
    assert "sans attendre la réussite au quiz qui la verrouille" in page
    assert "il ou elle" not in page


def test_an_empty_group_says_no_one_has_tried_a_quiz_instead_of_drawing_empty_charts(
    client: FlaskClient, cohort: Cohort, trainer: User, login: Login
) -> None:
    login(trainer)
    for page in (f"/trainer/cohorts/{cohort.id}", f"/trainer/cohorts/{cohort.id}/report"):
        text = client.get(page).text
        assert (
            text.count("Aucune tentative pour l&#39;instant.")
            + text.count("Aucune tentative pour l'instant.")
            == 3
        ), page  # one per module of the fixture course
        assert "Meilleurs scores par tranche" not in text


def test_a_second_group_of_the_same_name_is_refused_with_the_name_kept(
    client: FlaskClient, db: Session, cohort: Cohort, trainer: User, login: Login
) -> None:
    login(trainer)
    again = client.post("/trainer/cohorts", data={"name": "  groupe « ESSAI » "})
    assert again.status_code == 400
    assert "Vous suivez déjà un groupe de ce nom" in again.text
    assert db.scalar(select(func.count()).select_from(Cohort)) == 1
    other = client.post("/trainer/cohorts", data={"name": "Groupe « Essai 2 »"})
    assert other.status_code == 302


def test_a_join_link_names_its_group_or_says_at_once_that_its_code_is_unknown(
    client: FlaskClient, cohort: Cohort, learner: User, login: Login
) -> None:
    login(learner)
    code = cohorts.display_code(cohort.join_code)
    invited = client.get(f"/join/{code}")
    assert invited.status_code == 200
    assert "Ce lien vous invite dans le groupe « Groupe « Essai » »" in unescape(invited.text)
    unknown = client.get("/join/NOPE-NOPE")
    assert unknown.status_code == 404
    assert "Ce code ne correspond à aucun groupe" in unescape(unknown.text)
    client.post("/join", data={"code": code})
    again = unescape(client.get(f"/join/{code}").text)
    assert "Vous faites déjà partie du groupe « Groupe « Essai » »." in again
