"""Account forms (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

MIN_PASSWORD = 8


class RegisterForm(FlaskForm):
    email = EmailField(
        "Adresse e-mail",
        validators=[
            DataRequired("Indiquez votre adresse e-mail."),
            Email("Cette adresse e-mail n'est pas valide.", check_deliverability=False),
            Length(max=254),
        ],
    )
    display_name = StringField(
        "Nom affiché",
        validators=[DataRequired("Indiquez le nom à afficher."), Length(max=80)],
    )
    password = PasswordField(
        "Mot de passe",
        validators=[
            DataRequired("Choisissez un mot de passe."),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=f"Le mot de passe doit compter de {MIN_PASSWORD} à 200 caractères.",
            ),
        ],
    )
    confirm = PasswordField(
        "Confirmez le mot de passe",
        validators=[EqualTo("password", "Les deux mots de passe ne sont pas identiques.")],
    )
    join_code = StringField("Code de groupe (facultatif)", validators=[Optional(), Length(max=40)])


class LoginForm(FlaskForm):
    email = EmailField(
        "Adresse e-mail",
        validators=[DataRequired("Indiquez votre adresse e-mail."), Length(max=254)],
    )
    password = PasswordField(
        "Mot de passe", validators=[DataRequired("Indiquez votre mot de passe."), Length(max=200)]
    )
