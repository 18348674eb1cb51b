"""The Alembic wiring: its configuration for a database, and the code's schema revisions."""

from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory

from .config import REPO_ROOT


def alembic_config(url: str) -> Config:
    """Return the Alembic configuration for this project and database."""
    cfg = Config()
    cfg.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    cfg.attributes["database_url"] = url
    return cfg


def code_revisions(url: str) -> list[str]:
    """Return the code's schema revisions (the migrations), oldest first."""
    script = ScriptDirectory.from_config(alembic_config(url))
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]
