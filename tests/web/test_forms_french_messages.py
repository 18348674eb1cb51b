"""Every validator of the account and trainer forms speaks French, numbers the French way."""

from __future__ import annotations

import inspect

import pytest
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.core import UnboundField

from course.web import forms, trainer_forms

MODULES = (forms, trainer_forms)


def declared_fields() -> list[tuple[str, UnboundField]]:
    """Return every field the two modules' forms declare, named `Form.field`."""
    found = []
    for module in MODULES:
        for name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, FlaskForm) and form.__module__ == module.__name__:
                found += [
                    (f"{name}.{field}", value)
                    for field, value in vars(form).items()
                    if isinstance(value, UnboundField)
                ]
    return found


@pytest.mark.parametrize(
    ("name", "field"), [pytest.param(name, field, id=name) for name, field in declared_fields()]
)
def test_every_validator_says_its_error_in_french(name: str, field: UnboundField) -> None:
    """A validator left without a message would show WTForms' English one."""
    for validator in field.kwargs.get("validators", ()):
        if hasattr(validator, "message"):
            assert isinstance(validator.message, str), (name, validator)
            assert validator.message[0].isupper() or validator.message[0].isdigit(), name
    if field.field_class is SelectField:  # else WTForms adds its own "Not a valid choice."
        assert field.kwargs.get("validate_choice") is False, name


@pytest.mark.parametrize(
    ("limit", "message"),
    [(80, "80 caractères au plus."), (5000, "5\u202f000 caractères au plus.")],
)
def test_length_limits_write_the_french_number(limit: int, message: str) -> None:
    assert forms.at_most(limit).message == message


def test_every_form_of_both_modules_is_checked() -> None:
    names = {name.split(".")[0] for name, _ in declared_fields()}
    assert {"RegisterForm", "LoginForm", "ReminderForm", "WaiverForm", "RoleForm"} <= names
