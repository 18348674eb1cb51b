"""A step's text is rendered once per process and kept; what is a learner's own never is."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy.orm import Session

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


def test_the_header_shows_each_viewer_their_own_name_and_token(
    app: Flask, make_user: Callable[..., User], login: Callable[..., FlaskClient]
) -> None:
    ana = login(make_user("ana@example.org"), on=app.test_client())
    trainer = login(make_user("tom@example.org", role="trainer"), on=app.test_client())
    visitor = app.test_client()
    anas = ana.get("/").text
    toms = trainer.get("/trainer/").text
    assert 'aria-label="Mon compte (ana)">ana</a>' in anas
    assert "Mes groupes" in anas
    assert "Espace formateur" not in anas
    assert 'aria-label="Mon compte (tom)">tom</a>' in toms
    assert "Espace formateur" in toms
    assert _csrf(anas) != _csrf(toms)
    seen = visitor.get("/login").text
    assert "Se connecter</a>" in seen
    assert "ana" not in seen
    assert "\x00" not in anas + toms + seen


def test_a_name_in_the_header_is_escaped(
    app: Flask, db: Session, make_user: Callable[..., User], login: Callable[..., FlaskClient]
) -> None:
    user = make_user("eve@example.org")
    user.display_name = '<script>alert("x")</script> & co'
    db.commit()
    page = login(user, on=app.test_client()).get("/").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co</a>" in page
