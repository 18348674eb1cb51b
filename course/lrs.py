"""Forwarding learning events to a Learning Record Store (LRS_URL), in batches, never twice.

Statements leave the outbox only once the LRS has stored them. Their ids are stable (derived
from the event), so a batch sent again after a crash or a lost answer is stored once: an LRS
answers 204 for statements it already holds identically (409 when it holds another statement
under that id, which is kept, never overwritten). When the LRS is down or refuses a batch, the
batch stays queued and is retried with a back-off that doubles up to ten minutes.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from course.content.model import Course
from course.domain.xapi import VERSION, Activities, Site
from course.services import xapi
from course.services.db import Database

TIMEOUT = 15  # seconds for one batch


class LrsError(Exception):
    """The LRS could not take a batch (down, refusing, or answering in an unexpected way)."""


@dataclass(frozen=True)
class Lrs:
    """Where statements go: the LRS's xAPI endpoint and its basic-auth credentials."""

    url: str
    username: str = ""
    password: str = ""

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise LrsError(f"LRS_URL must be an http(s) URL, not {self.url!r}")

    def send(self, statements: list[dict[str, Any]]) -> None:
        """POST a batch of statements; return once the LRS has stored them (or held them)."""
        request = urllib.request.Request(
            self.url.rstrip("/") + "/statements",
            data=json.dumps(statements, ensure_ascii=False).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-Experience-API-Version": VERSION,
                **self._auth(),
            },
        )
        try:
            # The URL is a setting, checked to be http(s) when the Lrs is made.
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # nosec B310
                response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 409:  # another statement already holds one of these ids: keep it
                return
            detail = exc.read()[:300].decode(errors="replace")
            raise LrsError(f"LRS answered {exc.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise LrsError(f"LRS unreachable: {exc}") from None

    def _auth(self) -> dict[str, str]:
        if not self.username:
            return {}
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}


@dataclass
class Report:
    """What a forwarding run did."""

    sent: int = 0
    failed_batches: int = 0
    last_error: str = ""

    def summary(self) -> str:
        """Say it in one line."""
        text = f"{self.sent} statement(s) sent"
        if self.failed_batches:
            text += f"; the LRS refused a batch, kept for later: {self.last_error}"
        return text


def forward_once(
    database: Database,
    course: Course,
    site: Site,
    lrs: Lrs,
    *,
    now: Callable[[], datetime],
    batch: int = xapi.BATCH,
) -> Report:
    """Send every due statement, batch by batch; stop at the first batch the LRS refuses.

    The batch is read, then sent, with no transaction open: a slow or absent LRS never holds the
    database's write lock. Only the short bookkeeping after the answer writes.
    """
    report = Report()
    activities = Activities(site, course)
    while True:
        with database.session(writer=False) as reader:
            events = xapi.due(reader, now=now(), limit=batch)
            ids = [e.id for e in events]
            statements = xapi.statements(reader, activities, events)
        if not ids:
            return report
        try:
            lrs.send(statements)
        except LrsError as exc:
            with database.session(writer=True) as writer:
                xapi.postponed(writer, ids, error=str(exc), now=now())
                writer.commit()
            report.failed_batches += 1
            report.last_error = str(exc)
            return report
        with database.session(writer=True) as writer:
            xapi.delivered(writer, ids)
            writer.commit()
        report.sent += len(ids)


def forward_forever(
    database: Database,
    course: Course,
    site: Site,
    lrs: Lrs,
    *,
    now: Callable[[], datetime],
    idle_seconds: float = 5.0,
    log: Callable[[str], None] = print,
) -> None:
    """Forward as statements arrive, pausing between rounds; for running beside gunicorn."""
    while True:
        report = forward_once(database, course, site, lrs, now=now)
        if report.sent or report.failed_batches:
            log(report.summary())
        time.sleep(idle_seconds)
