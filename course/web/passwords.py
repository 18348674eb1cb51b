"""New passwords on the web: the bundled list of common passwords and a form validator."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.validators import ValidationError

from course.domain.passwords import password_problem

COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt.gz"


@cache
def common_passwords() -> frozenset[str]:
    """Return the bundled common and breached passwords (read once per process)."""
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        # Lower-cased here too: a few entries of the source list carry capitals (mis-encoded
        # Cyrillic), and the rule compares lower-cased passwords.
        return frozenset(line.rstrip("\n").lower() for line in lines)


def account_words(form: FlaskForm) -> tuple[str, str]:
    """Return the e-mail and name of the account a new password is for."""
    owner = getattr(form, "owner", None)  # set by a view that knows the account (reset link)
    if owner is not None:
        return owner
    email = getattr(form, "email", None)
    name = getattr(form, "display_name", None)
    if email is not None or name is not None:
        return (email.data if email else "") or "", (name.data if name else "") or ""
    if current_user.is_authenticated:
        return current_user.email, current_user.display_name
    return "", ""


class StrongPassword:
    """WTForms validator applying the one password rule."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        email, name = account_words(form)
        problem = password_problem(
            field.data or "", email=email, name=name, common=common_passwords()
        )
        if problem is not None:
            raise ValidationError(problem)
