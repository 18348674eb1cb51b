"""Outgoing mail through Flask-Mailman: one function to send, and the embedded default backend.

Settings are Flask-Mailman's (`MAIL_SERVER`, `MAIL_PORT`, `MAIL_USE_TLS`, `MAIL_USE_SSL`,
`MAIL_USERNAME`, `MAIL_PASSWORD`, `MAIL_DEFAULT_SENDER`, `MAIL_BACKEND`). With neither a server
nor a backend set, mails are printed on the console and kept in `instance/mail/` (in tests,
kept in memory instead).
"""

from __future__ import annotations

import smtplib
import sys
from collections.abc import Sequence
from typing import Any

from flask import Flask, current_app
from flask_mailman import EmailMessage, Mail
from flask_mailman.backends.file import EmailBackend as FileEmailBackend

from course.services.db import forbid_write_lock

EMBEDDED_BACKEND = "course.web.mail.EmbeddedEmailBackend"
mailman = Mail()


class EmbeddedEmailBackend(FileEmailBackend):  # type: ignore[misc]
    """Write each mail to the console and to a file in `MAIL_FILE_PATH` (instance/mail/)."""

    def write_message(self, message: Any) -> None:
        """Print the mail, then append it to this connection's file."""
        super().write_message(message)
        text = message.message().as_bytes().decode("utf-8", errors="replace")
        print(f"{text}\n{'-' * 79}", file=sys.stdout, flush=True)


def init_app(app: Flask) -> None:
    """Choose the backend (SMTP when a server is set) and install Flask-Mailman."""
    if not app.config.get("MAIL_BACKEND"):
        if app.config.get("MAIL_SERVER"):
            app.config["MAIL_BACKEND"] = "smtp"
        elif app.testing:
            app.config["MAIL_BACKEND"] = "locmem"
        else:
            app.config["MAIL_BACKEND"] = EMBEDDED_BACKEND
            print(
                "Courriels : aucun serveur SMTP (MAIL_SERVER) n'est configuré ; chaque message "
                f"est affiché ici et enregistré dans {app.config['MAIL_FILE_PATH']}/.",
                file=sys.stderr,
            )
    mailman.init_app(app)


def send_mail(to: str | Sequence[str], subject: str, body: str) -> bool:
    """Send a plain-text mail from MAIL_DEFAULT_SENDER; return False (logged) if it failed."""
    forbid_write_lock("sending a mail")
    recipients = [to] if isinstance(to, str) else list(to)
    message = EmailMessage(subject=subject, body=body, to=recipients)
    try:
        return bool(message.send())
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("could not send the mail %r to %s", subject, recipients)
        return False
