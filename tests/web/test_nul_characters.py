"""A NUL character in a form or a query is refused with a clear page, before any query.

No one types one; PostgreSQL's text cannot hold it (it answered 500), and SQLite kept it and
showed it later as a stray character in the header.
"""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from course.services.models import User
from course.web.bounds import NUL_MESSAGE


def refused(response: object) -> bool:
    assert response.status_code == 400, response.status_code  # type: ignore[attr-defined]
    return NUL_MESSAGE.replace("'", "&#39;") in response.text  # type: ignore[attr-defined]


def test_a_login_with_a_nul_is_refused_with_a_message(client: FlaskClient) -> None:
    assert refused(client.post("/login", data={"email": "a\0@b.fr", "password": "x"}))


def test_a_name_with_a_nul_is_refused_and_the_name_kept(
    db: Session, learner: User, login: Callable[[User], FlaskClient]
) -> None:
    client = login(learner)
    before = learner.display_name
    assert refused(client.post("/account", data={"action": "name", "display_name": "Zoé\0"}))
    db.expire_all()
    assert db.get(User, learner.id).display_name == before  # type: ignore[union-attr]


def test_a_query_with_a_nul_is_refused(learner: User, login: Callable[[User], FlaskClient]) -> None:
    client = login(learner)
    assert refused(client.get("/progress?q=%00"))
    assert client.get("/progress?q=ok").status_code == 200
