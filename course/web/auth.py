"""Accounts on the web: register, log in (« Rester connecté » or not), log out."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response as BaseResponse

from course.clock import utcnow
from course.domain.permissions import can_train
from course.services import accounts, cohorts, throttle
from course.services.models import Cohort, User

from . import signin
from .database import db, pause_writes
from .forms import LoginForm, RegisterForm
from .signin import safe_next, start_session

bp = Blueprint("auth", __name__)
TOO_MANY_FAILURES = (
    "Trop de tentatives de connexion ont échoué. Patientez quelques minutes avant de réessayer."
)
UNKNOWN_CODE = (
    "Ce code de groupe est inconnu. Vérifiez-le auprès de votre formateur ou laissez le champ vide."
)
BROWSER_COOKIE = "known_browser"


def init_app(app: Flask) -> None:
    """Install who is logged in, then the account routes."""
    signin.init_app(app)
    app.register_blueprint(bp)


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    """Create a learner account, join the cohort its code names (if given), and log it in."""
    form = RegisterForm(join_code=request.args.get("join_code", ""))
    if form.is_submitted():
        valid = form.validate()
        cohort = _cohort_of(form)  # read with the other checks, so one pass reports every error
        user = _create_account(form, cohort) if valid and not form.join_code.errors else None
        if user is not None:
            start_session(user)
            db().commit()
            flash("Bienvenue ! Votre compte est créé.", "success")
            return redirect(url_for("learn.home"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


def _cohort_of(form: RegisterForm) -> Cohort | None:
    """Return the cohort the form's join code opens; mark the field when no cohort has it."""
    code = (form.join_code.data or "").strip()
    if not code or form.join_code.errors:
        return None
    cohort = cohorts.find_by_code(db(), code)
    if cohort is None:
        form.join_code.errors = [UNKNOWN_CODE]
    return cohort


def _create_account(form: RegisterForm, cohort: Cohort | None) -> User | None:
    """Create the account and join its cohort, if any; say on the form why not (email taken)."""
    pause_writes()  # the code's read ended: the slow hash holds no transaction
    hashed = accounts.hash_password(form.password.data or "")
    try:
        user = accounts.create_user(
            db(),
            email=form.email.data or "",
            display_name=form.display_name.data or "",
            password_hash=hashed,
            now=utcnow(),
        )
    except accounts.EmailTaken:
        form.email.errors = ["Un compte existe déjà avec cette adresse e-mail."]
        return None
    if cohort is not None:
        cohorts.join(db(), cohort, user.id, now=utcnow())
    return user


def _landing(user: User | signin.Viewer) -> str:
    """Return where someone lands after login: trainers and admins on their cohorts."""
    return url_for("trainer.index") if can_train(user) else url_for("learn.home")


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Log in; the same message whether the email is unknown or the password wrong. Someone
    already logged in is taken where a login would take them (another account may still log
    in: the form's POST is served)."""
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or _landing(signin.viewer()))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        try:
            user = checked_password(email, form.password.data or "")
        except Throttled:
            form.form_errors.append(TOO_MANY_FAILURES)
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            start_session(user, remember=bool(form.remember.data))
            db().commit()
            response = redirect(safe_next(request.args.get("next")) or _landing(user))
            remember_browser(response, email)
            return response
        form.form_errors.append("Adresse e-mail ou mot de passe incorrect.")
    status = 400 if form.errors or form.form_errors else 200
    return render_template("auth/login.html", form=form), status


class Throttled(Exception):
    """Too many failed tries: the password was not checked."""


def checked_password(email: str, password: str) -> User | None:
    """Check an account's password under the throttle; raise Throttled when over its limits.

    The try is counted and committed before anything else, so racing tries see each other, and
    the slow password hash runs after the transaction ended, holding no database lock.
    """
    ip = request.remote_addr or "unknown"
    try_id = throttle.record_try(db(), email, ip, now=utcnow())
    db().commit()
    known = known_browser(email)
    if throttle.over_limits(db(), try_id, email, ip, now=utcnow(), known_browser=known):
        throttle.withdraw(db(), try_id)
        db().commit()
        raise Throttled
    user = accounts.find(db(), email)
    db().commit()
    if not accounts.password_matches(user, password):
        return None
    throttle.clear(db(), email)
    db().commit()
    return user


def _browsers() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key or "", salt="known-browser")


def remember_browser(response: BaseResponse, email: str) -> None:
    """Mark this browser as one the account logged in from (it skips the account back-off)."""
    response.set_cookie(
        BROWSER_COOKIE,
        _browsers().dumps(accounts.normalize_email(email)),
        max_age=365 * 24 * 3600,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )


def known_browser(email: str) -> bool:
    """Tell whether this browser logged in to the account before."""
    try:
        remembered = _browsers().loads(request.cookies.get(BROWSER_COOKIE, ""))
    except BadSignature:
        return False
    return bool(remembered == accounts.normalize_email(email))


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """End this browser's session, wherever its cookie was copied."""
    signin.end_session()
    db().commit()
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("auth.login"))
