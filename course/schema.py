"""The Alembic wiring: its configuration for a database, and the code's schema revisions.

Alembic (~11 MB) is imported when a command first needs it, not by every serving worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import REPO_ROOT

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(url: str) -> Config:
    """Return the Alembic configuration for this project and database."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    cfg.attributes["database_url"] = url
    return cfg


def code_revisions(url: str) -> list[str]:
    """Return the code's schema revisions (the migrations), oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(url))
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]
