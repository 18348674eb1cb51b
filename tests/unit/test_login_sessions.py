"""How long a login session lasts, and what a person reads about their browser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from course.domain.login_sessions import (
    UNKNOWN_BROWSER,
    Lifetimes,
    describe_browser,
    is_due,
    is_over,
    last_seen,
    may_be_active,
)

START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
LIFETIMES = Lifetimes()


def over(after: timedelta, *, idle: timedelta, remember: bool = False) -> bool:
    expires = LIFETIMES.expiry(START, remember=remember)
    now = START + after
    return is_over(now, seen=now - idle, expires_at=expires, remember=remember, lifetimes=LIFETIMES)


@pytest.mark.parametrize(
    ("after", "idle", "remember", "ended"),
    [
        (timedelta(minutes=29, seconds=59), timedelta(minutes=29, seconds=59), False, False),
        (timedelta(minutes=30), timedelta(minutes=30), False, True),
        (timedelta(hours=5), timedelta(minutes=10), False, False),
        (timedelta(hours=11, minutes=59), timedelta(0), False, False),
        (timedelta(hours=12), timedelta(0), False, True),
        (timedelta(hours=13), timedelta(hours=13), True, False),
        (timedelta(days=29, hours=23), timedelta(days=29), True, False),
        (timedelta(days=30), timedelta(0), True, True),
        (timedelta(days=31), timedelta(days=31), True, True),
    ],
)
def test_a_session_ends_idle_or_at_its_expiry(
    after: timedelta, idle: timedelta, remember: bool, ended: bool
) -> None:
    assert over(after, idle=idle, remember=remember) is ended


def test_the_latest_clock_counts() -> None:
    assert last_seen(None, START) == START
    assert last_seen(START + timedelta(minutes=4), START) == START + timedelta(minutes=4)
    assert last_seen(START - timedelta(minutes=4), START) == START


@pytest.mark.parametrize(
    ("written", "due"),
    [
        (None, True),
        (START - timedelta(minutes=4, seconds=59), False),
        (START - timedelta(minutes=5), True),
        (START + timedelta(minutes=1), True),  # a clock from the future is rewritten
    ],
)
def test_a_clock_is_written_again_after_its_interval(written: datetime | None, due: bool) -> None:
    assert is_due(START, written, timedelta(minutes=5)) is due


@pytest.mark.parametrize(
    ("persisted_ago", "active"),
    [(timedelta(minutes=34), True), (timedelta(minutes=35), False)],
)
def test_another_browser_may_be_active_until_its_written_clock_plus_the_interval(
    persisted_ago: timedelta, active: bool
) -> None:
    now = START + timedelta(hours=1)
    found = may_be_active(
        now,
        persisted=now - persisted_ago,
        expires_at=LIFETIMES.expiry(START, remember=False),
        remember=False,
        lifetimes=LIFETIMES,
    )
    assert found is active


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36",
            "Chrome · Linux",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/131.0.0.0 Safari/537.36",
            "Chromium · Linux",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge · Windows",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Safari · iPhone",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36",
            "Chrome · Android",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox · macOS",
        ),
        ("curl/8.5.0", UNKNOWN_BROWSER),
        ("", UNKNOWN_BROWSER),
        ("<script>" * 500, UNKNOWN_BROWSER),
    ],
)
def test_a_browser_is_named_from_its_user_agent(user_agent: str, name: str) -> None:
    assert describe_browser(user_agent) == name


def test_a_browsers_name_fits_its_column() -> None:
    assert len(describe_browser("Samsung SamsungBrowser Android")) <= 80
