"""Settings: defaults, then instance/config.py, then the environment; guards for production."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from course.content.cache import CACHE_NAME as CONTENT_CACHE_NAME

REPO_ROOT = Path(__file__).resolve().parent.parent
ENV_SETTINGS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "COURSE_DIR",
    "PUBLIC_URL",
    "SIGNING_KEY_PATH",
    "CERTIFICATE_ISSUER",
    "LRS_URL",
    "LRS_USERNAME",
    "LRS_PASSWORD",
    "MAIL_SERVER",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_DEFAULT_SENDER",
    "MAIL_BACKEND",
    "PG_BIN_DIR",
    "TIMEZONE",
)
MAIL_FLAGS = ("MAIL_USE_TLS", "MAIL_USE_SSL")
SESSION_DURATIONS = ("SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS", "SESSION_REMEMBER_DAYS")
# Whole numbers read from the environment, with their least value (0 turns the thread off).
WHOLE_NUMBERS = {
    **dict.fromkeys(SESSION_DURATIONS, 1),
    "DRAFT_AUTOSAVE_SECONDS": 1,
    "SQLITE_CHECKPOINT_SECONDS": 0,
}


class ConfigError(RuntimeError):
    """A setting is missing or unsafe."""


def defaults(instance_path: Path) -> dict[str, Any]:
    """Return the embedded defaults: SQLite in instance/, the repo's own course."""
    return {
        "DATABASE_URL": f"sqlite:///{instance_path / 'course.sqlite'}",
        # SQLite: a thread copies the write-ahead log into the database this often, so that no
        # commit waits for the disk (course/services/sqlite_checkpoints.py); 0: commits do it.
        "SQLITE_CHECKPOINT_SECONDS": 2,
        "COURSE_DIR": str(REPO_ROOT),
        # Dates and times are stored in UTC and shown in this zone (an IANA name).
        "TIMEZONE": "Europe/Paris",
        # Rendered Markdown and parsed YAML, by text hash (course/content/cache.py); None: off.
        "CONTENT_CACHE": str(instance_path / CONTENT_CACHE_NAME),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "MAX_FORM_PARTS": 1000,  # more fields than any form here has (a full tool: ~700): 413
        "PRODUCTION": False,
        "TRUSTED_PROXY_COUNT": 0,  # reverse proxies whose X-Forwarded-* headers are believed
        # Login sessions (OWASP ASVS level 2): a session ends after this long without a request,
        # or this long after login; « Rester connecté » makes it last this many days instead.
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_MAX_HOURS": 12,
        "SESSION_REMEMBER_DAYS": 30,
        # An open quiz page saves changed answers as a draft this often (quiz-autosave.js),
        # which also keeps the session alive while the learner works.
        "DRAFT_AUTOSAVE_SECONDS": 120,
        # A remembered session's cookie is re-sent when it changes (its idle clock, at most once
        # a minute), not on every answer.
        "SESSION_REFRESH_EACH_REQUEST": False,
        # Trainer workspace (issue 5): "needs help" thresholds and dashboard settings.
        "NEEDS_HELP_FAILED_ATTEMPTS": 2,  # failed a quiz this many times and not passed it
        "NEEDS_HELP_INACTIVE_DAYS": 14,  # in progress but no activity for this many days
        "NEEDS_HELP_CONFIDENT_WRONG": 4,  # wrong answers given with the top confidence
        "TRAINER_ACTIVE_DAYS": 7,  # "active" in the dashboard's summary
        "TRAINER_PAGE_SIZE": 50,  # learners per dashboard page
        "ITEM_ANALYSIS_MIN_LEARNERS": 20,  # fewer learners: the statistics carry a warning
        "ITEM_WEAK_EFFICIENCY": 15,  # discriminative efficiency (%) below which a question is weak
        # Outgoing mail (Flask-Mailman's names). No MAIL_SERVER and no MAIL_BACKEND: the
        # embedded default prints each mail and keeps a copy in instance/mail/.
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_DEFAULT_SENDER": "Cours <ne-pas-repondre@localhost>",
        "MAIL_TIMEOUT": 10,
        "MAIL_FILE_PATH": str(instance_path / "mail"),
    }


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Return the settings given in the environment."""
    env = os.environ if environ is None else environ
    found: dict[str, Any] = {k: env[k] for k in ENV_SETTINGS if env.get(k)}
    found.update({k: _zone_name(found[k]) for k in ("TIMEZONE",) if k in found})
    if env.get("MAIL_PORT"):
        if not env["MAIL_PORT"].strip().isdigit():
            raise ConfigError(f"MAIL_PORT must be a port number, not {env['MAIL_PORT']!r}")
        found["MAIL_PORT"] = int(env["MAIL_PORT"])
    for flag in MAIL_FLAGS:
        if env.get(flag):
            found[flag] = env[flag].strip().lower() in ("1", "true", "yes", "on")
    if env.get("COURSE_ENV") == "production":
        found["PRODUCTION"] = True
        found["SESSION_COOKIE_SECURE"] = True
        found["REMEMBER_COOKIE_SECURE"] = True
        # __Host- pins the cookie to this host, over HTTPS, for the whole site.
        found["SESSION_COOKIE_NAME"] = "__Host-session"
    for name, least in WHOLE_NUMBERS.items():
        if env.get(name, "").strip():
            found[name] = _whole(name, env[name], least)
    if env.get("TRUSTED_PROXY_COUNT", "").strip():
        found["TRUSTED_PROXY_COUNT"] = int(env["TRUSTED_PROXY_COUNT"])
    if env.get("TRUSTED_HOSTS"):
        found["TRUSTED_HOSTS"] = [h.strip() for h in env["TRUSTED_HOSTS"].split(",") if h.strip()]
    return found


def _zone_name(value: str) -> str:
    """Return a time zone's name if this machine knows it, or refuse to start saying so."""
    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"TIMEZONE must be a time zone name such as Europe/Paris, not {value!r}"
        ) from None
    return value.strip()


def _whole(name: str, value: str, least: int) -> int:
    """Read a whole number of at least `least`, or refuse to start saying which setting is wrong."""
    if not (value.strip().isascii() and value.strip().isdigit()) or int(value) < least:
        raise ConfigError(f"{name} must be a whole number of at least {least}, not {value!r}")
    return int(value)


def ensure_secret_key(config: dict[str, Any], instance_path: Path) -> str:
    """Return the secret key: given, or generated once into instance/ for the embedded default."""
    if config.get("SECRET_KEY"):
        return str(config["SECRET_KEY"])
    if config.get("PRODUCTION"):
        raise ConfigError("SECRET_KEY must be set in production (COURSE_ENV=production)")
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def check_production(config: dict[str, Any]) -> None:
    """Refuse unsafe settings in production."""
    if not config.get("PRODUCTION"):
        return
    if len(str(config.get("SECRET_KEY", ""))) < 32:
        raise ConfigError("SECRET_KEY must be at least 32 characters in production")
    public = urlsplit(str(config.get("PUBLIC_URL") or ""))
    if public.scheme != "https" or not public.netloc or public.path.strip("/") or public.query:
        raise ConfigError(
            "PUBLIC_URL must be set in production to the site's https:// address "
            "(e.g. https://cours.example.org): every absolute URL is built from it"
        )
