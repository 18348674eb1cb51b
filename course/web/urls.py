"""Links: pages' links built once per process; absolute URLs always built from PUBLIC_URL when
it is set, never from a request's Host."""

from __future__ import annotations

import functools
from collections.abc import Hashable
from typing import Any

from flask import Flask, current_app, request, url_for


def init_app(app: Flask) -> None:
    """Offer `public_url` to templates, and their `url_for` remembering what it built."""
    app.add_template_global(public_url)
    app.add_template_global(page_url, "url_for")


def page_url(endpoint: str, **values: Any) -> str:
    """Return `url_for(endpoint, **values)`, built once per process for each link a page shows.

    A page shows a dozen links, the same on every request; building one costs as much as
    reading the session. The path depends only on the endpoint, the values and where the site
    is mounted (SCRIPT_NAME), so that is the key; absolute URLs, endpoints relative to the
    request's blueprint (".name") and unhashable values are built each time.
    """
    if (
        values.get("_external")
        or endpoint.startswith(".")
        or not all(isinstance(v, Hashable) for v in values.values())
    ):
        return url_for(endpoint, **values)
    return _built(request.script_root, endpoint, tuple(sorted(values.items())))


@functools.lru_cache(maxsize=4096)
def _built(_script_root: str, endpoint: str, values: tuple[tuple[str, Any], ...]) -> str:
    return url_for(endpoint, **dict(values))


def base_url() -> str:
    """Return the site's public base URL (PUBLIC_URL; in development, the request's host)."""
    configured = current_app.config.get("PUBLIC_URL")
    return str(configured or request.host_url).rstrip("/")


def public_url(endpoint: str, **values: Any) -> str:
    """Return an absolute URL on the public site."""
    return base_url() + url_for(endpoint, **values)
