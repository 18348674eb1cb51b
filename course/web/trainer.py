"""The trainer workspace: cohorts, their dashboard and exports, learner pages, quiz analytics."""

from __future__ import annotations

import unicodedata

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from course.clock import utcnow
from course.content.model import Module
from course.domain import exports, tool_export
from course.domain.answer_text import response_text
from course.domain.french import plural
from course.domain.group_names import name_taken
from course.domain.metrics import STATUS_LABELS, Thresholds
from course.domain.numbers import decimal
from course.domain.permissions import can_train
from course.domain.progression import NextAction, State
from course.domain.roster import IDLE_CHOICES, SORTS, STATUSES, RosterQuery
from course.domain.selection import SELECTION_LABELS, parse_selection
from course.services import analytics, cohorts, dashboard, handling, reminders, waivers
from course.services.models import Cohort, User

from . import cohort_charts
from .access import require, visible
from .content import course
from .database import db, only_reads, writes
from .downloads import csv_response, safe_filename
from .mail import send_mail
from .signin import viewer
from .trainer_forms import CohortForm, HandledForm, ReminderForm, TrainerForm, WaiverForm
from .urls import public_url

bp = Blueprint("trainer", __name__, url_prefix="/trainer")


def _thresholds() -> Thresholds:
    return Thresholds.from_settings(current_app.config)


def _cohort(cohort_id: int) -> Cohort:
    """Return a cohort the viewer trains: 403 for learners, 404 for anyone else's."""
    require(can_train(viewer()))
    return visible(cohorts.visible_cohort(db(), viewer(), cohort_id))


def _learner(cohort: Cohort, user_id: int) -> User:
    return visible(cohorts.visible_learner(db(), viewer(), cohort, user_id))


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """List the cohorts the viewer trains (all of them for an admin)."""
    require(can_train(viewer()))
    return render_template(
        "trainer/index.html", cards=cohorts.cohorts_for(db(), viewer()), form=CohortForm()
    )


DUPLICATE_GROUP = "Vous suivez déjà un groupe de ce nom : choisissez-en un autre."


@bp.post("/cohorts")
@login_required
def create_cohort() -> ResponseReturnValue:
    """Create a cohort with a join code; its creator trains it."""
    require(can_train(viewer()))
    form = CohortForm()
    cards = cohorts.cohorts_for(db(), viewer())
    valid = form.validate_on_submit()
    if valid and name_taken(form.name.data or "", (c.cohort.name for c in cards)):
        form.name.errors = [DUPLICATE_GROUP]  # two groups of one name: which is which?
        valid = False
    if not valid:
        return render_template("trainer/index.html", cards=cards, form=form), 400
    cohort = cohorts.create_cohort(db(), form.name.data or "", viewer().id, now=utcnow())
    db().commit()
    flash(f"Groupe « {cohort.name} » créé.", "success")
    return redirect(url_for("trainer.cohort", cohort_id=cohort.id))


@bp.get("/cohorts/<int:cohort_id>")
@writes
@login_required
def cohort(cohort_id: int) -> ResponseReturnValue:
    """Show a cohort's summary, charts and one page of its learner x module matrix."""
    return _dashboard(_cohort(cohort_id), ReminderForm())


def _dashboard(current: Cohort, reminder: ReminderForm, status: int = 200) -> ResponseReturnValue:
    """Render the dashboard: refresh the stored standings it counts and commit (a short write),
    then read the board without holding a lock."""
    query = RosterQuery.from_args(request.args)
    size = int(current_app.config["TRAINER_PAGE_SIZE"])
    now = utcnow()
    fresh = dashboard.refresh_standings(db(), course(), _thresholds(), now=now)
    db().commit()
    only_reads()
    board = dashboard.cohort_board(
        db(), course(), current.id, query, _thresholds(), now=now, size=size, fresh=fresh
    )
    page = render_template(
        "trainer/cohort.html",
        cohort=current,
        board=board,
        query=query,
        charts=cohort_charts,
        trainers=cohorts.trainers(db(), current.id),
        trainer_form=TrainerForm(),
        reminder=reminder,
        has_errors=status >= 400,  # the title says « Erreur », the summary takes the focus
        chosen={int(v) for v in request.form.getlist("learner") if v.isdigit()},
        choices={"statuses": STATUSES, "idle": IDLE_CHOICES, "sorts": SORTS},
        code=cohorts.display_code(current.join_code),
        now=utcnow(),
        STATUS_LABELS=STATUS_LABELS,
    )
    return page, status


