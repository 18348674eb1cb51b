"""Who is logged in: each request's session, read in one query and checked against its lifetimes.

The session row (`login_sessions`) is the truth: deleting it ends the session. Its idle clock
is kept in the signed cookie (rewritten at most once a minute), and in the row at most every
five minutes, so that a request seldom writes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, UserMixin, current_user, login_url, login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError

from course import clock
from course.database import database
from course.domain.login_sessions import Lifetimes, is_due, is_over, last_seen
from course.domain.progression import Progress
from course.services import login_sessions, progress
from course.services.models import User

from .database import SAFE_METHODS, db, read_connection

EXPIRED = "Votre session a expiré : reconnectez-vous pour continuer."
SEEN = "seen"  # the idle clock in the cookie: seconds since the epoch
EXPIRED_FLAG = "session_expired"
# A script's request in the background (the quiz's autosave): answered, never redirected.
BACKGROUND = "X-Background"
log = logging.getLogger(__name__)


class _LoginManager(LoginManager):  # type: ignore[misc]
    """Flask-Login without its session protection, which a server-side session replaces.

    Its "basic" mode marks a session no longer fresh when the browser's address or agent
    changes (a phone moving from Wi-Fi to its network), and nothing here asks for a fresh one;
    what ends a session is deleting its row (login_sessions.py). Flask-Login hashes the
    address and agent at every request even with the protection off: this skips it.
    """

    def _session_protection_failed(self) -> bool:
        return False


login_manager = _LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.session_protection = None


@dataclass
class Viewer(UserMixin):
    """The logged-in person, as the web layer knows them (no ORM object leaks out)."""

    id: int
    email: str
    display_name: str
    role: str
    session_id: str  # what the cookie carries
    login_session: int  # the row of `login_sessions`
    # Their progress, read with their session (`viewer_progress`); not yet in the request that
    # logged them in.
    progress: Progress | None = None

    def get_id(self) -> str:
        return self.session_id


def init_app(app: Flask) -> None:
    """Install the login manager, the sessions' lifetimes and the account lock on every write."""
    found = Lifetimes(
        idle=timedelta(minutes=app.config["SESSION_IDLE_MINUTES"]),
        absolute=timedelta(hours=app.config["SESSION_MAX_HOURS"]),
        remembered=timedelta(days=app.config["SESSION_REMEMBER_DAYS"]),
    )
    app.extensions["lifetimes"] = found
    app.permanent_session_lifetime = found.remembered  # a remembered session's cookie
    login_manager.init_app(app)
    app.before_request(_hold_account)
    app.register_error_handler(login_sessions.SessionEnded, _session_ended)


def lifetimes() -> Lifetimes:
    """Return how long this app's sessions last."""
    found = current_app.extensions["lifetimes"]
    assert isinstance(found, Lifetimes)
    return found


def viewer() -> Viewer:
    """Return the logged-in viewer (views using it are behind login_required)."""
    found = current_user._get_current_object()  # type: ignore[attr-defined]
    assert isinstance(found, Viewer)
    return found


def viewer_progress() -> Progress:
    """Return the viewer's progress, read with their session: a write's once it holds the
    account (`login_sessions.hold`)."""
    found = viewer()
    if found.progress is not None:
        return found.progress
    return progress.load_progress(db(), found.id)


def _hold_account() -> None:
    """Before any write, load the viewer: that locks their account's row (see `_load_viewer`)."""
    if request.method not in SAFE_METHODS:
        _ = current_user.is_authenticated


def hold_again() -> None:
    """Lock the account again after slow work done with the lock released (`pause_writes`);
    a session ended meanwhile is sent to log in again (`_session_ended`)."""
    if login_sessions.hold(db(), viewer().session_id) is None:
        raise login_sessions.SessionEnded(viewer().session_id)


def _session_ended(_error: login_sessions.SessionEnded) -> ResponseReturnValue:
    """The session ended while its request went on, before it wrote: nothing is written, and
    the browser is sent to log in again (found by `hold_again` after slow work, or on SQLite
    once the write lock is taken)."""
    db().rollback()
    logout_user()
    return login_manager.unauthorized()


