"""The one password rule: length, the bundled common list, the account's own words."""

from __future__ import annotations

import pytest

from course.domain.passwords import COMMON, OWN_WORDS, TOO_SHORT, own_words, password_problem
from course.web.passwords import common_passwords

ACCOUNT = {"email": "nadia.benali@example.org", "name": "Nadia Benali"}


def test_the_bundled_list_is_large_and_lower_case() -> None:
    common = common_passwords()
    assert len(common) >= 100_000
    assert {"12345678", "password", "azertyuiop", "iloveyou"} <= common
    assert all(p == p.lower() for p in common)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("court", TOO_SHORT),
        ("x" * 201, TOO_SHORT),
        ("12345678", COMMON),
        ("password", COMMON),
        ("PassWord", COMMON),
        ("aaaaaaaa", COMMON),
        ("abababababab", COMMON),
        ("nadia.benali2026", OWN_WORDS),
        ("Benali-1234!x", OWN_WORDS),
        ("super-NADIA-99", OWN_WORDS),
        ("chevaux lents sur la colline", None),
        ("un-mot-de-passe-sûr", None),
    ],
)
def test_password_problem(password: str, problem: str | None) -> None:
    assert password_problem(password, common=common_passwords(), **ACCOUNT) == problem


def test_own_words_skip_the_very_short() -> None:
    assert own_words("jo.li@example.org", "Jo Li") == ["jo.li"]
    assert own_words("nb@example.org", "Nadia Benali") == ["benali", "nadia"]
