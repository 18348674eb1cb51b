"""« Mes progrès »: a learner's progress, mastery, gain and calibration; their data; erasure."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required, logout_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import PasswordField
from wtforms.validators import DataRequired

from course.clock import utcnow
from course.domain import numbers
from course.domain.permissions import can_erase_account, can_see_record, can_take_out_data
from course.services import login_sessions, personal_data, self_assessment

from .access import require, visible
from .auth import TOO_MANY_FAILURES, Throttled, checked_password
from .content import course
from .database import db
from .forms import at_most
from .signin import viewer
from .urls import base_url

bp = Blueprint("myprogress", __name__)


class EraseForm(FlaskForm):
    password = PasswordField(
        "Votre mot de passe, pour confirmer",
        validators=[DataRequired("Indiquez votre mot de passe."), at_most(200)],
    )


@bp.app_template_filter("gain")
def gain_filter(value: float | None) -> Markup:
    """Format a normalised gain the French way ("0,67"), its value kept machine-readable."""
    if value is None:
        return Markup("—")
    return Markup('<data value="{0:.2f}">{1}</data>').format(value, numbers.decimal(value, 2))


@bp.app_template_filter("duration")
def duration_filter(value: timedelta) -> str:
    """Format a duration in hours and minutes ("2 h 05", "45 min")."""
    minutes = round(value.total_seconds() / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d}"


@bp.get("/progress")
@login_required
def own() -> ResponseReturnValue:
    """Show the learner's own progress page."""
    return _page(viewer().id)


@bp.get("/learners/<int:user_id>/progress")
@login_required
def learner(user_id: int) -> ResponseReturnValue:
    """Show a learner's progress page, to them or an admin (404 to anyone else)."""
    return _page(visible(user_id, can_see_record(viewer(), user_id)))


def _page(user_id: int) -> ResponseReturnValue:
    report = visible(self_assessment.learner_report(db(), course(), user_id))
    return render_template("progress/page.html", report=report, own=user_id == viewer().id)


@bp.get("/progress/export.json")
@login_required
def export_own() -> ResponseReturnValue:
    """Download everything stored about the learner, as JSON."""
    return _export(viewer().id)


@bp.get("/learners/<int:user_id>/export.json")
@login_required
def export(user_id: int) -> ResponseReturnValue:
    """Download a learner's data: only the learner (403 to an admin, 404 to anyone else)."""
    visible(user_id, can_see_record(viewer(), user_id))
    require(can_take_out_data(viewer(), user_id))
    return _export(user_id)


def _export(user_id: int) -> ResponseReturnValue:
    data = personal_data.export_learner(db(), course(), user_id, base_url=base_url(), now=utcnow())
    response = jsonify(data)
    response.headers["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def erase() -> ResponseReturnValue:
    """Erase the learner's account after they confirm with their password."""
    me = viewer()
    require(can_erase_account(me))
    form = EraseForm()
    if form.validate_on_submit():
        try:
            confirmed = checked_password(me.email, form.password.data or "")
        except Throttled:
            form.password.errors = [TOO_MANY_FAILURES]
            return render_template("progress/erase.html", form=form), 429
        if confirmed is None:
            form.password.errors = ["Mot de passe incorrect."]
        elif login_sessions.hold(db(), me.session_id):  # checking committed: lock again
            personal_data.erase_learner(db(), me.id, now=utcnow())
            db().commit()
            logout_user()
            flash("Votre compte est supprimé. Merci d'avoir suivi le parcours.", "info")
            return redirect(url_for("auth.login"))
    return render_template("progress/erase.html", form=form), 400 if form.errors else 200
