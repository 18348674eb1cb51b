"""Quizzes: start an attempt, answer it, submit it once, review it."""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from werkzeug.datastructures import MultiDict

from course.clock import utcnow
from course.content.model import QuestionBase, Quiz
from course.domain import progression
from course.domain.answers import ParsedAnswers, answer_fields, parse_answers, unanswered
from course.domain.calibration import certainty_review
from course.domain.next_steps import next_steps
from course.domain.progression import Progress
from course.services import attempts, drafts, history
from course.services.models import Attempt, AttemptDraft, Submission

from .access import require, visible
from .content import course
from .database import db
from .signin import in_background, viewer, viewer_progress

bp = Blueprint("quiz", __name__)

DRAFT_TOO_LATE = (
    "Ces réponses ne sont pas enregistrées : la tentative est déjà validée "
    "et ses réponses ne peuvent plus changer. Voici sa correction."
)


@bp.post("/quizzes/<quiz_id>/attempts")
@login_required
def start(quiz_id: str) -> ResponseReturnValue:
    """Start an attempt (or resume the open one) and go to it."""
    quiz = visible(course().quizzes.get(quiz_id))
    learner = viewer_progress()
    denial = progression.quiz_denial(course(), quiz, learner, starting=True)
    resuming = denial is not None and attempts.open_attempt(db(), viewer().id, quiz.id) is not None
    require(denial is None or resuming, because=denial)
    try:
        rng = random.Random(secrets.randbits(64))
        attempt = attempts.start_attempt(db(), viewer().id, quiz, rng=rng, now=utcnow())
    except attempts.NoAttemptsLeft:
        require(False, because=progression.Denial("no_attempts_left", module_id=quiz.module))
    except attempts.AttemptConflict:
        db().rollback()
        attempt = visible(attempts.open_attempt(db(), viewer().id, quiz.id))
    db().commit()
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id))


@bp.get("/quizzes/<quiz_id>/attempts")
@login_required
def history_page(quiz_id: str) -> ResponseReturnValue:
    """List the learner's own attempts at a quiz, each linking to its review."""
    quiz = visible(course().quizzes.get(quiz_id))
    learner = viewer_progress()
    return render_template(
        "quiz/attempts.html",
        quiz=quiz,
        module=course().module(quiz.module),
        past=history.quiz_attempts(db(), viewer().id, quiz),
        record=learner.record(quiz.id),
        attempts_left=progression.attempts_left(quiz, learner.record(quiz.id)),
        can_start=progression.quiz_denial(course(), quiz, learner, starting=True) is None,
    )


@bp.get("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int) -> ResponseReturnValue:
    """Show the attempt form (a saved draft's answers filled in), or its review once submitted."""
    current = visible(attempts.get_own(db(), viewer().id, attempt_id))
    if current.submission is not None:
        return _review(current)
    _ensure_open(current)
    return _form(current, ParsedAnswers(), 200, draft=drafts.load(db(), current.id))


@bp.post("/attempts/<int:attempt_id>/draft")
@login_required
def save_draft(attempt_id: int) -> ResponseReturnValue:
    """Keep the answers chosen so far, unscored; refused once the attempt is submitted.

    The page's autosave (static/quiz-autosave.js) posts in the background: it gets 204 when
    saved, else a status without a page (409 submitted, 400 unreadable) and says so itself.
    """
    owned = visible(attempts.find_own(db(), viewer().id, attempt_id))
    current = owned.attempt
    background = in_background()
    if owned.submitted:
        if background:
            return "", 409
        flash(DRAFT_TOO_LATE, "error")
        return redirect(url_for("quiz.attempt", attempt_id=attempt_id))
    _ensure_open(current)
    parsed = parse_answers(_questions(current), request.form.to_dict(flat=False))
    if parsed.errors:
        return ("", 400) if background else _form(current, parsed, 400)
    drafts.save(db(), current.id, parsed, now=utcnow())
    db().commit()
    if background:
        return "", 204
    return redirect(url_for("quiz.attempt", attempt_id=attempt_id))


@bp.post("/attempts/<int:attempt_id>")
@login_required
def submit(attempt_id: int) -> ResponseReturnValue:
    """Score and store a submission once; a repeat shows the first result.

    Unanswered questions send the form back, listed, until `confirm_blank=1` says to go on.
    """
    owned = visible(attempts.find_own(db(), viewer().id, attempt_id))
    if not owned.submitted:
        current = owned.attempt
        learner = _ensure_open(current)
        questions = _questions(current)
        parsed = parse_answers(questions, request.form.to_dict(flat=False))
        confirmed = request.form.get("confirm_blank") == "1"
        blanks = [] if confirmed else unanswered(questions, parsed)
        if parsed.errors or blanks:
            return _form(current, parsed, 400, blanks)
        attempts.submit(db(), course(), current, parsed, now=utcnow(), learner=learner)
        db().commit()
    return redirect(url_for("quiz.attempt", attempt_id=attempt_id))


def _ensure_open(current: Attempt) -> Progress:
    """Answer 403 if the attempt's module is locked; return the learner's progress."""
    quiz = _quiz_of(current)
    learner = viewer_progress()
    denial = progression.quiz_denial(course(), quiz, learner, starting=False)
    require(denial is None, because=denial)
    return learner


def _quiz_of(current: Attempt) -> Quiz:
    """Return the attempt's quiz (404 if the course no longer has it)."""
    return visible(course().quizzes.get(current.quiz_id))


def _questions(current: Attempt) -> list[QuestionBase]:
    """Return the attempt's questions, in its order (any the course no longer has left out)."""
    quiz = _quiz_of(current)
    return [q for q in (quiz.question(i) for i in current.question_ids) if q]


def _form(
    current: Attempt,
    parsed: ParsedAnswers,
    status: int,
    blanks: Sequence[str] = (),
    draft: AttemptDraft | None = None,
) -> ResponseReturnValue:
    """Render the attempt form with what was posted, or else with the draft's answers."""
    form: MultiDict[str, str] = request.form
    if draft is not None:
        form = MultiDict(answer_fields(_questions(current), draft.answers, draft.confidence))
    return render_template(
        "quiz/attempt.html",
        quiz=_quiz_of(current),
        attempt=current,
        parsed=parsed,
        blanks=blanks,
        draft=draft,
        form=form,
        has_errors=bool(parsed.errors or blanks),
        autosave_seconds=current_app.config["DRAFT_AUTOSAVE_SECONDS"],
    ), status


def _review(current: Attempt) -> ResponseReturnValue:
    quiz = _quiz_of(current)
    submission = current.submission
    assert submission is not None
    learner = viewer_progress()
    stored_cbm = history.certainty_score(db(), current.id) if quiz.scoring == "cbm" else None
    return render_template(
        "quiz/review.html",
        quiz=quiz,
        attempt=current,
        submission=submission,
        answers={a.question_id: a for a in submission.answers},
        certainty=certainty_review(quiz, submission.answers, stored_cbm),
        record=learner.record(quiz.id),
        attempts_left=progression.attempts_left(quiz, learner.record(quiz.id)),
        module=course().module(quiz.module),
        next=next_steps(course(), quiz, _fractions(current, submission), learner),
    )


def _fractions(current: Attempt, submission: Submission) -> list[tuple[str, float]]:
    """Return (question id, fraction earned) in the order the attempt laid the questions."""
    earned = {a.question_id: a.fraction for a in submission.answers}
    return [(q, earned[q]) for q in current.question_ids if q in earned]
