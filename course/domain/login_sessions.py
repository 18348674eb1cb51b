"""Login sessions: how long one lasts, idle and in all, and what a person reads about it.

A normal session ends after 30 minutes without a request or 12 hours after login, whichever
comes first (OWASP ASVS level 2). « Rester connecté » is the learner's explicit choice on a
personal device: the session then lasts 30 days from login, however idle, and the account page
can end it at any time. The durations are settings (`SESSION_IDLE_MINUTES`, …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Lifetimes:
    """How long sessions last, and how often their last activity is written down."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)
    remembered: timedelta = timedelta(days=30)
    # The idle clock lives in the signed cookie, rewritten at most this often...
    cookie_every: timedelta = timedelta(minutes=1)
    # ...and in the database (for the account page), written at most this often.
    persist_every: timedelta = timedelta(minutes=5)

    def expiry(self, started: datetime, *, remember: bool) -> datetime:
        """Return the latest moment a session started at `started` can last to."""
        return started + (self.remembered if remember else self.absolute)

    def idle_limit(self, *, remember: bool) -> timedelta:
        """Return how long a session may go without a request."""
        return self.remembered if remember else self.idle


def is_over(
    now: datetime, *, seen: datetime, expires_at: datetime, remember: bool, lifetimes: Lifetimes
) -> bool:
    """Tell whether a session last seen at `seen` has ended, idle or past its expiry."""
    return now >= expires_at or now - seen >= lifetimes.idle_limit(remember=remember)


def last_seen(cookie_seen: datetime | None, persisted: datetime) -> datetime:
    """Return a session's last request: the cookie's clock, or the database's when later."""
    return persisted if cookie_seen is None or cookie_seen < persisted else cookie_seen


def may_be_active(
    now: datetime,
    *,
    persisted: datetime,
    expires_at: datetime,
    remember: bool,
    lifetimes: Lifetimes,
) -> bool:
    """Tell whether another browser's session may still be open, from the database alone.

    Its last request may be later than the one written down, by up to `persist_every`.
    """
    seen = persisted + lifetimes.persist_every
    return not is_over(
        now, seen=seen, expires_at=expires_at, remember=remember, lifetimes=lifetimes
    )


def is_due(now: datetime, written: datetime | None, every: timedelta) -> bool:
    """Tell whether a clock written at `written` should be written again."""
    return written is None or now - written >= every or written > now


_BROWSERS = (
    ("Edg", "Edge"),
    ("OPR", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox", "Firefox"),
    ("FxiOS", "Firefox"),
    ("Chromium", "Chromium"),
    ("CriOS", "Chrome"),
    ("HeadlessChrome", "Chromium"),
    ("Chrome", "Chrome"),
    ("Safari", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)
UNKNOWN_BROWSER = "Navigateur inconnu"


def describe_browser(user_agent: str) -> str:
    """Name a browser and its system from its User-Agent, e.g. « Firefox · Windows »."""
    words = set(re.findall(r"[A-Za-z]+", user_agent[:512]))
    browser = next((name for token, name in _BROWSERS if token in words), None)
    system = next((name for token, name in _SYSTEMS if token in words), None)
    found = [part for part in (browser, system) if part]
    return " · ".join(found) if found else UNKNOWN_BROWSER
