"""Shared fixtures: a fresh database per test on SQLite and PostgreSQL, the app, users."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from course import create_app
from course.content.model import Course
from course.services import accounts
from course.services.db import Database
from course.services.models import Base, User
from tests.factories import FIXTURE_COURSE, PASSWORD, REPO_ROOT, fixture_course, now
from tests.smtp_sink import SmtpSink

__all__ = ["FIXTURE_COURSE", "PASSWORD", "REPO_ROOT", "now"]  # tests import them from here too

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = [b for b in os.environ.get("TEST_DATABASES", "sqlite,postgresql").split(",") if b]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """Create a database of our own for this run on the PostgreSQL server, and drop it after."""
    name = f"course_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = re.sub(r"/[^/]+$", f"/{name}", POSTGRES_ADMIN_URL)
    schema = create_engine(url)
    Base.metadata.create_all(schema)
    schema.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return an empty database's URL: a new SQLite file, or the emptied PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
        database = Database(url)
        database.create_all()
        database.dispose()
        return url
    url: str = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


def make_app(database_url: str, course_dir: Path = FIXTURE_COURSE, **extra: object) -> Flask:
    """Build an app for tests (CSRF off unless asked)."""
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "COURSE_DIR": str(course_dir),
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "WTF_CSRF_ENABLED": False,
        "CONTENT_CACHE": None,  # tested on its own: tests/unit/test_content_cache.py
        **extra,
    }
    return create_app(config)


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """The app on a fresh database, returned outside any app context."""
    application = make_app(database_url)
    yield application
    application.extensions["database"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A writer session on the app's database, for arranging and checking data."""
    session = app.extensions["database"].session(writer=True)
    yield session
    session.close()


@pytest.fixture(scope="session")
def course() -> Course:
    """The tiny fixture course (loaded once per run)."""
    return fixture_course()


@pytest.fixture
def make_user(db: Session) -> Callable[..., User]:
    """Create a user and commit; return it."""

    def make(email: str = "learner@example.org", role: str = "learner") -> User:
        user = accounts.create_user(
            db,
            email=email,
            display_name=email.split("@")[0],
            password=PASSWORD,
            role=role,
            now=now(),
        )
        db.commit()
        return user

    return make


@pytest.fixture
def learner(make_user: Callable[..., User]) -> User:
    return make_user("learner@example.org")


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User], FlaskClient]:
    """Log a user in through the login form."""

    def do_login(user: User, on: FlaskClient | None = None) -> FlaskClient:
        target = on or client
        response = target.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.text
        return target

    return do_login


@pytest.fixture
def smtp_server() -> Iterator[SmtpSink]:
    """A real SMTP server (aiosmtpd) collecting mail; `smtp_server.settings` point an app at it."""
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def mail_app(database_url: str, smtp_server: SmtpSink) -> Iterator[Flask]:
    """The app on a fresh database, sending its mail over SMTP to `smtp_server`."""
    application = make_app(database_url, **smtp_server.settings)
    yield application
    application.extensions["database"].dispose()
