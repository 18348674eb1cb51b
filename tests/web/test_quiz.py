"""Quiz integrity on the web: locks, strangers, repeats, limits, bad input, no leaks."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from course.services.models import AnswerRow, Submission, User

from .test_journey import RIGHT, WRONG, start_attempt


def test_locked_quiz_answers_403_with_the_reason(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    response = client.post("/quizzes/m2-quiz/attempts")
    assert response.status_code == 403
    assert "Réussir le quiz « Quiz des bases »" in response.text
    assert "pas encore tenté" in response.text


def test_locked_at_submission_answers_403(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient], db: Session
) -> None:
    login(learner)
    client.post(start_attempt(client, "m1-quiz"), data=RIGHT)
    attempt = start_attempt(client, "m2-quiz")
    # The lock comes back (say a trainer's waiver ends): simulate by removing the pass.
    db.execute(Submission.__table__.update().values(passed=False))
    db.commit()
    assert client.post(attempt, data={"q-q-order": ["un", "deux", "trois"]}).status_code == 403
    assert client.get(attempt).status_code == 403


def test_unknown_quiz_is_404(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    assert client.post("/quizzes/nope/attempts").status_code == 404


def test_a_strangers_attempt_is_404(
    client: FlaskClient, app, learner: User, make_user, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    other = app.test_client()
    login(make_user("other@example.org"), on=other)
    assert other.get(attempt).status_code == 404
    assert other.post(attempt, data=RIGHT).status_code == 404
    assert other.get("/attempts/999999").status_code == 404


def test_the_form_carries_no_correctness_data(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    page = client.get(start_attempt(client, "m1-quiz")).text
    for leak in ("Oui.", "c'est la mauvaise", "Explication", "correct", "La bonne est"):
        assert leak not in page
    assert 'name="c-q-single"' in page  # confidence asked


def test_submitting_twice_stores_one_result(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient], db: Session
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    client.post(attempt, data=WRONG)
    again = client.post(attempt, data=RIGHT)
    assert again.status_code == 302
    assert "Pas encore réussi" in client.get(attempt).text
    assert db.scalar(select(func.count()).select_from(Submission)) == 1
    assert db.scalar(select(func.count()).select_from(AnswerRow)) == 5


def test_bad_input_shows_the_form_again_and_stores_nothing(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient], db: Session
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    response = client.post(attempt, data={**RIGHT, "q-q-num": ["soixante-neuf"]})
    assert response.status_code == 400
    assert "Entrez un nombre" in response.text
    assert 'value="soixante-neuf"' in response.text  # what was typed is kept
    assert 'value="a" checked' in response.text
    assert db.scalar(select(func.count()).select_from(Submission)) == 0


def test_attempt_limit(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    for _ in range(3):
        client.post(start_attempt(client, "m1-quiz"), data=WRONG)
    response = client.post("/quizzes/m1-quiz/attempts")
    assert response.status_code == 403
    assert "toutes les tentatives" in response.text
    module_page = client.get("/modules/m1").text
    assert "Vous avez utilisé toutes vos tentatives." in module_page
    assert "Nouvelle tentative" not in module_page


def test_review_shows_explanations_and_a_link_to_the_step(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    client.post(attempt, data=WRONG)
    review = client.get(attempt).text
    assert "La bonne est la bonne." in review
    assert "Il est bleu." in review  # feedback_wrong of the true/false question
    assert 'href="/modules/m1/steps/m1-intro"' in review
    assert "Réponse attendue" in review


def section(page: str, question_id: str) -> str:
    start = page.index(f'id="question-{question_id}"')
    return page[start : page.index("</section>", start)]


def test_a_true_false_review_gives_the_verdict_in_other_words_than_vrai_and_faux(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    client.post(attempt, data={**RIGHT, "q-q-vf": ["true"]})
    vf = section(client.get(attempt).text, "q-vf")
    assert "Question" in vf
    assert '<span class="ko">✗ Incorrecte</span>' in vf
    assert "Votre réponse : Vrai · Réponse attendue : Faux" in vf
    assert "✗ Faux" not in vf


def test_each_question_links_its_step_once(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    # Sure and wrong: the certainty verdict and the explanation both concern the same step.
    client.post(attempt, data={**RIGHT, "q-q-single": ["b"], "c-q-single": ["3"]})
    single = section(client.get(attempt).text, "q-single")
    assert "Sûr(e) mais faux" in single
    assert single.count("Revoir l'étape") == 1
    assert single.count('href="/modules/m1/steps/m1-intro"') == 1


def test_each_question_group_is_named_by_its_text(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    page = client.get(start_attempt(client, "m1-quiz")).text
    group = re.search(r'<fieldset [^>]*id="question-q-vf" aria-labelledby="([^"]+)"', page)
    assert group is not None
    named_by = group.group(1).split()
    assert len(named_by) == 2
    number, text = (re.search(rf'id="{i}">(.*?)</', page, re.S) for i in named_by)
    assert number is not None
    assert re.fullmatch(r"Question \d", number.group(1))
    assert text is not None
    assert "Le ciel est vert." in text.group(1)


def test_unanswered_questions_send_the_form_back_until_confirmed(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient], db: Session
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    partial = {"q-q-single": ["b"], "q-q-num": ["69"], "c-q-vf": ["2"]}  # q-vf: a certainty only
    response = client.post(attempt, data=partial)
    assert response.status_code == 400
    page = response.text
    assert "<title>Erreur : Quiz des bases" in page
    summary = page[page.index('id="erreurs"') : page.index('<form method="post" class="quiz"')]
    assert '<div class="error-summary" id="erreurs" tabindex="-1" autofocus' in page
    assert "3 questions sans réponse" in summary
    listed = re.findall(r'<a href="#question-([a-z-]+)">Question (\d) : ([^<]+)</a>', summary)
    texts = {qid: text for qid, _, text in listed}
    assert texts == {
        "q-multiple": "Lesquelles ?",
        "q-vf": "Le ciel est vert.",
        "q-text": "Le mot ?",
    }
    order = re.findall(r'id="question-([a-z-]+)" aria-labelledby', page)
    assert all(order.index(qid) + 1 == int(n) for qid, n, _ in listed)  # numbered as shown
    assert 'value="b" checked' in page  # what was chosen is kept
    assert 'value="69"' in page
    assert 'name="c-q-vf" value="2" checked' in page
    assert '<button type="submit" name="confirm_blank" value="1">Valider quand même<' in page
    buttons = re.findall(r"<button[^>]*>([^<]+)</button>", page.split('class="quiz"')[1])
    assert buttons[:2] == ["Valider mes réponses", "Valider quand même"]  # Enter: the first
    assert db.scalar(select(func.count()).select_from(Submission)) == 0
    db.rollback()  # end the test's transaction: on SQLite it holds the write lock

    assert client.post(attempt, data={**partial, "confirm_blank": "1"}).status_code == 302
    assert db.scalar(select(Submission.score)) == 1 / 5  # scored only once confirmed
    assert "Votre réponse : <em>sans réponse</em>" in client.get(attempt).text


def test_unreadable_and_unanswered_questions_are_listed_together(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient], db: Session
) -> None:
    login(learner)
    attempt = start_attempt(client, "m1-quiz")
    response = client.post(attempt, data={"q-q-num": ["beaucoup"], "confirm_blank": "1"})
    assert response.status_code == 400
    assert "Certaines réponses ne peuvent pas être lues" in response.text
    assert "Question" in response.text
    assert "Valider quand même" not in response.text  # confirmed blanks are not asked about again
    response = client.post(attempt, data={"q-q-num": ["beaucoup"]})
    assert "Ces questions sont aussi sans réponse" in response.text
    assert db.scalar(select(func.count()).select_from(Submission)) == 0
