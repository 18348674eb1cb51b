"""Leaving a quiz page saves its changed answers at once, not at the next autosave tick."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .test_learner_journey import question, register


@pytest.fixture
def live_config() -> dict[str, object]:
    return {"DRAFT_AUTOSAVE_SECONDS": 3600}  # no tick during the test: only leaving saves


def test_answers_given_just_before_leaving_are_there_on_coming_back(
    page: Page, live_url: str
) -> None:
    register(page, live_url, "yanis@example.org", "Yanis")
    page.get_by_role("button", name="Continuer : le positionnement").click()
    attempt = page.url
    question(page, "Vrai ?").get_by_label("Vrai", exact=True).check()
    page.goto(f"{live_url}/progress")  # a few seconds after answering: no tick has saved it
    for _ in range(20):  # the save left with the page; the next request may come first
        page.goto(attempt)
        if question(page, "Vrai ?").get_by_label("Vrai", exact=True).is_checked():
            break
        page.wait_for_timeout(250)
    expect(page.get_by_text("Brouillon enregistré le")).to_be_visible()
    expect(question(page, "Vrai ?").get_by_label("Vrai", exact=True)).to_be_checked()
