"""Password resets: single-use links valid one hour; only the hash of each token is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from . import accounts
from .models import PasswordReset, User

LIFETIME = timedelta(hours=1)
# At most this many links per account per LIFETIME, so the form cannot flood a mailbox.
MAX_LINKS = 3


def token_hash(token: str) -> str:
    """Return the SHA-256 of a token, as stored (a leaked table gives no usable link)."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue(db: Session, email: str, *, now: datetime) -> tuple[User, str] | None:
    """Create a reset link's token for the account with this email; None if none or too many."""
    user = db.scalar(select(User).where(User.email == accounts.normalize_email(email)))
    if user is None:
        return None
    recent = db.scalar(
        select(func.count())
        .select_from(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.created_at > now - LIFETIME)
    )
    if (recent or 0) >= MAX_LINKS:
        return None
    token = secrets.token_urlsafe(32)
    db.add(
        PasswordReset(
            user_id=user.id, token_hash=token_hash(token), created_at=now, expires_at=now + LIFETIME
        )
    )
    db.flush()
    return user, token


def find(db: Session, token: str, *, now: datetime) -> PasswordReset | None:
    """Return the reset a token names if it is unused and not expired."""
    return db.scalar(
        select(PasswordReset).where(
            PasswordReset.token_hash == token_hash(token),
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now,
        )
    )


def reset(
    db: Session, token: str, password: str = "", *, now: datetime, password_hash: str | None = None
) -> User | None:
    """Set the password a valid token allows, use up every link of the account, end sessions."""
    found = find(db, token, now=now)
    if found is None:
        return None
    # Claimed in one UPDATE: of two concurrent uses of one link, only one changes the password.
    claimed = db.execute(
        update(PasswordReset)
        .where(PasswordReset.id == found.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    db.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == found.user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    user = db.get(User, found.user_id)
    assert user is not None
    accounts.set_password(db, user, password, password_hash=password_hash)
    return user
