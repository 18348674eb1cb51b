"""Accounts: registration, authentication, password, e-mail and name."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from course.domain.permissions import ROLES

from . import events, login_sessions
from .db import forbid_write_lock
from .models import User

# Checked against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not-a-password")


class EmailTaken(Exception):
    """The email already belongs to an account."""


def normalize_email(email: str) -> str:
    """Return the email as accounts are keyed: trimmed and lower-case."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """Hash a password with scrypt (slow on purpose: never inside a write transaction)."""
    forbid_write_lock("hashing a password")
    return generate_password_hash(password, method="scrypt")


def create_user(
    db: Session,
    *,
    email: str,
    display_name: str,
    password: str = "",
    now: datetime,
    role: str = "learner",
    password_hash: str | None = None,
) -> User:
    """Create an account; raise EmailTaken if the email is in use.

    Give `password_hash` (hashed before the write transaction) rather than `password` in a request.
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    user = User(
        email=normalize_email(email),
        display_name=display_name.strip(),
        password_hash=password_hash or hash_password(password),
        role=role,
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
    forbid_write_lock("checking a password")
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(user.password_hash, password)


def set_password(
    db: Session,
    user: User,
    password: str = "",
    *,
    keep: int | None = None,
    password_hash: str | None = None,
) -> None:
    """Set a new password and end every session of the account but `keep` (this browser's).

    Give `password_hash` (hashed before the write transaction) rather than `password` in a request.
    """
    user.password_hash = password_hash or hash_password(password)
    login_sessions.end_all(db, user.id, keep=keep)


def check_password(user: User, password: str) -> bool:
    """Tell whether the password is the account's."""
    forbid_write_lock("checking a password")
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
