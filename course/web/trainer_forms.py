"""Forms of the trainer workspace, the join page and the admin's role page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

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


class RoleForm(FlaskForm):
    role = SelectField(
        "Rôle",
        choices=[SelectChoice(role, label) for role, label in ROLES.items()],
        validators=[AnyOf(list(ROLES), message="Rôle inconnu.")],
    )