@bp.post("/cohorts/<int:cohort_id>/reminders")
@login_required
def send_reminders(cohort_id: int) -> ResponseReturnValue:
    """Mail the reminder to the learners chosen: at most one per learner per 24 hours."""
    current = _cohort(cohort_id)
    form = ReminderForm()
    chosen = [int(v) for v in request.form.getlist("learner") if v.isdigit()]
    if not chosen:
        form.form_errors.append("Cochez au moins un apprenant à relancer.")
    if not form.validate_on_submit() or not chosen:
        return _dashboard(current, form, 400)
    who = viewer()
    letter = reminders.Letter(
        form.subject.data or "", form.message.data or "", who.id, who.display_name
    )
    outcome = reminders.send(
        db(),
        course(),
        current.id,
        chosen,
        letter,
        mail=send_mail,
        resume_url=_resume_url,
        now=utcnow(),
    )  # it commits itself: the mails go out between its two short transactions
    _flash_outcome(outcome)
    kept = RosterQuery.from_args(request.args).args()  # the board as it was: filter, sort, page
    return redirect(url_for("trainer.cohort", cohort_id=current.id, **kept, _anchor="relance"))


def _resume_url(action: NextAction) -> str:
    """Return the public link that takes a learner back where they stopped."""
    if action.kind == "step":
        return public_url("learn.step", module_id=action.module_id, step_id=action.target_id)
    if action.kind == "quiz":
        return public_url("learn.module", module_id=action.module_id)
    return public_url("learn.home")


def _flash_outcome(outcome: reminders.Outcome) -> None:
    if outcome.sent:
        count = len(outcome.sent)
        who = f"{decimal(count)} {plural(count, 'apprenant')} : {', '.join(outcome.sent)}"
        flash(f"Relance envoyée à {who}.", "success")
    if outcome.recent:
        names = ", ".join(outcome.recent)
        flash(f"Déjà relancé(s) il y a moins de 24 heures, rien envoyé : {names}.", "error")
    if outcome.failed:
        names = ", ".join(outcome.failed)
        flash(f"Le courriel n'a pas pu partir pour : {names}. Réessayez plus tard.", "error")


@bp.get("/cohorts/<int:cohort_id>/export.csv")
@login_required
def export_progress(cohort_id: int) -> ResponseReturnValue:
    """Export every learner's row of the dashboard as CSV."""
    current = _cohort(cohort_id)
    rows = dashboard.cohort_rows(db(), course(), current.id, _thresholds(), now=utcnow())
    table = exports.progress_table(course(), rows)
    return csv_response(table, _filename(current, "progression"), _separator())


@bp.get("/cohorts/<int:cohort_id>/attempts.csv")
@login_required
def export_attempts(cohort_id: int) -> ResponseReturnValue:
    """Export every attempt of the cohort's learners as CSV."""
    current = _cohort(cohort_id)
    lines = dashboard.attempt_lines(db(), current.id)
    table = exports.attempts_table(course(), lines)
    return csv_response(table, _filename(current, "tentatives"), _separator())


def _separator() -> str:
    """Return the CSV separator asked for: `;` (French spreadsheets) unless `?sep=comma`."""
    return exports.SEPARATORS.get(request.args.get("sep", ""), ";")


def _filename(current: Cohort, what: str) -> str:
    """Name an export after the cohort, in plain ASCII ("groupe-3-demonstration-...csv")."""
    name = unicodedata.normalize("NFKD", current.name).encode("ascii", "ignore").decode()
    return safe_filename(f"groupe-{current.id}-{name}-{what}-{utcnow().date()}.csv".lower())


@bp.post("/cohorts/<int:cohort_id>/trainers")
@login_required
def add_trainer(cohort_id: int) -> ResponseReturnValue:
    """Add a co-trainer to a cohort, by their email."""
    current = _cohort(cohort_id)
    form = TrainerForm()
    if form.validate_on_submit():
        try:
            added = cohorts.add_trainer(db(), current, form.email.data or "", now=utcnow())
        except cohorts.NotATrainer:
            flash("Aucun compte formateur n'a cette adresse.", "error")
        else:
            db().commit()
            flash(f"{added.display_name} suit désormais ce groupe.", "success")
    return redirect(url_for("trainer.cohort", cohort_id=current.id, _anchor="formateurs"))


@bp.get("/cohorts/<int:cohort_id>/learners/<int:user_id>")
@login_required
def learner(cohort_id: int, user_id: int) -> ResponseReturnValue:
    """Show one learner: standing, signals, timeline, attempts with answers, tools."""
    current = _cohort(cohort_id)
    person = _learner(current, user_id)
    detail = dashboard.learner_detail(
        db(), course(), current, person, _thresholds(), viewer=viewer(), now=utcnow()
    )
    return render_template(
        "trainer/learner.html",
        cohort=current,
        detail=detail,
        form=WaiverForm(),
        State=State,
        now=utcnow(),
        response_text=response_text,
        tool_value=tool_export.display_value,
        tool_table=tool_export.table_rows,
    )


