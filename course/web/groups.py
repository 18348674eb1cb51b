"""Learners join cohorts: with the code their trainer gave, or by following the join link."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from course.clock import utcnow
from course.services import cohorts

from .database import db
from .signin import viewer
from .trainer_forms import JoinForm

bp = Blueprint("groups", __name__)
UNKNOWN_CODE = "Ce code ne correspond à aucun groupe. Vérifiez-le auprès de votre formateur."


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join() -> ResponseReturnValue:
    """Show the learner's groups and join one with its code."""
    form = JoinForm()
    if form.validate_on_submit():
        cohort = cohorts.find_by_code(db(), form.code.data or "")
        if cohort is None:
            form.code.errors = [UNKNOWN_CODE]
        else:
            added = cohorts.join(db(), cohort, viewer().id, now=utcnow())
            db().commit()
            flash(
                f"Vous avez rejoint le groupe « {cohort.name} »."
                if added
                else f"Vous faites déjà partie du groupe « {cohort.name} ».",
                "success",
            )
            return redirect(url_for("groups.join"))
    groups = cohorts.memberships(db(), viewer().id)
    return render_template(
        "groups/join.html", form=form, groups=groups
    ), 400 if form.errors else 200


@bp.get("/join/<code>")
def join_link(code: str) -> ResponseReturnValue:
    """Open a join link: logged in, confirm on the join page, which names the group (or says the
    code is unknown, or that the learner is in it already); otherwise register with the code."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.register", join_code=cohorts.display_code(code)))
    form = JoinForm(code=cohorts.display_code(cohorts.normalize_code(code)))
    groups = cohorts.memberships(db(), viewer().id)
    invited = cohorts.find_by_code(db(), code)
    if invited is None:  # said now, not once « Rejoindre » is pressed
        form.code.errors = [UNKNOWN_CODE]
    page = render_template(
        "groups/join.html",
        form=form,
        groups=groups,
        invited=invited,
        member=invited is not None and invited.id in {g.id for g in groups},
    )
    return page, 404 if invited is None else 200
