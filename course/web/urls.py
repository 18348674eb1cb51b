"""Absolute URLs: always built from PUBLIC_URL when it is set, never from a request's Host."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, url_for


def init_app(app: Flask) -> None:
    """Offer `public_url` to templates."""
    app.add_template_global(public_url)


def base_url() -> str:
    """Return the site's public base URL (PUBLIC_URL; in development, the request's host)."""
    configured = current_app.config.get("PUBLIC_URL")
    return str(configured or request.host_url).rstrip("/")


def public_url(endpoint: str, **values: Any) -> str:
    """Return an absolute URL on the public site."""
    return base_url() + url_for(endpoint, **values)
