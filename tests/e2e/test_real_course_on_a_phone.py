"""The real course at 390 by 844, with a learner who went through it all and a demo cohort
(screenshots/site.py): every page fits without sideways scrolling and passes axe-core, and every
chart's text reads at 12 px or more, its labels whole."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from course.content.model import Course
from screenshots.site import ACTORS, DemoSite, demo_site
from tests.e2e.test_every_page_on_a_phone import PHONE, problems

MIN_FONT = 12  # CSS px, as rendered
# Each chart's text as rendered: font size in CSS px, the lines of each label joined with a
# space, and whether it lies inside its SVG (a label past the edge is cut by it).
CHART_TEXT = """() => {
  const found = [];
  for (const text of document.querySelectorAll('svg.chart text')) {
    const svg = text.ownerSVGElement, frame = svg.getBoundingClientRect();
    const box = text.getBoundingClientRect();
    const scale = frame.width / svg.viewBox.baseVal.width;
    const spans = text.querySelectorAll('tspan');
    const words = spans.length ? Array.from(spans, s => s.textContent).join(' ') : text.textContent;
    const inside = box.left >= frame.left - 0.5 && box.right <= frame.right + 0.5
      && box.top >= frame.top - 0.5 && box.bottom <= frame.bottom + 0.5;
    found.push([words, parseFloat(text.getAttribute('font-size')) * scale, inside]);
  }
  for (const cell of document.querySelectorAll('table.map caption, table.map th, table.map li')) {
    found.push([cell.textContent, parseFloat(getComputedStyle(cell).fontSize), true]);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    with demo_site(tmp_path_factory.mktemp("demo"), learners=30) as made:
        yield made


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    yield context.new_page()
    context.close()


def log_in(page: Page, site: DemoSite, email: str) -> None:
    page.goto(f"{site.url}/login")
    page.fill("#email", email)
    page.fill("#password", site.password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def chart_text(page: Page, where: str) -> tuple[list[str], list[str]]:
    """Return the chart's texts and what is wrong with them (too small, past the edge)."""
    found, wrong = [], []
    for words, size, inside in page.evaluate(CHART_TEXT):
        found.append(words)
        if size < MIN_FONT:
            wrong.append(f"{where}: « {words} » at {size:.1f} px")
        if not inside:
            wrong.append(f"{where}: « {words} » drawn past the chart's edge")
    return found, wrong


def test_every_chart_reads_on_a_phone_with_whole_labels(phone: Page, site: DemoSite) -> None:
    course: Course = site.app.extensions["course"]
    log_in(phone, site, site.learner)
    wrong: list[str] = []
    seen: dict[str, list[str]] = {}
    charted = [t for t in course.tools.values() if t.results.chart]
    for path in [f"/tools/{t.id}" for t in charted] + ["/progress"]:
        phone.goto(site.url + path)
        seen[path], problems = chart_text(phone, path)
        wrong += problems
    phone.context.clear_cookies()
    log_in(phone, site, site.trainer)
    phone.goto(site.url + "/trainer/")
    phone.locator("main a[href^='/trainer/cohorts/']").first.click()
    for path in (phone.url, phone.url.rstrip("/") + "/report"):
        phone.goto(path)
        seen[path], problems = chart_text(phone, path)
        wrong += problems
    assert wrong == [], "\n".join(wrong)

    # Every chart drew text, and the labels are whole: each score's name, each actor's name.
    # (Tools whose rows the demo learner left empty show no chart.)
    drawn = [p for p, texts in seen.items() if texts]
    assert len(drawn) == len(seen) - 4, drawn
    for tool in charted:
        texts = " | ".join(seen[f"/tools/{tool.id}"])
        spec = tool.results.chart
        if spec is None or spec.type == "map" or not texts:
            continue
        for score in spec.scores:
            label = next(s.label for s in tool.results.scores if s.id == score)
            assert label in texts, f"{tool.id}: « {label} » not whole in {texts}"
    map_texts = seen["/tools/carte-acteurs"]
    for name, _, _ in ACTORS:
        assert name in map_texts
    assert {"Communauté d", "Acteur académiqu"}.isdisjoint(map_texts)


def test_the_radar_is_titled_with_its_scale_and_a_level_is_no_percentage(
    phone: Page, site: DemoSite
) -> None:
    log_in(phone, site, site.learner)
    phone.goto(site.url + "/tools/carre-magique")
    caption = phone.locator("figure.chart-figure figcaption")
    assert caption.is_visible()
    assert re.sub(r"\s+", " ", caption.inner_text()) == (
        "Le carré magique de votre territoire "
        "Du centre (1 · Très fragile) au bord (5 · Très solide)."
    )
    marks = phone.locator("figure.chart-figure svg text").all_text_contents()
    assert {"1", "2", "3", "4", "5"} <= set(marks)
    # « 2 · Fragile » is said on its scale, in the table and in the flags, never as « 25 % ».
    row = phone.get_by_role("row", name=re.compile("^Attractivité"))
    assert row.inner_text().split("\t")[-1] == "2 sur 5 · Fragile"
    results = phone.locator("#resultats").inner_text()
    assert "Attractivité (2 sur 5 · Fragile)" in results
    assert "25 %" not in results.replace("\u00a0", " ")
    assert "Volet économique\t1,5 sur 5" in results


def test_every_page_of_the_real_course_fits_a_phone_and_passes_axe(
    phone: Page, site: DemoSite
) -> None:
    course: Course = site.app.extensions["course"]
    found: list[str] = []
    log_in(phone, site, site.learner)
    learner_pages = [
        "/",
        "/progress",
        "/account",
        "/about",
        "/join",
        *(f"/pages/{p.id}" for p in course.pages),
        *(f"/modules/{m.id}" for m in course.modules),
        *(f"/modules/{m.id}/steps/{s.id}" for m in course.modules for s in m.steps),
        *(f"/tools/{t}" for t in course.tools),
        *(f"/tools/{t}/print" for t in course.tools),
        *(f"/quizzes/{q}/attempts" for q in course.quizzes),
        *(path for what, path in site.pages.items() if what != "module"),
    ]
    for path in learner_pages:
        found += visit(phone, site, path)
    phone.goto(site.url + "/tools/carre-magique")  # a tool sent without its required name
    phone.fill("#f-nom", "")
    phone.get_by_role("button", name="Enregistrer mon travail").click()
    phone.wait_for_load_state()
    assert phone.title().startswith("Erreur : ")
    expect(phone.locator("#erreurs")).to_be_focused()  # autofocus, once rendered
    found += problems(phone, "/tools/carre-magique (erreurs)")
    phone.context.clear_cookies()
    log_in(phone, site, site.trainer)
    phone.goto(site.url + "/trainer/")
    found += problems(phone, "/trainer/")
    phone.locator("main a[href^='/trainer/cohorts/']").first.click()
    cohort = phone.url.removeprefix(site.url).rstrip("/")
    learner = phone.locator("main a[href*='/learners/']").first.get_attribute("href")
    assert learner is not None
    trainer_pages = [
        cohort,
        f"{cohort}/report",
        f"{cohort}/gain",
        learner,
        *(f"{cohort}/quizzes/{q}" for q in course.quizzes),
    ]
    for path in trainer_pages:
        found += visit(phone, site, path)
    assert found == [], "\n".join(found)


def visit(page: Page, site: DemoSite, path: str) -> list[str]:
    response = page.goto(site.url + path)
    assert response is not None
    if response.status >= 400:
        return [f"{path}: {response.status}"]
    return problems(page, path)
