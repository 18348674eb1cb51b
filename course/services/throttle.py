"""Login throttling with counters in the database, so every worker and host sees them.

A try is counted *before* its password is checked, and committed, so racing tries see each
other: of 100 concurrent tries, no more than the limit get their password checked. Limits:
per account and address, and per address, a refusal until the window passes; per account
(from every address), only a back-off, so nobody can lock a chosen account out, and none at
all for a browser the account logged in from before (the view tells).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from .accounts import normalize_email
from .models import FailedLogin

WINDOW = timedelta(minutes=15)
PER_PAIR = 10  # failed tries for one account from one address within the window
PER_IP = 50  # failed tries from one address within the window (shared networks)
PER_EMAIL = 10  # failed tries for one account from anywhere before it slows down
BACKOFF = timedelta(seconds=5)  # then one try per BACKOFF, doubling up to MAX_BACKOFF
MAX_BACKOFF = timedelta(seconds=60)


def record_try(db: Session, email: str, ip: str, *, now: datetime) -> int:
    """Count a login try as failed until it succeeds; forget tries older than the window."""
    db.execute(delete(FailedLogin).where(FailedLogin.at < now - WINDOW))
    row = FailedLogin(email=normalize_email(email)[:254], ip=ip[:45], at=now)
    db.add(row)
    db.flush()
    return row.id


def backoff(failures: int) -> timedelta:
    """Return how long an account waits between tries once it has this many failures."""
    if failures <= PER_EMAIL:
        return timedelta(0)
    return min(BACKOFF * 2 ** min(failures - PER_EMAIL - 1, 10), MAX_BACKOFF)


def over_limits(
    db: Session, try_id: int, email: str, ip: str, *, now: datetime, known_browser: bool
) -> bool:
    """Tell whether this counted try must be refused (read after the try was committed)."""
    email = normalize_email(email)
    mine = FailedLogin.email == email
    pair, by_ip, by_email, last_other = db.execute(
        select(
            func.count().filter(mine, FailedLogin.ip == ip),
            func.count().filter(FailedLogin.ip == ip),
            func.count().filter(mine),
            func.max(FailedLogin.at).filter(mine, FailedLogin.id != try_id),
        ).where(FailedLogin.at >= now - WINDOW, or_(mine, FailedLogin.ip == ip))
    ).one()
    if pair > PER_PAIR or by_ip > PER_IP:
        return True
    wait = backoff(by_email)
    return not known_browser and bool(wait) and last_other is not None and last_other > now - wait


def withdraw(db: Session, try_id: int) -> None:
    """Forget a try that was refused before its password was checked."""
    db.execute(delete(FailedLogin).where(FailedLogin.id == try_id))


def clear(db: Session, email: str) -> None:
    """Forget an account's failures (its owner logged in, or the account was erased)."""
    db.execute(delete(FailedLogin).where(FailedLogin.email == normalize_email(email)))
