"""Forms of the trainer workspace, the join page and the admin's role page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    Field,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, ValidationError

from course.domain import reminders
from course.domain.permissions import ROLES

from .forms import at_most

# A hidden field comes from the page itself: missing, the page was old or forged.
RELOAD = "Le formulaire est incomplet : rechargez la page et recommencez."


def fillable(_form: FlaskForm, field: Field) -> None:
    """Refuse a reminder text the mail could not fill: unknown placeholders, unpaired braces."""
    problems = reminders.template_problems(field.data or "")
    if problems:
        raise ValidationError(" ".join(problems))


class CohortForm(FlaskForm):
    name = StringField(
        "Nom du groupe",
        validators=[DataRequired("Donnez un nom au groupe."), at_most(120)],
    )


class TrainerForm(FlaskForm):
    email = EmailField(
        "Adresse e-mail du formateur",
        validators=[DataRequired("Indiquez l'adresse e-mail d'un formateur."), at_most(254)],
    )


class JoinForm(FlaskForm):
    code = StringField(
        "Code du groupe",
        validators=[DataRequired("Indiquez le code donné par votre formateur."), at_most(40)],
    )


class WaiverForm(FlaskForm):
    module_id = HiddenField(validators=[DataRequired(RELOAD)])
    reason = TextAreaField(
        "Pourquoi lever ce verrou ?",
        description="Gardé avec la levée du verrou, visible des formateurs du groupe.",
        validators=[
            DataRequired("Indiquez pourquoi vous levez ce verrou."),
            at_most(500),
        ],
    )


class HandledForm(FlaskForm):
    help_key = HiddenField(validators=[DataRequired(RELOAD), at_most(16)])
    back = HiddenField()  # "learner" to come back to the learner's page, else the dashboard


class RoleForm(FlaskForm):
    role = SelectField(
        "Rôle",
        choices=[SelectChoice(role, label) for role, label in ROLES.items()],
        validate_choice=False,  # AnyOf says it, in French
        validators=[AnyOf(list(ROLES), message="Rôle inconnu.")],
    )


class ReminderForm(FlaskForm):
    subject = StringField(
        "Objet",
        default=reminders.DEFAULT_SUBJECT,
        validators=[DataRequired("Donnez un objet à la relance."), at_most(200), fillable],
    )
    message = TextAreaField(
        "Message",
        default=reminders.DEFAULT_MESSAGE,
        description="Repères remplacés pour chaque apprenant : "
        + ", ".join(f"{{{k}}} ({v})" for k, v in reminders.PLACEHOLDERS.items())
        + ".",
        validators=[DataRequired("Écrivez le message de la relance."), at_most(5000), fillable],
    )
