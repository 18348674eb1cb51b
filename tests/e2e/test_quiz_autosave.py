"""A quiz page saves changed answers as a draft in the background, and says when it cannot."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .test_every_page_on_a_phone import axe_violations
from .test_learner_journey import question, register


@pytest.fixture
def live_config() -> dict[str, object]:
    return {"DRAFT_AUTOSAVE_SECONDS": 1}  # the page's default is two minutes


def test_changed_answers_are_saved_in_the_background(
    page: Page, live_url: str, tmp_path: Path
) -> None:
    register(page, live_url, "ines@example.org", "Inès")
    page.get_by_role("button", name="Continuer : le positionnement").click()

    status = page.get_by_role("status").filter(has_text="Brouillon enregistré à")
    first = question(page, "Vrai ?")
    first.get_by_label("Vrai", exact=True).check()
    first.get_by_label("Très sûr(e)").check()
    expect(status).to_have_text(re.compile(r"^Brouillon enregistré à \d{1,2} h \d\d\.$"))
    assert axe_violations(page, "quiz autosaved") == []

    page.reload()  # the draft, not the browser, fills the form again
    expect(page.get_by_text("Brouillon enregistré le")).to_be_visible()
    expect(question(page, "Vrai ?").get_by_label("Vrai", exact=True)).to_be_checked()
    expect(question(page, "Vrai ?").get_by_label("Très sûr(e)")).to_be_checked()

    # The session ends (its row is the truth): the next save says so instead of failing silently.
    with sqlite3.connect(tmp_path / "e2e.sqlite") as found:
        found.execute("DELETE FROM login_sessions")
    question(page, "Faux ?").get_by_label("Faux", exact=True).check()
    expect(page.get_by_role("alert")).to_have_text(
        re.compile("^Votre session a expiré : vos réponses n'ont pas pu être enregistrées")
    )
    expect(question(page, "Faux ?").get_by_label("Faux", exact=True)).to_be_checked()
    assert axe_violations(page, "quiz session expired") == []
