"""File downloads: CSV (see domain/exports: BOM, `;`, quoted, guarded) and text attachments."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from flask import Response

from course.domain import exports


def safe_filename(name: str) -> str:
    """Return a plain ASCII file name: letters, digits, dot, dash and underscore only."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")
    return cleaned[:100] or "export"


def csv_response(rows: Iterable[Sequence[object]], filename: str, separator: str = ";") -> Response:
    """Return rows as a CSV attachment a French spreadsheet opens (see exports.to_csv)."""
    return attachment(exports.to_csv(rows, separator), filename, "text/csv; charset=utf-8")


def attachment(body: str, filename: str, mimetype: str) -> Response:
    """Return text as a downloadable file with a safe name (`mimetype` may carry its charset)."""
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    return response
