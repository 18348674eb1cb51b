"""`make screenshots`: the main pages at desktop and phone sizes, into docs/screenshots/.

Seeds a throw-away demo site (screenshots/site.py: the real course, the demo cohort, a learner
who went through it all), serves it on a free local port and photographs each page with
Playwright and Debian's Chromium, the viewport only, as PNG with a 256-colour palette:
`<page>-desktop.png` (1280 by 800) and `<page>-phone.png` (390 by 844).

    python -m screenshots [--out docs/screenshots] [--only home,quiz]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

from course.config import REPO_ROOT

from .site import DemoSite, demo_site

CHROMIUM = "/usr/bin/chromium"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _learner_pages(site: DemoSite) -> dict[str, str]:
    return {
        "home": "/",
        "step": site.pages["step"],
        "quiz": site.pages["form m1-quiz"],
        "review": site.pages["failed"],
        "progress": "/progress",
        "tool": "/tools/carre-magique#resultats",
        "certificate": site.pages["certificate"],
    }


def _trainer_pages(page: Page, site: DemoSite) -> dict[str, str]:
    page.goto(site.url + "/trainer/")
    cohort = page.locator("main a[href^='/trainer/cohorts/']").first.get_attribute("href")
    assert cohort is not None, "the demo trainer has no cohort"
    return {"trainer": cohort, "analytics": f"{cohort}/quizzes/m1-quiz"}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "screenshots")
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args(argv)
    wanted = {n for n in args.only.split(",") if n}
    args.out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    with (
        tempfile.TemporaryDirectory() as folder,
        demo_site(Path(folder)) as site,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for size, viewport in SIZES.items():
            context = browser.new_context(locale="fr-FR", viewport=viewport)  # type: ignore[arg-type]
            page = context.new_page()
            _log_in(page, site, site.learner)
            _shoot(page, site, _learner_pages(site), wanted, args.out, size)
            context.clear_cookies()
            _log_in(page, site, site.trainer)
            _shoot(page, site, _trainer_pages(page, site), wanted, args.out, size)
            context.close()
        browser.close()
    return 0


def _log_in(page: Page, site: DemoSite, email: str) -> None:
    page.goto(site.url + "/login")
    page.fill("#email", email)
    page.fill("#password", site.password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def _shoot(
    page: Page, site: DemoSite, pages: dict[str, str], wanted: set[str], out: Path, size: str
) -> None:
    for name, path in pages.items():
        if wanted and name not in wanted:
            continue
        response = page.goto(site.url + path)
        if response is None or not response.ok:
            raise RuntimeError(f"{path}: {response.status if response else 'no answer'}")
        target = out / f"{name}-{size}.png"
        page.screenshot(path=str(target), animations="disabled", caret="hide")
        _shrink(target)
        print(f"{target.relative_to(REPO_ROOT) if target.is_relative_to(REPO_ROOT) else target}")


def _shrink(png: Path) -> None:
    """Rewrite a screenshot with a 256-colour palette: a few times smaller, the same to read."""
    with Image.open(png) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(png, optimize=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
