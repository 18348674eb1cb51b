"""Every learner and trainer page at 390 by 844: no sideways scrolling and no axe violation.

axe-core (axe-playwright-python) runs with the WCAG 2.0-2.2 A/AA rules and best practices, over
plain pages and forms shown with their errors.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

from course.services import accounts, cohorts, password_resets
from course.services.db import Database
from tests.conftest import PASSWORD, make_app, now
from tests.web.test_journey import RIGHT, WRONG

PHONE = {"width": 390, "height": 844}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
axe = Axe()


@dataclass
class Site:
    url: str
    app: Flask
    attempts: dict[str, str]  # what -> attempt URL
    cohort_id: int
    learner_id: int
    reset_path: str  # a valid password-reset link of the learner's


def _arrange(app: Flask) -> tuple[dict[str, str], int, int, str]:
    """Give the learner a failed then passed quiz and an open one, and a trainer with a cohort."""
    session = app.extensions["database"].session(writer=True)
    learner = accounts.create_user(
        session, email="lea@example.org", display_name="Léa", password=PASSWORD, now=now()
    )
    trainer = accounts.create_user(
        session,
        email="formatrice@example.org",
        display_name="Formatrice",
        password=PASSWORD,
        now=now(),
        role="trainer",
    )
    cohort = cohorts.create_cohort(session, "Groupe « Essai »", trainer.id, now=now())
    cohorts.join(session, cohort, learner.id, now=now())
    issued = password_resets.issue(session, "lea@example.org", now=datetime.now(UTC))
    assert issued is not None
    session.commit()
    ids = (cohort.id, learner.id, f"/password/reset/{issued[1]}")
    session.close()
    client = app.test_client()
    client.post("/login", data={"email": "lea@example.org", "password": PASSWORD})
    for step in ("m1-intro", "m1-pratique"):
        client.post(f"/modules/m1/steps/{step}/complete")
    made = {}
    for name, form in (("failed", WRONG), ("passed", RIGHT)):
        made[name] = _start(client, "m1-quiz")
        client.post(made[name], data={**form, "confirm_blank": "1"})
    made["open"] = _start(client, "m2-quiz")
    return made, *ids


def _start(client: FlaskClient, quiz_id: str) -> str:
    response = client.post(f"/quizzes/{quiz_id}/attempts")
    assert response.status_code == 302, response.text
    return response.location


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    url = f"sqlite:///{tmp_path / 'e2e.sqlite'}"
    database = Database(url)
    database.create_all()
    database.dispose()
    app = make_app(url, SIGNING_KEY_PATH=str(tmp_path / "key.pem"))
    made, cohort_id, learner_id, reset_path = _arrange(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(
        f"http://127.0.0.1:{server.server_port}", app, made, cohort_id, learner_id, reset_path
    )
    server.shutdown()
    thread.join()
    app.extensions["database"].dispose()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    yield context.new_page()
    context.close()


def problems(page: Page, where: str) -> list[str]:
    """Return what is wrong with the page as shown: too wide, or axe violations."""
    found = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        found.append(f"{where}: {width} px wide")
    return found + axe_violations(page, where)


def axe_violations(page: Page, where: str) -> list[str]:
    """Return what axe-core finds on the page as shown."""
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        f"{where}: axe {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def log_in(page: Page, site: Site, email: str) -> None:
    page.goto(f"{site.url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def visit_all(
    page: Page, site: Site, paths: list[str], check: Callable[[str], list[str]]
) -> list[str]:
    found = []
    for path in paths:
        response = page.goto(site.url + path)
        assert response is not None
        if response.status >= 500:
            found.append(f"{path}: {response.status}")
        found += check(path)
    return found


def test_every_page_fits_a_phone_and_passes_axe(phone: Page, site: Site) -> None:
    check = lambda where: problems(phone, where)  # noqa: E731
    found: list[str] = []
    for path, form in (
        ("/register", {"#email": "pas-un-email"}),
        ("/login", {"#email": "x@example.org", "#password": "faux"}),
        ("/password/forgot", {"#email": "pas-un-email"}),
        (
            site.reset_path,
            {"#password": "un-long-mot-de-passe", "#confirm": "un-autre-mot-de-passe"},
        ),
    ):
        found += visit_all(phone, site, [path], check)
        for selector, value in form.items():
            phone.fill(selector, value)
        phone.locator("main button[type=submit]").first.click()
        phone.wait_for_load_state()
        assert phone.title().startswith("Erreur : "), path
        # Autofocus lands after the load event: wait for it rather than read it at once.
        expect(phone.locator("#erreurs"), path).to_be_focused()
        found += check(path + " (erreurs)")

    log_in(phone, site, "lea@example.org")
    learner_pages = [
        "/",
        "/modules/m1",
        "/modules/m1/steps/m1-intro",
        "/modules/m1/steps/m1-pratique",
        "/modules/m2",
        "/modules/m3",
        "/quizzes/m1-quiz/attempts",
        *site.attempts.values(),
        "/tools/outil-1",
        "/progress",
        "/account",
        "/about",
        "/join",
        "/pages/glossaire",
    ]
    found += visit_all(phone, site, learner_pages, check)
    phone.goto(site.url + site.attempts["open"])
    phone.get_by_role("button", name="Valider mes réponses").click()  # nothing answered
    phone.wait_for_load_state()
    assert phone.title().startswith("Erreur : ")
    expect(phone.locator("#erreurs")).to_be_focused()
    found += check("quiz (questions sans réponse)")
    phone.get_by_role("button", name="Enregistrer sans valider").click()
    phone.wait_for_load_state()
    assert "Brouillon enregistré" in phone.inner_text("main")
    found += check("quiz (brouillon)")
    # Each of the account's forms, sent empty: the title says « Erreur », the summary has focus.
    for part in ("nom-titre", "email-titre", "mdp-titre"):
        phone.goto(site.url + "/account")
        section = phone.locator(f"section[aria-labelledby={part}]")
        for box in section.locator(
            "input[type=text], input[type=email], input[type=password]"
        ).all():
            box.fill("")
        section.locator("button[type=submit]").click()
        phone.wait_for_load_state()
        assert phone.title().startswith("Erreur : "), part
        expect(phone.locator("#erreurs"), part).to_be_focused()
        found += check(f"/account ({part}, erreurs)")
    phone.context.clear_cookies()

    log_in(phone, site, "formatrice@example.org")
    cohort = f"/trainer/cohorts/{site.cohort_id}"
    trainer_pages = [
        "/trainer/",
        cohort,
        f"{cohort}/learners/{site.learner_id}",
        f"{cohort}/quizzes/m1-quiz",
        f"{cohort}/gain",
        "/account",
    ]
    found += visit_all(phone, site, trainer_pages, check)
    assert found == [], "\n".join(found)


def test_the_focus_ring_is_visible(phone: Page, site: Site) -> None:
    """A ring of 2 px or more around what the keyboard reached: a field, then a checkbox."""
    ring = (
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.type, s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    phone.goto(site.url + "/login")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    kind, style, width = phone.evaluate(ring)
    assert style != "none"
    assert width >= 2
    phone.locator("#password").focus()
    phone.keyboard.press("Tab")  # « Rester connecté », a checkbox
    kind, style, width = phone.evaluate(ring)
    assert kind == "checkbox"
    assert style != "none"
    assert width >= 2
    box = phone.locator("#remember").bounding_box()
    assert box is not None
    assert box["width"] >= 18  # drawn at 1.15rem, not 13 px


def test_the_header_folds_into_a_menu_on_a_phone_and_opens_with_the_keyboard(
    phone: Page, site: Site
) -> None:
    log_in(phone, site, "lea@example.org")
    header = phone.locator("header.site")
    menu = phone.locator("details.menu summary")
    progress = phone.get_by_role("link", name="Mes progrès")
    box = header.bounding_box()
    assert box is not None
    assert box["height"] <= 80  # the brand and « Menu »: no links wrapping over three lines
    assert menu.is_visible()
    assert not progress.is_visible()
    phone.keyboard.press("Tab")  # « Aller au contenu »
    phone.keyboard.press("Tab")  # the brand
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent") == "Menu"
    assert menu.get_attribute("aria-controls") == "navigation"
    phone.keyboard.press("Enter")
    assert progress.is_visible()
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent") == "Le cours"
    found = problems(phone, "/ (menu ouvert)")
    assert found == [], found
    phone.set_viewport_size({"width": 1280, "height": 800})  # a desktop: links, no « Menu »
    assert not menu.is_visible()
    assert progress.is_visible()
    box = header.bounding_box()
    assert box is not None
    assert box["height"] <= 60  # one line, as before
    found = []
    for path in ("/", "/modules/m1", "/tools/outil-1", "/progress", site.attempts["passed"]):
        phone.goto(site.url + path)
        found += axe_violations(phone, f"{path} (bureau)")
    assert found == [], found


def test_a_new_learners_next_step_and_the_waiver_form_pass_axe(phone: Page, site: Site) -> None:
    """A link beside a form's button (« Passer directement… », « Annuler ») is a target of its
    own, 24 px high at least (axe's target-size, WCAG 2.2)."""
    session = site.app.extensions["database"].session(writer=True)
    accounts.create_user(
        session, email="neuf@example.org", display_name="Neuf", password=PASSWORD, now=now()
    )
    session.commit()
    session.close()
    log_in(phone, site, "neuf@example.org")
    assert "Passer directement à la première étape" in phone.inner_text("main")
    found = problems(phone, "/ (positionnement à faire)")
    phone.context.clear_cookies()
    log_in(phone, site, "formatrice@example.org")
    cohort = f"/trainer/cohorts/{site.cohort_id}"
    waiver = f"{cohort}/learners/{site.learner_id}/waivers/new?module_id=m3"
    found += visit_all(phone, site, [waiver], lambda where: problems(phone, where))
    assert "Annuler" in phone.inner_text("main")
    assert found == [], "\n".join(found)
