"""Forms of the trainer workspace, the join page and the admin's role page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length

from course.domain import reminders
from course.domain.permissions import ROLES


class CohortForm(FlaskForm):
    name = StringField(
        "Nom du groupe",
        validators=[DataRequired("Donnez un nom au groupe."), Length(max=120)],
    )


class TrainerForm(FlaskForm):
    email = EmailField(
        "Adresse e-mail du formateur",
        validators=[DataRequired("Indiquez l'adresse e-mail d'un formateur."), Length(max=254)],
    )


class JoinForm(FlaskForm):
    code = StringField(
        "Code du groupe",
        validators=[DataRequired("Indiquez le code donné par votre formateur."), Length(max=40)],
    )


class WaiverForm(FlaskForm):
    module_id = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(
        "Pourquoi lever ce verrou ?",
        description="Gardé avec la levée du verrou, visible des formateurs du groupe.",
        validators=[
            DataRequired("Indiquez pourquoi vous levez ce verrou."),
            Length(max=500, message="500 caractères au plus."),
        ],
    )


class HandledForm(FlaskForm):
    help_key = HiddenField(validators=[DataRequired(), Length(max=16)])
    back = HiddenField()  # "learner" to come back to the learner's page, else the dashboard


class RoleForm(FlaskForm):
    role = SelectField(
        "Rôle",
        choices=[SelectChoice(role, label) for role, label in ROLES.items()],
        validators=[AnyOf(list(ROLES), message="Rôle inconnu.")],
    )


class ReminderForm(FlaskForm):
    subject = StringField(
        "Objet",
        default=reminders.DEFAULT_SUBJECT,
        validators=[DataRequired("Donnez un objet à la relance."), Length(max=200)],
    )
    message = TextAreaField(
        "Message",
        default=reminders.DEFAULT_MESSAGE,
        description="Repères remplacés pour chaque apprenant : "
        + ", ".join(f"{{{k}}} ({v})" for k, v in reminders.PLACEHOLDERS.items())
        + ".",
        validators=[DataRequired("Écrivez le message de la relance."), Length(max=5000)],
    )
