"""Server-side SVG charts, each with a title and a description (a table sits beside them)."""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from course.domain.numbers import percent

ACCENT = "#1f5fa8"
GRID = "#c9d1de"
INK = "#1d2433"


def svg(width: int, height: int, title: str, description: str, body: list[str]) -> Markup:
    """Wrap drawn shapes in an accessible SVG: role img, a <title> and a <desc>."""
    digest = hashlib.sha1(f"{title}|{description}".encode(), usedforsecurity=False)
    ident = "chart-" + digest.hexdigest()[:8]  # an element id, not a secret
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" class="chart">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(description)}</desc>'
    )
    drawn = head + "".join(body) + "</svg>"
    # Every text part is escaped: the title and description above, labels by text() below;
    # shapes carry only numbers and this module's colours.
    return Markup(drawn)  # nosec B704


def text(x: float, y: float, text: str, anchor: str = "middle", size: int = 12) -> str:
    """Return an escaped SVG text element."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{INK}">{escape(text)}</text>'
    )


def radar(title: str, description: str, values: Sequence[tuple[str, float | None]]) -> Markup:
    """Draw scores (0-1) on a radar; unanswered axes sit at the centre."""
    cx, cy, radius, n = 220, 180, 120, len(values)

    def point(index: int, fraction: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / n
        return cx + radius * fraction * math.cos(angle), cy + radius * fraction * math.sin(angle)

    body = []
    for ring in (0.25, 0.5, 0.75, 1.0):
        ring_points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        body.append(f'<polygon points="{ring_points}" fill="none" stroke="{GRID}"/>')
    for index, (label, _) in enumerate(values):
        x, y = point(index, 1.0)
        body.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        lx, ly = point(index, 1.22)
        body.append(text(lx, ly + 4, label))
    shape = " ".join(
        f"{x:.1f},{y:.1f}" for x, y in (point(i, v or 0.0) for i, (_, v) in enumerate(values))
    )
    body.append(
        f'<polygon points="{shape}" fill="{ACCENT}" fill-opacity="0.25" stroke="{ACCENT}" '
        'stroke-width="2"/>'
    )
    return svg(440, 360, title, description, body)


def bars(title: str, description: str, values: Sequence[tuple[str, float | None]]) -> Markup:
    """Draw scores (0-1) as horizontal bars, labelled with their percentage."""
    body, top, width = [], 20, 260
    for index, (label, value) in enumerate(values):
        y = top + index * 34
        body.append(text(170, y + 16, label, anchor="end"))
        body.append(f'<rect x="180" y="{y}" width="{width}" height="22" fill="#eef1f6"/>')
        if value is not None:
            body.append(
                f'<rect x="180" y="{y}" width="{width * value:.1f}" height="22" fill="{ACCENT}"/>'
            )
        shown = percent(value)
        body.append(text(450, y + 16, shown, anchor="start"))
    return svg(520, top + 34 * len(values) + 10, title, description, body)


def grid_map(
    title: str,
    description: str,
    columns: Sequence[str],
    rows: Sequence[str],
    dots: Sequence[tuple[int, int, str]],
) -> Markup:
    """Place labelled dots in a grid: one column per x option, one row per y option."""
    crowd = max(Counter((x, y) for x, y, _ in dots).values(), default=0)
    # Narrower cells when there are many columns, so the map fits a page without shrinking.
    cell_w, cell_h, left, top = (
        max(84, 720 // max(len(columns), 1)),
        max(70, 24 + 14 * crowd),
        96,
        30,
    )
    width, height = left + cell_w * len(columns) + 10, top + cell_h * len(rows) + 10
    body = []
    for x_index, column in enumerate(columns):
        body.append(text(left + cell_w * x_index + cell_w / 2, top - 10, column[:16], size=10))
    for y_index, row in enumerate(reversed(rows)):
        y = top + cell_h * y_index
        body.append(text(left - 8, y + cell_h / 2, row, anchor="end", size=11))
        for x_index in range(len(columns)):
            body.append(
                f'<rect x="{left + cell_w * x_index}" y="{y}" width="{cell_w}" height="{cell_h}" '
                f'fill="none" stroke="{GRID}"/>'
            )
    placed: dict[tuple[int, int], int] = {}
    for x_index, y_index, label in dots:
        slot = placed.get((x_index, y_index), 0)
        placed[(x_index, y_index)] = slot + 1
        x = left + cell_w * x_index + 12
        y = top + cell_h * (len(rows) - 1 - y_index) + 16 + 14 * slot
        body.append(f'<circle cx="{x}" cy="{y - 4}" r="5" fill="{ACCENT}"/>')
        body.append(text(x + 9, y, label[: max(8, cell_w // 7)], anchor="start", size=10))
    return svg(width, height, title, description, body)
