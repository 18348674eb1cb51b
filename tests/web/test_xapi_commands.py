"""The xapi commands: export writes JSON lines; forward refuses to run without an LRS."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from course.services.models import User

from .test_journey import RIGHT, start_attempt


def test_export_writes_one_statement_per_line_from_a_date(
    app: Flask,
    client: FlaskClient,
    learner: User,
    login: Callable[..., FlaskClient],
    tmp_path: Path,
) -> None:
    login(learner)
    client.post(start_attempt(client, "m1-quiz"), data=RIGHT)
    app.config["PUBLIC_URL"] = "https://parcours.example"
    output = tmp_path / "statements.jsonl"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["xapi", "export", "--output", str(output)])
    assert result.exit_code == 0, result.output
    lines = output.read_text(encoding="utf-8").splitlines()
    statements = [json.loads(line) for line in lines]
    assert len(statements) >= 7  # registered, attempted, 5 answers, passed…
    assert all(s["actor"]["account"]["homePage"] == "https://parcours.example" for s in statements)
    assert f"{len(lines)} statement(s) written" in result.output
    later = runner.invoke(args=["xapi", "export", "--since", "2999-01-01"])
    assert later.exit_code == 0
    assert later.output.strip() == ""
    bad = runner.invoke(args=["xapi", "export", "--since", "hier"])
    assert bad.exit_code == 2
    assert "ISO date" in bad.output


def test_forward_without_an_lrs_says_so(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["xapi", "forward"])
    assert result.exit_code == 1
    assert "LRS_URL is not set" in result.output
