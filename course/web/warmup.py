"""Retrieval warm-up: an optional, ungraded set of earlier missed questions; nothing is stored."""

from __future__ import annotations

import random
import secrets

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import login_required

from course.content.model import Module
from course.domain import progression
from course.domain.drawing import shuffled_options
from course.domain.warmup import WarmupQuestion, score_warmup, warmup_questions
from course.services import history

from .access import require, visible
from .content import course
from .database import db
from .signin import viewer, viewer_progress

bp = Blueprint("warmup", __name__)


def _warmup(module_id: str) -> tuple[Module, list[WarmupQuestion]]:
    """Return an open module and its warm-up questions (404 unknown, 403 locked)."""
    module = visible(course().module(module_id))
    denial = progression.module_denial(course(), module, viewer_progress())
    require(denial is None, because=denial)
    return module, warmup_questions(course(), module, history.load_answers(db(), viewer().id))


@bp.get("/modules/<module_id>/warmup")
@login_required
def show(module_id: str) -> ResponseReturnValue:
    """Offer the warm-up questions, their options shuffled."""
    module, items = _warmup(module_id)
    orders = shuffled_options([i.question for i in items], random.Random(secrets.randbits(64)))
    return render_template(
        "warmup/warmup.html", module=module, items=items, orders=orders, results=None
    )


@bp.post("/modules/<module_id>/warmup")
@login_required
def check(module_id: str) -> ResponseReturnValue:
    """Score the warm-up answers and show them corrected; store nothing."""
    module, items = _warmup(module_id)
    results = score_warmup(items, request.form.to_dict(flat=False))
    return render_template(
        "warmup/warmup.html", module=module, items=items, orders={}, results=results
    )
