"""Login throttling counts failures in the database, per account and per address."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from course.services import throttle
from tests.conftest import now


def fail(db: Session, times: int, email: str = "a@example.org", ip: str = "10.0.0.1") -> None:
    for n in range(times):
        throttle.record_failure(db, email, ip, now=now() + timedelta(seconds=n))
    db.commit()


def test_an_account_is_throttled_after_ten_failures(db: Session) -> None:
    fail(db, 9)
    assert not throttle.is_throttled(db, "A@example.org", "10.0.0.2", now=now())
    fail(db, 1)
    assert throttle.is_throttled(db, "a@example.org", "10.0.0.2", now=now())
    assert not throttle.is_throttled(db, "b@example.org", "10.0.0.2", now=now())


def test_an_address_is_throttled_after_fifty_failures(db: Session) -> None:
    for n in range(50):
        throttle.record_failure(db, f"u{n}@example.org", "10.0.0.9", now=now())
    db.commit()
    assert throttle.is_throttled(db, "new@example.org", "10.0.0.9", now=now())


def test_the_throttle_lifts_after_the_window_and_on_success(db: Session) -> None:
    fail(db, 10)
    later = now() + throttle.WINDOW + timedelta(minutes=1)
    assert not throttle.is_throttled(db, "a@example.org", "10.0.0.1", now=later)
    throttle.clear(db, "a@example.org")
    db.commit()
    assert not throttle.is_throttled(db, "a@example.org", "10.0.0.1", now=now())
