"""Settings: the embedded default needs nothing; production refuses unsafe settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.config import ConfigError, check_production, ensure_secret_key, from_environment


def test_a_secret_is_generated_once_into_instance(tmp_path: Path) -> None:
    first = ensure_secret_key({}, tmp_path)
    assert len(first) >= 32
    assert ensure_secret_key({}, tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("key", [None, "", "dev", "x" * 31])
def test_production_refuses_a_missing_or_short_secret(tmp_path: Path, key: str | None) -> None:
    config = {**from_environment({"COURSE_ENV": "production"}), "SECRET_KEY": key}
    with pytest.raises(ConfigError):
        check_production({**config, "SECRET_KEY": ensure_secret_key(config, tmp_path)})


def test_production_cookies_are_secure_and_host_bound() -> None:
    config = from_environment({"COURSE_ENV": "production", "TRUSTED_HOSTS": "a.example, b.example"})
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert config["TRUSTED_HOSTS"] == ["a.example", "b.example"]
    check_production({**config, "SECRET_KEY": "k" * 40, "PUBLIC_URL": "https://a.example"})


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "a.example",
        "http://a.example",
        "https://",
        "https://a.example/sub",
        "https://a.b?x",
    ],
)
def test_production_requires_an_https_public_url(url: str | None) -> None:
    config = {**from_environment({"COURSE_ENV": "production"}), "SECRET_KEY": "k" * 40}
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        check_production({**config, "PUBLIC_URL": url})


def test_environment_settings_are_read() -> None:
    env = {"DATABASE_URL": "postgresql+psycopg://x/y", "COURSE_DIR": "/c", "OTHER": "z"}
    assert from_environment(env) == {"DATABASE_URL": "postgresql+psycopg://x/y", "COURSE_DIR": "/c"}


def test_certificate_settings_come_from_the_environment() -> None:
    env = {
        "PUBLIC_URL": "https://c.example",
        "SIGNING_KEY_PATH": "/k.pem",
        "CERTIFICATE_ISSUER": "X",
    }
    assert from_environment(env) == env


def test_mail_settings_come_from_the_environment() -> None:
    env = {
        "MAIL_SERVER": "smtp.example",
        "MAIL_PORT": "587",
        "MAIL_USE_TLS": "true",
        "MAIL_USE_SSL": "0",
        "MAIL_USERNAME": "u",
        "MAIL_PASSWORD": "p",
        "MAIL_DEFAULT_SENDER": "Cours <cours@example.org>",
        "MAIL_BACKEND": "smtp",
    }
    found = from_environment(env)
    assert found == {**env, "MAIL_PORT": 587, "MAIL_USE_TLS": True, "MAIL_USE_SSL": False}


def test_session_durations_come_from_the_environment() -> None:
    env = {"SESSION_IDLE_MINUTES": "15", "SESSION_MAX_HOURS": " 8 ", "SESSION_REMEMBER_DAYS": "7"}
    found = from_environment(env)
    assert found == {"SESSION_IDLE_MINUTES": 15, "SESSION_MAX_HOURS": 8, "SESSION_REMEMBER_DAYS": 7}


@pytest.mark.parametrize("value", ["0", "-5", "trente", "1.5", "²"])
def test_a_bad_session_duration_stops_the_start(value: str) -> None:
    with pytest.raises(ConfigError, match="SESSION_IDLE_MINUTES"):
        from_environment({"SESSION_IDLE_MINUTES": value})


def test_seconds_come_from_the_environment_and_a_bad_one_stops_the_start() -> None:
    found = from_environment({"SQLITE_CHECKPOINT_SECONDS": "0", "DRAFT_AUTOSAVE_SECONDS": "60"})
    assert found["SQLITE_CHECKPOINT_SECONDS"] == 0
    assert found["DRAFT_AUTOSAVE_SECONDS"] == 60
    with pytest.raises(
        ConfigError, match="DRAFT_AUTOSAVE_SECONDS must be a whole number of at least 1"
    ):
        from_environment({"DRAFT_AUTOSAVE_SECONDS": "0"})
    with pytest.raises(ConfigError, match="SQLITE_CHECKPOINT_SECONDS"):
        from_environment({"SQLITE_CHECKPOINT_SECONDS": "-1"})


def test_the_time_zone_comes_from_the_environment_and_an_unknown_one_stops_the_start() -> None:
    assert from_environment({"TIMEZONE": " America/Montreal "})["TIMEZONE"] == "America/Montreal"
    with pytest.raises(ConfigError, match="TIMEZONE must be a time zone name"):
        from_environment({"TIMEZONE": "Paris"})
