"""File downloads: CSV (RFC 4180, guarded against formula injection) and text attachments."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from flask import Response

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str:
    """Return a cell that a spreadsheet will not run as a formula (a leading ' when needed)."""
    text = "" if value is None else str(value)
    if text and (text.startswith(_FORMULA_START) or ord(text[0]) < 32):
        return "'" + text
    return text


def safe_filename(name: str) -> str:
    """Return a plain ASCII file name: letters, digits, dot, dash and underscore only."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")
    return cleaned[:100] or "export"


def csv_response(rows: Iterable[Sequence[object]], filename: str) -> Response:
    """Return rows as a CSV attachment (CRLF line ends, every cell guarded)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return attachment(buffer.getvalue(), filename, "text/csv; charset=utf-8")


def attachment(body: str, filename: str, mimetype: str) -> Response:
    """Return text as a downloadable file with a safe name."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    return response
