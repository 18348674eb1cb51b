"""Accounts that look after themselves: forgotten password, reset link, the account page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf import FlaskForm

from course import clock
from course.clock import utcnow
from course.services import accounts, login_sessions, password_resets
from course.services.models import User

from .access import visible
from .content import course
from .database import db, pause_writes
from .forms import EmailChangeForm, ForgotForm, NameForm, PasswordChangeForm, ResetForm
from .mail import send_mail
from .signin import end_session, hold_again, lifetimes, start_session, viewer
from .urls import public_url

bp = Blueprint("account", __name__)
WRONG_PASSWORD = "Ce mot de passe n'est pas le bon."
EMAIL_TAKEN = "Un compte existe déjà avec cette adresse e-mail."


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot() -> ResponseReturnValue:
    """Mail a reset link if the account exists; answer the same either way."""
    form = ForgotForm()
    if form.validate_on_submit():
        issued = password_resets.issue(db(), form.email.data or "", now=utcnow())
        db().commit()
        if issued is not None:
            _mail_reset_link(*issued)
        return render_template("account/forgot_sent.html", email=form.email.data)
    return render_template("account/forgot.html", form=form), 400 if form.errors else 200


def _mail_reset_link(user: User, token: str) -> None:
    """Send the reset link to the account's address."""
    body = render_template(
        "mail/password_reset.txt",
        user=user,
        link=public_url("account.reset", token=token),
        course=course(),
        lifetime_minutes=int(password_resets.LIFETIME.total_seconds() // 60),
    )
    send_mail(user.email, f"Réinitialiser votre mot de passe · {course().info.title}", body)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> ResponseReturnValue:
    """Set a new password from a mailed link, end every other session and log in."""
    pending = password_resets.find(db(), token, now=utcnow())
    if pending is None:
        return render_template("account/reset_invalid.html"), 404
    form = ResetForm()
    owner = db().get(User, pending.user_id)
    form.owner = (owner.email, owner.display_name) if owner else ("", "")
    if form.validate_on_submit():
        pause_writes()  # nothing written yet: the slow hash holds no lock
        hashed = accounts.hash_password(form.password.data or "")
        user = password_resets.reset(db(), token, now=utcnow(), password_hash=hashed)
        if user is not None:
            start_session(user)
            db().commit()
            flash("Votre mot de passe est changé. Vos autres sessions sont fermées.", "success")
            return redirect(url_for("learn.home"))
        return render_template("account/reset_invalid.html"), 404
    return render_template("account/reset.html", form=form), 400 if form.errors else 200


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> ResponseReturnValue:
    """Show and change the display name, the e-mail address and the password; list sessions."""
    user = visible(db().get(User, viewer().id))
    forms = _account_forms(user)
    action = request.form.get("action") if request.method == "POST" else None
    form = forms.get(action or "")
    if form is not None and form.validate_on_submit() and CHANGES[action or ""](user, form):
        db().commit()
        for notice in g.pop("account_notices", []):  # written and sent once the change is stored
            _notify(*notice)
        return redirect(url_for("account.account"))
    failed = form is not None and bool(form.errors)
    here = viewer().login_session
    signed_in = login_sessions.active(db(), user.id, now=clock.utcnow(), lifetimes=lifetimes())
    return render_template(
        "account/account.html", user=user, failed=form, sessions=signed_in, here=here, **forms
    ), (400 if failed else 200)


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_one_session(session_id: int) -> ResponseReturnValue:
    """End one of the viewer's sessions (this one logs out); anyone else's answers 404."""
    if session_id == viewer().login_session:
        end_session()
        db().commit()
        flash("Vous êtes déconnecté.", "info")
        return redirect(url_for("auth.login"))
    if not login_sessions.end(db(), viewer().id, session_id):
        abort(404)
    db().commit()
    flash("Cette session est fermée : l'appareil devra se reconnecter.", "success")
    return redirect(url_for("account.account", _anchor="sessions-titre"))


@bp.post("/account/sessions/others/end")
@login_required
def end_other_sessions() -> ResponseReturnValue:
    """End every session of the viewer but this one."""
    login_sessions.end_all(db(), viewer().id, keep=viewer().login_session)
    db().commit()
    flash("Vos autres sessions sont fermées ; celle-ci reste ouverte.", "success")
    return redirect(url_for("account.account", _anchor="sessions-titre"))


def _account_forms(user: User) -> dict[str, FlaskForm]:
    """Build the page's three forms; only the one posted reads the request."""
    posted = request.form.get("action") if request.method == "POST" else None

    def data(name: str) -> dict[str, object]:
        return {} if posted == name else {"formdata": None}

    return {
        "name": NameForm(**data("name"), display_name=user.display_name),
        "email": EmailChangeForm(**data("email")),
        "password": PasswordChangeForm(**data("password")),
    }


def _rename(user: User, form: FlaskForm) -> bool:
    accounts.rename(user, form.display_name.data or "")
    flash("Votre nom est enregistré ; il figurera ainsi sur votre certificat.", "success")
    return True


def _password_confirmed(user: User, form: FlaskForm, new_password: str | None = None) -> bool:
    """Check the current password (and hash the new one) holding no lock, then lock the
    account again; refuse when the password changed meanwhile."""
    known = user.password_hash
    pause_writes()
    right = accounts.check_password(user, form.current_password.data or "")
    g.new_password_hash = accounts.hash_password(new_password) if right and new_password else None
    hold_again()
    db().refresh(user)
    if not right or user.password_hash != known:
        form.current_password.errors = [WRONG_PASSWORD]
        return False
    return True


def _change_email(user: User, form: FlaskForm) -> bool:
    if not _password_confirmed(user, form):
        return False
    old = user.email
    try:
        accounts.change_email(db(), user, form.email.data or "")
    except accounts.EmailTaken:
        form.email.errors = [EMAIL_TAKEN]
        return False
    _after_commit(old, "Votre adresse e-mail a été changée", "mail/email_changed.txt", user)
    flash(f"Votre adresse e-mail est désormais {user.email}.", "success")
    return True


def _change_password(user: User, form: FlaskForm) -> bool:
    if not _password_confirmed(user, form, form.password.data or ""):
        return False
    accounts.set_password(
        db(), user, password_hash=g.pop("new_password_hash"), keep=viewer().login_session
    )
    _after_commit(user.email, "Votre mot de passe a été changé", "mail/password_changed.txt", user)
    flash("Votre mot de passe est changé. Vos autres sessions sont fermées.", "success")
    return True


def _after_commit(to: str, subject: str, template: str, user: User) -> None:
    """Keep a notice to send once the change is committed (no mail under the write lock)."""
    g.setdefault("account_notices", []).append((to, subject, template, user))


def _notify(to: str, subject: str, template: str, user: User) -> None:
    """Tell the account's owner that something changed, in case it was not them."""
    body = render_template(template, user=user, course=course(), link=public_url("account.forgot"))
    send_mail(to, f"{subject} · {course().info.title}", body)


CHANGES = {"name": _rename, "email": _change_email, "password": _change_password}
