"""The learner's journey: course home, module overview, steps and marking them done."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from course.clock import utcnow
from course.content.model import Module, Step
from course.domain import progression
from course.domain.progression import Progress
from course.services import attempts, progress

from . import fragments, kept_pages
from .access import require, visible
from .content import course
from .database import db, writer_db
from .signin import viewer, viewer_progress

bp = Blueprint("learn", __name__)


@bp.get("/")
@login_required
def home() -> ResponseReturnValue:
    """Show every module's status, progress and locks, and what to do next."""
    learner = viewer_progress()
    return render_template(
        "learn/home.html",
        statuses=progression.course_status(course(), learner),
        next_action=progression.next_action(course(), learner),
        completed=progression.course_completed(course(), learner),
        progress=learner,
        unlocked=progression.unlocked_tools(course(), learner),
    )


def _open_module(module_id: str) -> tuple[Module, Progress, progression.ModuleStatus]:
    """Return a module with the learner's progress; 404 if unknown, 403 with why if locked."""
    mod = visible(course().module(module_id))
    learner = viewer_progress()
    status = progression.module_status(course(), mod, learner)
    denial = progression.status_denial(status)
    require(denial is None, because=denial)
    return mod, learner, status


@bp.get("/modules/<module_id>")
@login_required
def module(module_id: str) -> ResponseReturnValue:
    """Show a module: its objectives, steps, pre-test, quiz and tools."""
    mod, learner, status = _open_module(module_id)
    return render_template(
        "learn/module.html",
        module=mod,
        status=status,
        progress=learner,
        unlocked=progression.unlocked_tools(course(), learner),
        attempts_left=progression.attempts_left(
            course().quizzes[mod.quiz], learner.record(mod.quiz)
        ),
        open_attempts={
            q: attempts.open_attempt(db(), viewer().id, q)
            for q in (mod.quiz, mod.pretest)
            if q is not None
        },
    )


@bp.get("/modules/<module_id>/steps/<step_id>")
@login_required
def step(module_id: str, step_id: str) -> ResponseReturnValue:
    """Show a step (403 while its module is locked); the first visit is recorded."""
    mod, learner, _ = _open_module(module_id)
    current = visible(mod.step(step_id))
    if current.id not in learner.opened_steps:
        progress.open_step(writer_db(), viewer().id, mod, current, now=utcnow())
        writer_db().commit()
    done = current.id in learner.done_steps
    # The page is the same for every viewer of this kind who has (not) done the step.
    return kept_pages.page(
        "learn/step.html", (mod.id, current.id, done), lambda: _step_page(mod, current, done)
    )


def _step_page(mod: Module, current: Step, done: bool) -> dict[str, Any]:
    """Return what a step's page shows: its text and links are kept apart (fragments.py)."""
    index = mod.steps.index(current)
    key = (mod.id, current.id)
    return {
        "module": mod,
        "step": current,
        "done": done,
        "article": fragments.rendered(
            "learn/_step_article.html", key, module=mod, step=current, number=index + 1
        ),
        "step_nav": fragments.rendered(
            "learn/_step_nav.html",
            key,
            module=mod,
            previous=mod.steps[index - 1] if index > 0 else None,
            following=mod.steps[index + 1] if index + 1 < len(mod.steps) else None,
        ),
    }


@bp.post("/modules/<module_id>/steps/<step_id>/complete")
@login_required
def complete(module_id: str, step_id: str) -> ResponseReturnValue:
    """Mark a step done, then go on to the next step (or the module's quiz)."""
    mod, _, _ = _open_module(module_id)
    current = visible(mod.step(step_id))
    progress.complete_step(db(), course(), viewer().id, mod, current, now=utcnow())
    db().commit()
    flash(f"Étape « {current.title} » terminée.", "success")
    index = mod.steps.index(current)
    if index + 1 < len(mod.steps):
        return redirect(url_for("learn.step", module_id=mod.id, step_id=mod.steps[index + 1].id))
    return redirect(url_for("learn.module", module_id=mod.id, _anchor="quiz"))
