"""A demo site on a throw-away SQLite database: the real course, the demo cohort and a learner
who went through all of it (a failed then passed quiz, two tools filled in, the certificate).

Used by `make screenshots` (screenshots/__main__.py) and by the browser tests that check the
real course's pages on a phone. It drives the app only through its own pages (Flask's test
client), so what it leaves is what a learner would have left.
"""

from __future__ import annotations

import random
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from course import create_app
from course.config import REPO_ROOT
from course.content.model import Course, Quiz
from course.demo import service as demo
from course.domain.questions import question_type
from course.services.db import Database

PASSWORD = "demo-mot-de-passe-" + "x" * 8
# Two tools filled in as a learner would, long names included (the map wraps them).
CARRE = {"f-nom": "Les Coteaux de Lisière", "f-eco": "0", "f-attr": "1", "f-coh": "2", "f-qdv": "3"}
ACTORS = [
    ("Communauté de communes des Coteaux", "collectivite", "partenaire"),
    ("Université de Lisière, laboratoire de géographie", "academique", "connu"),
    ("Association des commerçants du centre-bourg", "association", "partenaire"),
    ("Fondation territoriale", "financeur", "aucun"),
    ("Conseil de développement", "citoyen", "connu"),
    ("Entreprise d'insertion Les Jardins", "entreprise", "aucun"),
]


@dataclass
class DemoSite:
    url: str
    app: Flask
    learner: str = demo.LEARNER
    trainer: str = demo.TRAINER
    password: str = PASSWORD
    pages: dict[str, str] = field(default_factory=dict)  # what -> path, found while seeding


@contextmanager
def demo_site(folder: Path, learners: int = 60) -> Iterator[DemoSite]:
    """Seed a demo database in `folder`, serve the app on a free local port, yield the site."""
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    database = Database(url)
    database.create_all()
    database.dispose()
    settings = {
        "DATABASE_URL": url,
        "COURSE_DIR": str(REPO_ROOT),
        "SECRET_KEY": secrets.token_hex(32),
        "SIGNING_KEY_PATH": str(folder / "signing_key.pem"),
        "MAIL_BACKEND": "locmem",
    }
    seeder = create_app({**settings, "WTF_CSRF_ENABLED": False})
    try:
        pages = seed(seeder, learners)
    finally:
        seeder.extensions["database"].dispose()
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield DemoSite(f"http://127.0.0.1:{server.server_port}", app, pages=pages)
    finally:
        server.shutdown()
        thread.join()
        app.extensions["database"].dispose()


def seed(app: Flask, learners: int) -> dict[str, str]:
    """Make the demo cohort, then take the demo learner through the course; return key paths."""
    session = app.extensions["database"].session(writer=True)
    with app.app_context():
        demo.make_demo(
            session,
            app.extensions["course"],
            learners=learners,
            password=PASSWORD,
            now=datetime.now(UTC),
        )
    session.commit()
    session.close()
    client = app.test_client()
    response = client.post("/login", data={"email": demo.LEARNER, "password": PASSWORD})
    assert response.status_code == 302, "the demo learner could not log in"
    return _journey(app, client)


def _journey(app: Flask, client: FlaskClient) -> dict[str, str]:
    course = app.extensions["course"]
    rng = random.Random(11)
    pages: dict[str, str] = {}
    for number, module in enumerate(course.modules):
        if module.pretest:
            _submit(client, course.quizzes[module.pretest], rng, right=False)
        for step in module.steps:
            done = client.post(f"/modules/{module.id}/steps/{step.id}/complete")
            assert done.status_code == 302, f"{module.id}/{step.id}: {done.status_code}"
        if number == 0:
            pages["failed"] = _submit(client, course.quizzes[module.quiz], rng, right=False)
        pages.setdefault("passed", _submit(client, course.quizzes[module.quiz], rng, right=True))
        pages.setdefault("module", f"/modules/{module.id}")
        pages.setdefault("step", f"/modules/{module.id}/steps/{module.steps[1].id}")
        pages.setdefault("quiz", f"/quizzes/{module.quiz}/attempts")
    _fill_tools(client, course)
    client.post("/certificate")
    home = client.get("/").text
    found = re.search(r'href="(/certificates/[0-9A-Z-]{14}/print)"', home)
    assert found, "the demo learner has no certificate"
    pages["certificate"] = found.group(1)
    for quiz in course.quizzes.values():  # one open attempt at each quiz that allows another
        started = client.post(f"/quizzes/{quiz.id}/attempts")
        if started.status_code == 302:
            pages[f"form {quiz.id}"] = started.location
    return pages


def _submit(client: FlaskClient, quiz: Quiz, rng: random.Random, *, right: bool) -> str:
    """Start an attempt, answer every question it drew, submit; return the attempt's path."""
    started = client.post(f"/quizzes/{quiz.id}/attempts")
    assert started.status_code == 302, started.text
    path = started.location
    form = client.get(path).text
    fields: list[tuple[str, str]] = [("confirm_blank", "1")]
    for question in quiz.questions:
        if f'name="q-{question.id}' not in form:
            continue
        kind = question_type(question)
        answer = kind.right_answer(question) if right else kind.wrong_answer(question, rng)
        fields += kind.fields(question, answer, f"q-{question.id}")
        fields.append((f"c-{question.id}", "3" if right else "2"))
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    sent = client.post(path, data=data)
    assert sent.status_code == 302, f"{path}: {sent.status_code}"
    return path


def _fill_tools(client: FlaskClient, course: Course) -> None:
    """Fill in every tool: two as written above, the others with their scales and what they
    require, so that each shows its results and chart."""
    assert client.post("/tools/carre-magique", data=CARRE).status_code == 302
    rows = {"f-projet": "Revitaliser le centre-bourg", "f-territoire": "Les Coteaux de Lisière"}
    for index, (name, profile, link) in enumerate(ACTORS):
        rows |= {
            f"r-acteurs-{index}-nom": name,
            f"r-acteurs-{index}-profil": profile,
            f"r-acteurs-{index}-lien": link,
        }
    assert client.post("/tools/carte-acteurs", data=rows).status_code == 302
    for tool in course.tools.values():
        if tool.id in ("carre-magique", "carte-acteurs") or any(
            f.required and f.type == "rows" for f in tool.fields
        ):
            continue
        form = {}
        for number, f in enumerate(tool.fields):
            if f.type == "scale":
                form[f"f-{f.id}"] = str(number % len(f.points))
            elif f.required and f.type in ("text", "textarea"):
                form[f"f-{f.id}"] = "Les Coteaux de Lisière"
            elif f.required and f.type == "choice":
                form[f"f-{f.id}"] = f.options[0].id
        saved = client.post(f"/tools/{tool.id}", data=form)
        assert saved.status_code == 302, f"{tool.id}: {saved.status_code}"