@login_manager.user_loader
def _load_viewer(value: str) -> Viewer | None:
    """Return the viewer the cookie names while their session lasts; a write locks it first."""
    if request.method in SAFE_METHODS:  # most pages show the learner's progress: read along
        found = login_sessions.signed_in(read_connection(), value)
    else:
        found = login_sessions.hold(db(), value)
    if found is None:
        _forget(expired=False)
        return None
    now = clock.utcnow()
    in_cookie = _cookie_clock()
    seen = last_seen(in_cookie, found.last_seen_at)
    ended = is_over(
        now, seen=seen, expires_at=found.expires_at, remember=found.remember, lifetimes=lifetimes()
    )
    if ended:
        _forget(expired=True)
        return None
    if is_due(now, in_cookie, lifetimes().cookie_every):
        session[SEEN] = int(now.timestamp())
    if is_due(now, found.last_seen_at, lifetimes().persist_every):
        _persist(found.session_id, now)
    return Viewer(
        found.id,
        found.email,
        found.display_name,
        found.role,
        value,
        found.session_id,
        found.progress,
    )


def _cookie_clock() -> datetime | None:
    stamp = session.get(SEEN)
    return datetime.fromtimestamp(stamp, UTC) if isinstance(stamp, int) else None


def _forget(*, expired: bool) -> None:
    """Drop an ended session from the cookie; say so at the next login page if it expired."""
    for key in ("_user_id", "_fresh", "_id", SEEN):
        session.pop(key, None)
    if expired:
        session[EXPIRED_FLAG] = True


def _persist(session_id: int, now: datetime) -> None:
    """Write the session's last request: with the request's writes, or in a short transaction."""
    if db().info.get("writer"):  # a second writer would wait for this one's lock on SQLite
        login_sessions.touch(db(), session_id, now=now)
        return
    writer = database().session(writer=True)
    try:
        login_sessions.touch(writer, session_id, now=now)
        writer.commit()
    except SQLAlchemyError:  # the cookie's clock still holds; a later request writes it
        log.warning("could not write session %s's last request", session_id, exc_info=True)
    finally:
        writer.close()


@login_manager.unauthorized_handler
def _ask_to_log_in() -> ResponseReturnValue:
    """Send to the login page, keeping `next`, saying why: an expired session, or none.

    A background request gets a bare 401 instead, for its script to say so on the page.
    """
    if in_background():
        return "", 401
    expired = session.pop(EXPIRED_FLAG, False)
    message = EXPIRED if expired else login_manager.login_message
    flash(message, login_manager.login_message_category)
    return redirect(login_url("auth.login", next_url=_come_back_to()))


def in_background() -> bool:
    """Say whether a script sent this request in the background (see `BACKGROUND`)."""
    return request.headers.get(BACKGROUND) == "1"


def _come_back_to() -> str:
    """Return the page to come back to after login: this one or, when only a form posts to it,
    the page the form was on (or the course home)."""
    opens = current_app.url_map.bind("localhost").test(request.path, method="GET")
    if request.method in SAFE_METHODS or opens:
        return request.url
    came_from = urlsplit(request.referrer or "")
    page = urlunsplit(("", "", came_from.path, came_from.query, ""))
    same_site = came_from.netloc == request.host
    return (safe_next(page) if same_site else None) or url_for("learn.home")


def safe_next(target: str | None) -> str | None:
    """Return `next` only if it is a path on this site (no scheme, host or '//' trick)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    return target


def start_session(user: User, *, remember: bool = False) -> None:
    """Log the user in on a fresh session: nothing set before login survives (no fixation).

    The caller commits (the session's row is added to its transaction).
    """
    session.clear()
    now = clock.utcnow()
    started = login_sessions.start(
        db(),
        user.id,
        remember=remember,
        user_agent=request.user_agent.string,
        now=now,
        lifetimes=lifetimes(),
    )
    session.permanent = remember  # a remembered session outlives the browser's
    session[SEEN] = int(now.timestamp())
    login_user(
        Viewer(user.id, user.email, user.display_name, user.role, started.cookie, started.id)
    )


def end_session() -> None:
    """End this browser's session: its row is deleted, so every copy of the cookie is refused.

    The caller commits.
    """
    me = viewer()
    login_sessions.end(db(), me.id, me.login_session)
    logout_user()
    session.pop(SEEN, None)
    session.permanent = False
