"""Accounts: registration, authentication and the session token that logout rotates."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from course.domain.permissions import ROLES

from . import events
from .models import User

# Checked against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not-a-password")


class EmailTaken(Exception):
    """The email already belongs to an account."""


def normalize_email(email: str) -> str:
    """Return the email as accounts are keyed: trimmed and lower-case."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """Hash a password with scrypt."""
    return generate_password_hash(password, method="scrypt")


def create_user(
    db: Session,
    *,
    email: str,
    display_name: str,
    password: str,
    now: datetime,
    role: str = "learner",
) -> User:
    """Create an account; raise EmailTaken if the email is in use."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    user = User(
        email=normalize_email(email),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        role=role,
        session_token=secrets.token_hex(16),
        created_at=now,
    )
    try:
        with db.begin_nested():
            db.add(user)
    except IntegrityError:
        raise EmailTaken(email) from None
    events.record(db, user.id, "registered", "course", "course", now=now)
    return user


def authenticate(db: Session, email: str, password: str) -> User | None:
    """Return the user whose email and password match, or None (same work either way)."""
    user = find(db, email)
    return user if password_matches(user, password) else None


def find(db: Session, email: str) -> User | None:
    """Return the account with this email, if any."""
    return db.scalar(select(User).where(User.email == normalize_email(email)))


def password_matches(user: User | None, password: str) -> bool:
    """Tell whether the password is the user's (hashing as long when there is no user)."""
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(user.password_hash, password)


def session_id(user: User | SessionAccount) -> str:
    """Return the id kept in the session cookie: the user id and their current token."""
    return f"{user.id}:{user.session_token}"


def user_for_session(db: Session, value: str) -> User | None:
    """Return the user a session cookie names, if its token is still current."""
    account = session_account(db, value)
    return db.get(User, account.id) if account is not None else None


class SessionAccount(NamedTuple):
    """What each request needs of the logged-in user, read without the ORM."""

    id: int
    email: str
    display_name: str
    role: str
    session_token: str


# Built once: each request reads its user with it, and building a statement costs more than
# running it.
_SESSION_ACCOUNT = select(
    User.id, User.email, User.display_name, User.role, User.session_token
).where(User.id == bindparam("user_id"))


def session_account(db: Session, value: str) -> SessionAccount | None:
    """Return the account a session cookie names, if its token is still current (one query)."""
    user_id, _, token = value.partition(":")
    if not user_id.isdigit() or not token:
        return None
    row = db.connection().execute(_SESSION_ACCOUNT, {"user_id": int(user_id)}).first()
    if row is None or not secrets.compare_digest(row.session_token, token):
        return None
    return SessionAccount(*row)


def hold_session(db: Session, value: str) -> bool:
    """Lock the account's row until the transaction ends; tell whether the session is current.

    Every write made on a learner's behalf takes this lock first, so writes and erasure (or a
    logout everywhere) happen one after the other, and a write after them is refused.
    """
    user_id, _, token = value.partition(":")
    if not user_id.isdigit() or not token:
        return False
    current = db.scalar(select(User.session_token).where(User.id == int(user_id)).with_for_update())
    return current is not None and secrets.compare_digest(current, token)


def end_sessions(user: User) -> None:
    """Invalidate every copy of the user's session cookie."""
    user.session_token = secrets.token_hex(16)


def set_password(user: User, password: str) -> None:
    """Set a new password and end every session of the account (the caller starts a new one)."""
    user.password_hash = hash_password(password)
    end_sessions(user)


def check_password(user: User, password: str) -> bool:
    """Tell whether the password is the account's."""
    return check_password_hash(user.password_hash, password)


def change_email(db: Session, user: User, email: str) -> None:
    """Change the account's email; raise EmailTaken if another account has it."""
    try:
        with db.begin_nested():
            user.email = normalize_email(email)
            db.flush()
    except IntegrityError:
        raise EmailTaken(email) from None


def rename(user: User, display_name: str) -> None:
    """Change the name shown on pages and printed on the certificate."""
    user.display_name = display_name.strip()
