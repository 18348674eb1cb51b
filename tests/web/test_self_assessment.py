"""Self-assessment on the web: certainty on the review, CBM unlocking, « Mes progrès », warm-up."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import unescape

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from course.services import cohorts, throttle
from course.services.models import (
    AnswerRow,
    Attempt,
    ErasedAccount,
    Event,
    FailedLogin,
    Submission,
    User,
)
from tests.conftest import PASSWORD, now

from .test_journey import RIGHT, start_attempt

M2_RIGHT = {"q-q-order": ["un", "deux", "trois"], "q-q-match-p1": ["p1"], "q-q-match-p2": ["p2"]}


def m3(certainty: str) -> dict[str, list[str]]:
    return {
        "q-q-fin-1": ["true"],
        "q-q-fin-2": ["false"],
        "c-q-fin-1": [certainty],
        "c-q-fin-2": [certainty],
    }


def take(client: FlaskClient, quiz_id: str, form: dict) -> str:
    attempt = start_attempt(client, quiz_id)
    assert client.post(attempt, data=form).status_code == 302
    return attempt


def open_m3(client: FlaskClient) -> None:
    take(client, "m1-quiz", RIGHT)
    take(client, "m2-quiz", M2_RIGHT)


def test_sure_and_wrong_names_the_misconception_and_links_the_step(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    attempt = take(client, "m1-quiz", {**RIGHT, "q-q-single": ["b"], "c-q-single": ["3"]})
    review = client.get(attempt).text
    section = review[review.index('id="question-q-single"') :]
    section = section[: section.index("</section>")]
    assert "Sûr(e) mais faux : une idée reçue à revoir." in section
    assert "« Prendre la mauvaise pour la bonne »" in section  # the chosen choice's label
    assert "confusion" not in section  # learners read labels, never ids
    assert 'href="/modules/m1/steps/m1-intro"' in section
    assert "Sûr(e) mais faux : 1" in review


def test_unsure_and_right_is_to_consolidate(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    attempt = take(client, "m1-quiz", {**RIGHT, "c-q-single": ["1"]})
    review = client.get(attempt).text
    assert "Juste, mais peu sûr(e)</strong> : à consolider." in review
    assert "Sûr(e) mais faux" not in review.replace("Sûr(e) mais faux : 0", "")


def test_a_certainty_without_an_answer_earns_and_costs_nothing(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    blank = {k: v for k, v in RIGHT.items() if k not in ("q-q-single", "c-q-single")}
    sure = client.get(
        take(client, "m1-quiz", {**blank, "c-q-single": ["3"], "confirm_blank": ["1"]})
    )
    said_nothing = client.get(take(client, "m1-quiz", {**blank, "confirm_blank": ["1"]}))

    def certainty_score(page: str) -> str:
        return re.search(r"Score de certitude : <strong>([^<]+)</strong>", page).group(1)  # type: ignore[union-attr]

    assert certainty_score(sure.text) == certainty_score(said_nothing.text)
    assert "Sûr(e) mais faux : 1" not in sure.text
    assert "une idée reçue à revoir" not in sure.text


def test_the_review_shows_the_cbm_score_beside_the_plain_one(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    # Every answer right; q-single very sure (+3), the four others unsure (+1): 7 / 15.
    attempt = take(client, "m1-quiz", RIGHT)
    review = client.get(attempt).text
    assert 'class="score">100\u00a0%' in review
    assert "Score de certitude : <strong>+1,4 sur une échelle de \u22126 à +3</strong>" in review
    assert "de 0 à \u22126 si elle est fausse" in review  # the scale, explained in one sentence
    assert "\u00a0%</strong>" not in review.split('class="score"')[1]  # never a percentage
    assert "à titre indicatif" in review  # m1-quiz is not scored by certainty


def test_a_cbm_quiz_unlocks_only_on_its_certainty_score(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    open_m3(client)
    unsure = client.get(take(client, "m3-quiz", m3("1"))).text
    assert "Pas encore réussi" in unsure
    assert "Score de certitude : <strong>+1 sur une échelle de \u22126 à +3</strong>" in unsure
    assert "il faut +1,5 en score de certitude" in unsure  # the pass mark on the same scale
    assert "Meilleur score de certitude sur ce quiz : +1." in unsure
    assert "c'est ce score qui compte" in unsure
    sure = client.get(take(client, "m3-quiz", m3("3"))).text
    assert "Quiz réussi" in sure


def test_a_cbm_quizs_pass_mark_is_said_on_the_certainty_scale_on_every_page(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    open_m3(client)
    attempt = start_attempt(client, "m3-quiz")
    pages = [client.get(p).text for p in ("/modules/m3", attempt, "/quizzes/m3-quiz/attempts")]
    for page in pages:
        assert "+1,5 en score de certitude" in page
        assert "seuil de réussite 50" not in page.lower()


def test_pre_40_and_post_80_show_a_gain_of_0_67(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    two_of_five = {"q-p-vf": ["true"], "q-p-vf2": ["false"], "confirm_blank": ["1"]}
    take(client, "m1-positionnement", two_of_five)
    take(client, "m1-quiz", {**RIGHT, "q-q-text": ["autre chose"]})  # 4 of 5
    page = client.get("/progress").text
    row = re.search(r'<tr class="gain-module">.*?</tr>', page, re.S)
    assert row is not None
    assert "40\u00a0%" in row.group(0)
    assert "80\u00a0%" in row.group(0)
    assert '<data value="0.67">0,67</data>' in row.group(0)


def test_progress_page_shows_mastery_calibration_chart_and_table(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    take(client, "m1-quiz", {**RIGHT, "q-q-vf": ["true"], "c-q-vf": ["3"]})
    page = client.get("/progress").text
    assert "<h1>Mes progrès</h1>" in page
    assert "Connaître les bases" in page
    assert "Maîtrisé" in page  # m1-o1: both questions right
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert '<title id="calibration-svg-title">' in page
    assert "Très sûr(e) : 50\u00a0% de réponses justes sur 2" in page  # the <desc>
    assert 'style="' not in page  # CSP: no inline styles
    assert "<caption>Calibration" in page
    assert 'href="/progress/export.json"' in page


def test_the_nav_links_to_my_progress(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    assert '<a href="/progress">Mes progrès</a>' in client.get("/").text


def test_another_learners_progress_and_export_are_not_found(
    client: FlaskClient,
    app: Flask,
    learner: User,
    make_user: Callable[..., User],
    login: Callable[..., FlaskClient],
) -> None:
    other = make_user("other@example.org")
    login(learner)
    assert client.get(f"/learners/{learner.id}/progress").status_code == 200
    assert client.get(f"/learners/{other.id}/progress").status_code == 404
    assert client.get(f"/learners/{other.id}/export.json").status_code == 404
    admin = app.test_client()
    login(make_user("admin@example.org", role="admin"), on=admin)
    assert "Progrès de learner" in admin.get(f"/learners/{learner.id}/progress").text
    # The admin sees the record but their role does not take the data out: refused, not hidden.
    assert admin.get(f"/learners/{learner.id}/export.json").status_code == 403
    assert admin.get("/learners/999999/progress").status_code == 404


def test_export_is_the_learners_own_data_as_json(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    take(client, "m1-quiz", RIGHT)
    response = client.get("/progress/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.text)
    assert data["account"]["email"] == "learner@example.org"
    assert data["attempts"][0]["submission"]["answers"]
    assert client.get(f"/learners/{learner.id}/export.json").status_code == 200


def test_account_deletion_keeps_attempts_anonymous(
    client: FlaskClient, app: Flask, learner: User, login: Callable[..., FlaskClient], db: Session
) -> None:
    login(learner)
    take(client, "m1-quiz", RIGHT)
    wrong = client.post("/account/delete", data={"password": "pas-le-bon-mot"})
    assert wrong.status_code == 400
    assert "Mot de passe incorrect." in wrong.text
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 302
    assert response.location == "/login"
    assert client.get("/").status_code == 302  # logged out
    again = app.test_client().post(
        "/login", data={"email": "learner@example.org", "password": PASSWORD}
    )
    assert again.status_code == 400
    assert db.scalar(select(func.count()).select_from(Submission)) == 1
    assert db.scalar(select(func.count()).select_from(AnswerRow)) == 5
    db.expire_all()
    user = db.get(User, learner.id)
    assert user is not None
    assert user.display_name == "Compte effacé"


def test_staff_accounts_cannot_erase_themselves(
    client: FlaskClient, make_user: Callable[..., User], login: Callable[..., FlaskClient]
) -> None:
    login(make_user("trainer@example.org", role="trainer"))
    assert client.get("/account/delete").status_code == 403
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 403


def miss_in_m1(client: FlaskClient) -> None:
    # Three questions wrong (q-single, q-vf, q-text), then a pass to open module 2.
    take(client, "m1-quiz", {**RIGHT, "q-q-single": ["b"], "q-q-vf": ["true"], "q-q-text": ["x"]})
    take(client, "m1-quiz", RIGHT)


def test_warmup_offers_missed_questions_and_stores_nothing(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient], db: Session
) -> None:
    login(learner)
    miss_in_m1(client)
    assert 'href="/modules/m2/warmup"' in client.get("/modules/m2").text
    page = client.get("/modules/m2/warmup").text
    prompts = re.findall(r'<legend id="warmup-\d-numero">Question \d', page)
    assert len(prompts) == 3
    assert "Quelle est la bonne réponse ?" in page
    assert "Le ciel est vert." in page
    names = set(re.findall(r'name="(w\d-q-[a-z-]+)"', page))
    single = next(n for n in names if n.endswith("q-q-single"))
    vf = next(n for n in names if n.endswith("q-q-vf"))
    counts = [db.scalar(select(func.count()).select_from(t)) for t in (Attempt, AnswerRow, Event)]
    db.rollback()  # end the test's transaction: on SQLite it holds the write lock
    result = client.post("/modules/m2/warmup", data={single: ["a"], vf: ["true"]})
    assert result.status_code == 200
    assert "1 / 3 <small>réponses justes</small>" in result.text
    assert "Il est bleu." in result.text  # feedback of the missed true/false
    after = [db.scalar(select(func.count()).select_from(t)) for t in (Attempt, AnswerRow, Event)]
    assert after == counts


def test_warmup_needs_three_missed_questions(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    take(client, "m1-quiz", RIGHT)
    page = client.get("/modules/m2/warmup").text
    assert "Rien à revoir pour l'instant" in page
    assert "<legend>Question" not in page


def test_warmup_of_a_locked_module_is_refused(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    assert client.get("/modules/m2/warmup").status_code == 403
    assert client.post("/modules/m2/warmup").status_code == 403
    assert client.get("/modules/nope/warmup").status_code == 404
    assert "échauffement" not in client.get("/modules/m1").text.lower()


def test_wrong_passwords_on_account_deletion_are_throttled(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient], db: Session
) -> None:
    login(learner)
    for _ in range(throttle.PER_EMAIL):
        assert client.post("/account/delete", data={"password": "pas-le-bon"}).status_code == 400
    refused = client.post("/account/delete", data={"password": PASSWORD})
    assert refused.status_code == 429
    assert "Patientez" in refused.text
    assert db.scalar(select(func.count()).select_from(ErasedAccount)) == 0


def test_erasure_forgets_the_accounts_failed_logins(
    client: FlaskClient, app: Flask, learner: User, login: Callable[..., FlaskClient], db: Session
) -> None:
    login(learner)
    stranger = app.test_client()
    failed = stranger.post("/login", data={"email": learner.email, "password": "x"})
    assert failed.status_code == 400
    wrong = client.post("/account/delete", data={"password": "pas-le-bon"})
    assert wrong.status_code == 400
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    assert db.scalar(select(func.count()).select_from(FailedLogin)) == 0


def test_the_trainers_pages_give_a_cbm_quizs_scores_on_the_certainty_scale(
    app: Flask,
    client: FlaskClient,
    db: Session,
    learner: User,
    make_user: Callable[..., User],
    login: Callable[..., FlaskClient],
) -> None:
    trainer = make_user("formatrice@example.org", role="trainer")
    cohort = cohorts.create_cohort(db, "Groupe", trainer.id, now=now())
    cohorts.join(db, cohort, learner.id, now=now())
    db.commit()
    login(learner)
    open_m3(client)
    take(client, "m3-quiz", m3("3"))  # sure and right: the best certainty score, +3
    coach = app.test_client()
    login(trainer, on=coach)
    board = coach.get(f"/trainer/cohorts/{cohort.id}").text
    assert '<td class="num" id="fig-median-m3">+3</td>' in board
    assert '<td class="num" id="fig-median-m1">100\u00a0%</td>' in board
    chart = board[board.index("Séance 3 : Quiz de fin") :]
    chart = unescape(chart[: chart.index("</svg>")])
    assert "seuil +1,5" in chart
    assert "jusqu'à +0,3, scores négatifs compris : 0" in chart
    assert "+2,7 à +3 : 1" in chart
    report = coach.get(f"/trainer/cohorts/{cohort.id}/report").text
    row = report[report.index("3. ") :]
    row = row[: row.index("</tr>")]
    assert '<td class="num">+3</td>' in row
    assert "+1,5 en score de certitude" in row
    learner_page = coach.get(f"/trainer/cohorts/{cohort.id}/learners/{learner.id}").text
    assert '<td class="num">+3</td>' in learner_page
    assert "100\u00a0%, score de certitude +3, réussie" in learner_page  # what made it pass
    summaries = re.findall(r"<summary>(.*?)</summary>", learner_page, re.S)
    assert len(summaries) == 3
    for summary in summaries:  # only the quiz scored by certainty gives its certainty score
        assert ("score de certitude" in summary) == ("Quiz de fin" in summary)
    export = coach.get(f"/trainer/cohorts/{cohort.id}/export.csv").text
    header, line = export.splitlines()[:2]
    columns = header.split(";")
    assert '"Séance 3 : meilleur score de certitude (-6 à +3)"' in columns
    assert (
        line.split(";")[columns.index('"Séance 3 : meilleur score de certitude (-6 à +3)"')]
        == '"3"'
    )
