"""Moments are kept in UTC and shown the French way in the course's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from course.web.templating import french_date

PARIS = ZoneInfo("Europe/Paris")


def test_a_winter_moment_is_an_hour_ahead_in_paris_and_two_in_summer() -> None:
    assert french_date(datetime(2026, 12, 4, 18, 47), PARIS) == "4 décembre 2026 à 19 h 47"
    assert french_date(datetime(2026, 7, 14, 8, 5, tzinfo=UTC), PARIS) == (
        "14 juillet 2026 à 10 h 05"
    )


def test_the_first_of_the_month_is_1er_even_when_the_zone_changes_the_day() -> None:
    assert french_date(datetime(2026, 11, 30, 23, 30), PARIS) == "1er décembre 2026 à 00 h 30"
    assert french_date(datetime(2026, 12, 1, 9, 0)) == "1er décembre 2026 à 09 h 00"


def test_no_moment_is_a_dash() -> None:
    assert french_date(None, PARIS) == "—"
