"""Outgoing mail: through a real SMTP server, and the embedded default's copy in a folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from course.web.mail import send_mail
from tests.conftest import make_app
from tests.smtp_sink import SmtpSink, body_of


def test_a_mail_goes_out_over_smtp(mail_app: Flask, smtp_server: SmtpSink) -> None:
    with mail_app.app_context():
        assert send_mail("claire@example.org", "Bonjour", "Un message accentué : été.")
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "claire@example.org"
    assert message["From"] == "Cours <cours@example.org>"
    assert message["Subject"] == "Bonjour"
    assert body_of(message).strip() == "Un message accentué : été."


def test_an_unreachable_server_is_reported_not_raised(database_url: str, tmp_path: Path) -> None:
    app = make_app(database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=2)
    with app.app_context():
        assert send_mail("claire@example.org", "Bonjour", "x") is False
    app.extensions["database"].dispose()


def test_the_embedded_default_prints_and_keeps_each_mail(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(database_url, TESTING=False, MAIL_FILE_PATH=str(tmp_path / "mail"))
    with app.app_context():
        assert send_mail("claire@example.org", "Bonjour", "Le corps du message.")
    app.extensions["database"].dispose()
    [kept] = (tmp_path / "mail").iterdir()
    assert "Le corps du message." in kept.read_text()
    out, err = capsys.readouterr()
    assert "Le corps du message." in out
    assert str(tmp_path / "mail") in err
