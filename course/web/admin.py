"""The admin's page: every account, and who is a learner, a trainer or an admin."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from course.domain.integers import bounded_int
from course.domain.permissions import ROLES, can_manage_roles
from course.domain.roster import page_count
from course.services import roles
from course.services.models import User

from .access import require, visible
from .database import db
from .signin import viewer
from .trainer_forms import RoleForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50


@bp.get("/users")
@login_required
def users() -> ResponseReturnValue:
    """List accounts with their role, a page at a time, searchable by name or email."""
    require(can_manage_roles(viewer()))
    search = request.args.get("q", "").strip()[:100]
    page = request.args.get("page", "1")
    number = bounded_int(page, 10**6, minimum=1) or 1
    found_users, total = roles.find_users(db(), search, page=number, size=PAGE_SIZE)
    return render_template(
        "admin/users.html",
        users=found_users,
        total=total,
        page=number,
        pages=page_count(total, PAGE_SIZE),
        search=search,
        form=RoleForm(),
        labels=ROLES,
    )


@bp.post("/users/<int:user_id>/role")
@login_required
def set_role(user_id: int) -> ResponseReturnValue:
    """Change a user's role (never one's own, so an admin cannot lock themselves out)."""
    require(can_manage_roles(viewer()))
    user = visible(db().get(User, user_id))
    form = RoleForm()
    if form.validate_on_submit() and roles.set_role(db(), viewer(), user, form.role.data or ""):
        db().commit()
        flash(f"{user.email} est désormais {ROLES[user.role].lower()}.", "success")
    else:
        flash("Ce changement de rôle n'est pas possible.", "error")
    return redirect(url_for("admin.users", q=request.args.get("q", "")))
