"""A live server on a free local port and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from course.services.db import Database
from tests.conftest import make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_config() -> dict[str, object]:
    """Settings for the live server's app (a test module may override this fixture)."""
    return {}


@pytest.fixture
def live_url(tmp_path: Path, live_config: dict[str, object]) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'e2e.sqlite'}"
    database = Database(url)
    database.create_all()
    database.dispose()
    app = make_app(url, **{"WTF_CSRF_ENABLED": True, **live_config})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    app.extensions["database"].dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="fr-FR")
    yield context.new_page()
    context.close()
