"""A learner, in a real browser: register, read, fail then pass the quiz, open the next module."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect


def question(page: Page, text: str) -> Locator:
    """Find a question's group by its text, as a screen reader names it."""
    return page.get_by_role("group", name=re.compile(r"^Question \d+ " + re.escape(text)))


def answer_right(page: Page) -> None:
    question(page, "Quelle est la bonne réponse ?").get_by_label("La bonne").check()
    question(page, "Lesquelles ?").get_by_label("A", exact=True).check()
    question(page, "Lesquelles ?").get_by_label("B", exact=True).check()
    question(page, "Le ciel est vert.").get_by_label("Faux").check()
    question(page, "Combien ?").get_by_label("Votre réponse").fill("69")
    question(page, "Le mot ?").get_by_label("Votre réponse").fill("catalyse territoriale")


def register(page: Page, live_url: str, email: str, name: str) -> None:
    page.goto(f"{live_url}/register")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Nom affiché").fill(name)
    page.get_by_label("Mot de passe", exact=True).fill("un-long-mot-de-passe")
    page.get_by_label("Confirmez le mot de passe").fill("un-long-mot-de-passe")
    page.get_by_role("button", name="Créer mon compte").click()


def test_learner_journey_in_the_browser(page: Page, live_url: str) -> None:
    register(page, live_url, "helene@example.org", "Hélène")
    expect(page.get_by_text("Bienvenue ! Votre compte est créé.")).to_be_visible()
    expect(page.locator(".module.state-locked")).to_have_count(2)

    # « Continuer » proposes the pre-test first; this learner goes straight to the steps.
    expect(page.get_by_role("button", name="Continuer : le positionnement")).to_be_visible()
    page.get_by_role("link", name="Passer directement à la première étape").click()
    expect(page.get_by_role("heading", name="Introduction")).to_be_visible()
    expect(page.get_by_text("Étape 1 sur 2")).to_be_visible()
    page.get_by_role("button", name="Marquer comme terminée et continuer").click()
    page.get_by_role("button", name="Marquer comme terminée et continuer").click()

    page.get_by_role("button", name="Commencer le quiz").click()
    question(page, "Quelle est la bonne réponse ?").get_by_label("La mauvaise").check()
    page.get_by_role("button", name="Valider mes réponses").click()
    # Four questions left blank: the form comes back, says so first, and keeps the answer.
    expect(page).to_have_title(re.compile("^Erreur : "))
    summary = page.locator("#erreurs")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("4 questions sans réponse")
    expect(summary.get_by_role("link", name="Le ciel est vert.")).to_have_attribute(
        "href", "#question-q-vf"
    )
    mauvaise = question(page, "Quelle est la bonne réponse ?").get_by_label("La mauvaise")
    expect(mauvaise).to_be_checked()
    page.get_by_role("button", name="Valider quand même").click()
    expect(page.get_by_text("Pas encore réussi")).to_be_visible()

    page.get_by_role("link", name="Retour à la séance").first.click()
    page.get_by_role("button", name="Nouvelle tentative").click()
    # Half the answers, saved as a draft; coming back to the attempt finds them.
    question(page, "Quelle est la bonne réponse ?").get_by_label("La bonne").check()
    question(page, "Le mot ?").get_by_label("Votre réponse").fill("catalyse territoriale")
    page.get_by_role("button", name="Enregistrer sans valider").click()
    expect(page.get_by_text("Brouillon enregistré le")).to_be_visible()
    page.goto(live_url + "/quizzes/m1-quiz/attempts")
    page.get_by_role("link", name="Reprendre la tentative en cours").click()
    expect(question(page, "Quelle est la bonne réponse ?").get_by_label("La bonne")).to_be_checked()
    expect(question(page, "Le mot ?").get_by_label("Votre réponse")).to_have_value(
        "catalyse territoriale"
    )
    answer_right(page)
    page.get_by_role("button", name="Valider mes réponses").click()
    expect(page.get_by_text("Quiz réussi")).to_be_visible()

    page.goto(live_url + "/")
    expect(page.locator(".module.state-locked")).to_have_count(1)
    page.get_by_role("link", name="La suite", exact=True).click()
    expect(page.get_by_role("heading", name="La suite", level=1)).to_be_visible()
