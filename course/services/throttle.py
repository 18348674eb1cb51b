"""Login throttling with counters in the database, so every worker and host sees them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from .accounts import normalize_email
from .models import FailedLogin

WINDOW = timedelta(minutes=15)
PER_EMAIL = 10  # failures for one account within the window
PER_IP = 50  # failures from one address within the window (shared networks)


def is_throttled(db: Session, email: str, ip: str, *, now: datetime) -> bool:
    """Tell whether logins for this email or from this address must wait."""
    since = now - WINDOW
    email = normalize_email(email)
    by_email, by_ip = db.execute(
        select(
            func.count().filter(FailedLogin.email == email),
            func.count().filter(FailedLogin.ip == ip),
        ).where(FailedLogin.at >= since, or_(FailedLogin.email == email, FailedLogin.ip == ip))
    ).one()
    return by_email >= PER_EMAIL or by_ip >= PER_IP


def record_failure(db: Session, email: str, ip: str, *, now: datetime) -> None:
    """Count a failed login, and forget failures older than the window."""
    db.execute(delete(FailedLogin).where(FailedLogin.at < now - WINDOW))
    db.add(FailedLogin(email=normalize_email(email)[:254], ip=ip[:45], at=now))
    db.flush()


def clear(db: Session, email: str) -> None:
    """Forget an account's failures (its owner logged in, or the account was erased)."""
    db.execute(delete(FailedLogin).where(FailedLogin.email == normalize_email(email)))