@bp.get("/cohorts/<int:cohort_id>/learners/<int:user_id>/waivers/new")
@login_required
def confirm_waiver(cohort_id: int, user_id: int) -> ResponseReturnValue:
    """Ask the trainer to confirm lifting a module's lock, and why."""
    current = _cohort(cohort_id)
    person = _learner(current, user_id)
    module = visible(course().module(request.args.get("module_id", "")))
    form = WaiverForm(module_id=module.id)
    return _waiver_page(current, person, module, form)


def _waiver_page(
    current: Cohort, person: User, module: Module, form: WaiverForm, status: int = 200
) -> ResponseReturnValue:
    number = course().modules.index(module) + 1
    page = render_template(
        "trainer/waiver.html",
        cohort=current,
        person=person,
        module=module,
        number=number,
        form=form,
    )
    return page, status


@bp.post("/cohorts/<int:cohort_id>/learners/<int:user_id>/waivers")
@login_required
def waive(cohort_id: int, user_id: int) -> ResponseReturnValue:
    """Lift a module's lock for this learner once confirmed with a reason; who and when kept."""
    current = _cohort(cohort_id)
    person = _learner(current, user_id)
    form = WaiverForm()
    module = visible(course().module(form.module_id.data or ""))
    if not form.validate_on_submit():
        return _waiver_page(current, person, module, form, 400)
    reason = (form.reason.data or "").strip()
    if waivers.waive(db(), person.id, module.id, viewer().id, reason=reason, now=utcnow()):
        db().commit()
        flash(f"Verrou de « {module.title} » levé pour {person.display_name}.", "success")
    return redirect(url_for("trainer.learner", cohort_id=current.id, user_id=person.id))


@bp.post("/cohorts/<int:cohort_id>/learners/<int:user_id>/handled")
@login_required
def mark_handled(cohort_id: int, user_id: int) -> ResponseReturnValue:
    """Mark a learner's signals handled for the facts the trainer saw; new facts bring them back."""
    current = _cohort(cohort_id)
    person = _learner(current, user_id)
    form = HandledForm()
    if form.validate_on_submit():
        key = form.help_key.data or ""
        handling.mark_handled(db(), current.id, person.id, key, viewer().id, now=utcnow())
        db().commit()
        flash(f"Signalement de {person.display_name} marqué comme traité.", "success")
    if form.back.data == "learner":
        return redirect(url_for("trainer.learner", cohort_id=current.id, user_id=person.id))
    return redirect(url_for("trainer.cohort", cohort_id=current.id, _anchor="besoin-aide"))


@bp.get("/cohorts/<int:cohort_id>/quizzes/<quiz_id>")
@writes
@login_required
def quiz(cohort_id: int, quiz_id: str) -> ResponseReturnValue:
    """Analyse a quiz's questions for this cohort, on first attempts unless asked otherwise."""
    current = _cohort(cohort_id)
    the_quiz = visible(course().quizzes.get(quiz_id))
    selection = parse_selection(request.args.get("attempts"))
    report = analytics.quiz_report(
        db(),
        current.id,
        the_quiz,
        selection,
        min_learners=int(current_app.config["ITEM_ANALYSIS_MIN_LEARNERS"]),
        weak_efficiency=float(current_app.config["ITEM_WEAK_EFFICIENCY"]),
        max_names=MAX_NAMES,
    )
    db().commit()  # the first-attempt sums, if the page had to build them
    return render_template(
        "trainer/quiz.html",
        cohort=current,
        quiz=the_quiz,
        analysis=report.analysis,
        selection=selection,
        selections=SELECTION_LABELS,
        names=report.names,
        max_names=MAX_NAMES,
    )


@bp.get("/cohorts/<int:cohort_id>/report")
@writes
@login_required
def report(cohort_id: int) -> ResponseReturnValue:
    """Show the printable cohort report: summary, funnel, scores, needs help, learning gain."""
    current = _cohort(cohort_id)
    found = dashboard.cohort_report(db(), course(), current.id, _thresholds(), now=utcnow())
    db().commit()  # the standings the report refreshed
    return render_template(
        "trainer/report.html",
        cohort=current,
        report=found,
        charts=cohort_charts,
        now=utcnow(),
    )


@bp.get("/cohorts/<int:cohort_id>/gain")
@login_required
def gain(cohort_id: int) -> ResponseReturnValue:
    """Show what the cohort learnt: pre-test against first quiz, per module and objective."""
    current = _cohort(cohort_id)
    gains = dashboard.cohort_gains(db(), course(), current.id)
    return render_template("trainer/gain.html", cohort=current, gains=gains)


MAX_NAMES = 40  # learners named under each misconception; the count says how many in all
