"""Account forms (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Field, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from course.domain.numbers import decimal
from course.domain.passwords import MIN_LENGTH, RULE

from .passwords import StrongPassword

MIN_PASSWORD = MIN_LENGTH
NAME_HINT = (
    "Il est imprimé sur votre certificat : "
    "indiquez vos prénom et nom tels qu'ils doivent y figurer."
)


def at_most(limit: int) -> Length:
    """Return a length limit that says itself in French (« 80 caractères au plus. »)."""
    return Length(max=limit, message=f"{decimal(limit)} caractères au plus.")


def _strip(value: str | None) -> str | None:
    """Drop the spaces a phone's keyboard adds around an address."""
    return value.strip() if isinstance(value, str) else value


def email_field(label: str = "Adresse e-mail") -> Field:
    """Return a required, well-formed e-mail field (spaces around it ignored)."""
    return EmailField(
        label,
        filters=[_strip],
        validators=[
            DataRequired("Indiquez votre adresse e-mail."),
            Email("Cette adresse e-mail n'est pas valide.", check_deliverability=False),
            at_most(254),
        ],
    )


def display_name_field() -> Field:
    """Return the display-name field, saying that the certificate prints it."""
    return StringField(
        "Nom affiché",
        description=NAME_HINT,
        validators=[DataRequired("Indiquez le nom à afficher."), at_most(80)],
    )


def new_password_field(label: str = "Mot de passe") -> Field:
    """Return a field for a new password, saying the rule it must follow."""
    return PasswordField(
        label,
        description=RULE,
        validators=[DataRequired("Choisissez un mot de passe."), StrongPassword()],
    )


def confirm_field() -> Field:
    """Return the field repeating the new password."""
    return PasswordField(
        "Confirmez le mot de passe",
        validators=[EqualTo("password", "Les deux mots de passe ne sont pas identiques.")],
    )


def current_password_field(field_id: str | None = None) -> Field:
    """Return the field asking for the account's current password."""
    return PasswordField(
        "Mot de passe actuel",
        id=field_id,
        validators=[DataRequired("Indiquez votre mot de passe actuel."), at_most(200)],
    )


class RegisterForm(FlaskForm):
    email = email_field()
    display_name = display_name_field()
    password = new_password_field()
    confirm = confirm_field()
    join_code = StringField("Code de groupe (facultatif)", validators=[Optional(), at_most(40)])


class LoginForm(FlaskForm):
    email = EmailField(
        "Adresse e-mail",
        validators=[DataRequired("Indiquez votre adresse e-mail."), at_most(254)],
    )
    password = PasswordField(
        "Mot de passe", validators=[DataRequired("Indiquez votre mot de passe."), at_most(200)]
    )
    remember = BooleanField("Rester connecté")


class ForgotForm(FlaskForm):
    email = email_field("Adresse e-mail de votre compte")


class ResetForm(FlaskForm):
    password = new_password_field("Nouveau mot de passe")
    confirm = confirm_field()


class NameForm(FlaskForm):
    action = HiddenField(default="name", id="action-name")
    display_name = display_name_field()


class EmailChangeForm(FlaskForm):
    action = HiddenField(default="email", id="action-email")
    email = email_field("Nouvelle adresse e-mail")
    current_password = current_password_field("email-current-password")


class PasswordChangeForm(FlaskForm):
    action = HiddenField(default="password", id="action-password")
    current_password = current_password_field()
    password = new_password_field("Nouveau mot de passe")
    confirm = confirm_field()
