"""A step's text is rendered once per process and kept; what is a learner's own never is."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from jinja2 import ChoiceLoader, DictLoader

from course.services.models import User
from course.web import fragments


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_two_learners_share_the_step_text_and_nothing_of_their_own(
    app: Flask, make_user: Callable[..., User], login: Callable[..., FlaskClient]
) -> None:
    ana = login(make_user("ana@example.org"), on=app.test_client())
    bob = login(make_user("bob@example.org"), on=app.test_client())
    first = ana.get("/modules/m1/steps/m1-intro").text
    ana.post("/modules/m1/steps/m1-intro/complete", data={"csrf_token": _csrf(first)})
    seen_by_ana = ana.get("/modules/m1/steps/m1-intro").text
    seen_by_bob = bob.get("/modules/m1/steps/m1-intro").text
    article = re.compile(r'<article class="card step">.*?</article>', re.S)
    shown = [article.search(page) for page in (seen_by_ana, seen_by_bob)]
    assert shown[0] is not None
    assert shown[1] is not None
    assert shown[0].group(0) == shown[1].group(0)
    assert "✓ Étape terminée." in seen_by_ana
    assert "✓ Étape terminée." not in seen_by_bob
    assert "ana" not in seen_by_bob
    assert _csrf(seen_by_bob) != _csrf(first)


def test_a_kept_part_is_rendered_the_first_time_only(app: Flask) -> None:
    app.jinja_env.loader = ChoiceLoader(
        [DictLoader({"part.html": "{{ word }}"}), app.jinja_env.loader]
    )  # type: ignore[list-item]
    with app.test_request_context("/"):
        assert fragments.rendered("part.html", "k", word="first") == "first"
        assert fragments.rendered("part.html", "k", word="second") == "first"  # kept
        assert fragments.rendered("part.html", "other", word="second") == "second"
