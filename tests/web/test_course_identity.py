"""What a page says about its course comes from the course's own files, not from the engine."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient

from course.services.models import User
from tests.conftest import FIXTURE_COURSE, make_app

STEP = "/modules/m1/steps/m1-intro"  # kind: reading


def test_a_course_without_footer_or_labels_shows_no_footer_and_the_default_labels(
    client: FlaskClient, learner: User, login: Callable[[User], FlaskClient]
) -> None:
    page = login(learner).get(STEP).text
    assert '<footer class="site">' not in page
    assert "MOOC" not in page
    assert "Lecture" in page


def test_the_footer_and_the_labels_of_step_kinds_come_from_course_md(
    database_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "c"
    shutil.copytree(FIXTURE_COURSE, folder)
    info = folder / "modules" / "course.md"
    info.write_text(
        info.read_text().replace(
            'subtitle: "Un petit cours pour les tests"\n',
            'subtitle: "Un petit cours pour les tests"\n'
            "footer: \"D'après le cours de l'eau <2026>.\"\n"
            'step_kinds: {reading: "À lire"}\n',
        )
    )
    app = make_app(database_url, folder)
    try:
        page = app.test_client().get("/login").text
        assert "<p>D&#39;après le cours de l&#39;eau &lt;2026&gt;.</p>" in page
        labels = app.jinja_env.globals["STEP_KINDS"]
        assert labels["reading"] == "À lire"
        assert labels["action"] == "Passons à l'action"
    finally:
        app.extensions["database"].dispose()
