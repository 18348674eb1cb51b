"""Login throttling counts tries in the database: per account and address, per address, and a
back-off (never a lock) per account."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from course.services import throttle
from tests.conftest import now


def attempt(
    db: Session,
    email: str = "a@example.org",
    ip: str = "10.0.0.1",
    *,
    at: datetime | None = None,
    known: bool = False,
) -> bool:
    """Make one try as the login view does; tell whether it was let through (and then failed)."""
    when = at or now()
    try_id = throttle.record_try(db, email, ip, now=when)
    db.commit()
    refused = throttle.over_limits(db, try_id, email, ip, now=when, known_browser=known)
    if refused:
        throttle.withdraw(db, try_id)
    db.commit()
    return not refused


def test_one_address_gets_ten_tries_at_an_account(db: Session) -> None:
    assert all(attempt(db, at=now() + timedelta(minutes=n)) for n in range(10))
    assert not attempt(db, "A@example.org", at=now() + timedelta(minutes=11))
    assert attempt(db, "b@example.org", at=now() + timedelta(minutes=11))


def test_an_address_gets_fifty_failures(db: Session) -> None:
    assert all(attempt(db, f"u{n}@example.org", "10.0.0.9") for n in range(50))
    assert not attempt(db, "new@example.org", "10.0.0.9")
    assert attempt(db, "new@example.org", "10.0.0.10")


def test_many_addresses_slow_an_account_down_but_never_lock_it(db: Session) -> None:
    for n in range(10):
        assert attempt(db, ip=f"10.1.0.{n}", at=now())
    assert not attempt(db, ip="10.2.0.1", at=now() + timedelta(seconds=1))
    assert attempt(db, ip="10.2.0.1", at=now() + throttle.backoff(11) + timedelta(seconds=1))
    # The owner's own browser, known from an earlier login, is not slowed at all.
    assert attempt(
        db, ip="10.3.0.1", at=now() + throttle.backoff(11) + timedelta(seconds=2), known=True
    )


def test_the_back_off_doubles_up_to_a_minute() -> None:
    waits = [throttle.backoff(n).total_seconds() for n in range(9, 20)]
    assert waits == [0, 0, 5, 10, 20, 40, 60, 60, 60, 60, 60]


def test_the_throttle_lifts_after_the_window_and_on_success(db: Session) -> None:
    for n in range(10):
        attempt(db, at=now() + timedelta(seconds=n))
    assert not attempt(db, at=now() + timedelta(minutes=1))
    assert attempt(db, at=now() + throttle.WINDOW + timedelta(minutes=1))
    throttle.clear(db, "a@example.org")
    db.commit()
    assert attempt(db, at=now() + timedelta(minutes=2))
