"""Login sessions on a real database: found by their cookie's secret, ended by deleting them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from course.content.model import Course
from course.domain.login_sessions import Lifetimes
from course.services import accounts, login_sessions, personal_data
from course.services.models import LoginSession, User
from tests.conftest import now

LIFETIMES = Lifetimes()
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


def start(db: Session, user: User, *, remember: bool = False, at: timedelta = timedelta()) -> str:
    started = login_sessions.start(
        db, user.id, remember=remember, user_agent=FIREFOX, now=now() + at, lifetimes=LIFETIMES
    )
    db.commit()
    return started.cookie


def test_a_session_is_found_by_its_cookie_and_keeps_only_a_hash(db: Session, learner: User) -> None:
    cookie = start(db, learner, remember=True)
    found = login_sessions.signed_in(db.connection(), cookie)
    assert found is not None
    assert (found.id, found.email, found.remember) == (learner.id, learner.email, True)
    assert found.expires_at == now() + timedelta(days=30)
    row = db.get(LoginSession, found.session_id)
    assert row is not None
    assert row.browser == "Firefox · Windows"
    secret = cookie.rsplit(":", 1)[1]
    assert secret not in row.secret_hash
    assert len(row.secret_hash) == 64


@pytest.mark.parametrize(
    "forge",
    [
        lambda c: c[:-1] + ("A" if c[-1] != "A" else "B"),  # another secret
        lambda c: "999:" + c.split(":", 1)[1],  # another user's id
        lambda c: c.rsplit(":", 1)[0] + ":",  # no secret
        lambda c: c.split(":", 1)[0] + ":0123456789abcdef0123456789abcdef",  # before sessions
        lambda c: "1:99999999999999999999999:x",  # an id no table holds
        lambda c: "",
    ],
)
def test_a_forged_or_old_cookie_finds_nothing(
    db: Session, learner: User, forge: Callable[[str], str]
) -> None:
    cookie = start(db, learner)
    assert login_sessions.signed_in(db.connection(), forge(cookie)) is None
    assert login_sessions.hold(db, forge(cookie)) is None


def test_ending_one_session_leaves_the_others(db: Session, learner: User) -> None:
    first, second = start(db, learner), start(db, learner)
    one = login_sessions.signed_in(db.connection(), first)
    assert one is not None
    assert login_sessions.end(db, learner.id + 1, one.session_id) is False  # not theirs
    assert login_sessions.end(db, learner.id, one.session_id) is True
    db.commit()
    assert login_sessions.signed_in(db.connection(), first) is None
    assert login_sessions.signed_in(db.connection(), second) is not None


def test_a_new_password_ends_every_session_but_the_one_kept(db: Session, learner: User) -> None:
    kept, other = start(db, learner), start(db, learner)
    here = login_sessions.signed_in(db.connection(), kept)
    assert here is not None
    accounts.set_password(db, learner, "un-nouveau-mot-de-passe", keep=here.session_id)
    db.commit()
    assert login_sessions.signed_in(db.connection(), kept) is not None
    assert login_sessions.signed_in(db.connection(), other) is None


def test_active_lists_open_sessions_latest_first(db: Session, learner: User) -> None:
    start(db, learner, at=timedelta(hours=-13))  # past its 12 hours
    start(db, learner, at=timedelta(hours=-2))  # idle for two hours
    old_remembered = start(db, learner, remember=True, at=timedelta(days=-3))
    fresh = start(db, learner)
    listed = login_sessions.active(db, learner.id, now=now(), lifetimes=LIFETIMES)
    ids = [s.id for s in listed]
    assert ids == [_id(db, fresh), _id(db, old_remembered)]


def _id(db: Session, cookie: str) -> int:
    found = login_sessions.signed_in(db.connection(), cookie)
    assert found is not None
    return found.session_id


def test_logging_in_clears_the_accounts_expired_sessions(db: Session, learner: User) -> None:
    start(db, learner, at=timedelta(hours=-13))
    start(db, learner)
    assert db.scalar(select(func.count()).select_from(LoginSession)) == 1


def test_export_names_sessions_without_their_secret_and_erasure_deletes_them(
    db: Session, learner: User, course: Course
) -> None:
    cookie = start(db, learner, remember=True)
    data = personal_data.export_learner(
        db, course, learner.id, base_url="https://cours.example", now=now()
    )
    assert data["login_sessions"] == [
        {
            "browser": "Firefox · Windows",
            "remember": True,
            "created_at": now().isoformat(),
            "last_seen_at": now().isoformat(),
            "expires_at": (now() + timedelta(days=30)).isoformat(),
        }
    ]
    personal_data.erase_learner(db, learner.id, now=now())
    db.commit()
    assert login_sessions.signed_in(db.connection(), cookie) is None
    assert db.scalar(select(func.count()).select_from(LoginSession)) == 0
