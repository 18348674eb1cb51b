"""What README's « Deploying » relies on: settings that exist, and an app that gunicorn can
preload (building it opens no database connection that forked workers would then share)."""

from __future__ import annotations

import re

from tests.conftest import REPO_ROOT, make_app


def deploying_section() -> str:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Deploying")
    return readme[start : readme.index("\n## ", start + 1)]


def test_every_setting_the_deploying_guide_names_is_read_by_the_code() -> None:
    section = deploying_section()
    named = set(re.findall(r"`([A-Z][A-Z0-9_]{3,})`", section))
    named |= set(re.findall(r"^([A-Z][A-Z0-9_]{3,})=", section, re.MULTILINE))
    code = "\n".join(p.read_text(encoding="utf-8") for p in (REPO_ROOT / "course").rglob("*.py"))
    assert {"PUBLIC_URL", "TRUSTED_PROXY_COUNT", "SIGNING_KEY_PATH", "PG_BIN_DIR"} <= named
    assert sorted(name for name in named if f'"{name}"' not in code) == []


def test_building_the_app_opens_no_database_connection(database_url: str) -> None:
    app = make_app(database_url)
    pool = app.extensions["database"].pooled.pool
    assert (pool.checkedin(), pool.checkedout()) == (0, 0)
    app.extensions["database"].dispose()
