"""`instance/config.py` is read from the instance folder, not from the package."""

from __future__ import annotations

from pathlib import Path

from course import create_app


def test_settings_come_from_the_instance_config_file(tmp_path: Path) -> None:
    (tmp_path / "config.py").write_text(
        f'DATABASE_URL = "sqlite:///{tmp_path / "site.sqlite"}"\n'
        'MAIL_DEFAULT_SENDER = "formation@exemple.org"\n'
        "CONTENT_CACHE = None\n"
    )
    app = create_app(instance_path=tmp_path)
    assert app.config["MAIL_DEFAULT_SENDER"] == "formation@exemple.org"
    assert app.config["DATABASE_URL"].endswith("site.sqlite")
    # The package's own course/config.py is code, not settings: none of its names leak in.
    assert "REPO_ROOT" not in app.config
