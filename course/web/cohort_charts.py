"""The dashboard's charts as server-side SVG, drawn for a phone first like charts.py's:
presentation attributes only (the CSP forbids inline styles), a <title> and a <desc>; the page
puts the same numbers in a table beside them."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from course.domain.metrics import FunnelStep
from course.domain.numbers import decimal, percent

from .charts import EDGE, FONT, LINE, WIDTH, lines, svg, text, wrap
from .templating import certainty

BAR = "#1f5fa8"
PASS = "#1c7c45"
GRID = "#c9d1de"


def funnel(steps: Sequence[FunnelStep]) -> Markup:
    """Draw the completion funnel: per stage, its name, then a bar as long as its share of the
    first stage with the count and share after it."""
    top = max((s.count for s in steps), default=0) or 1
    body, y = [], 4.0
    for step in steps:
        share = percent(step.count / steps[0].count) if steps[0].count else "—"
        rows = wrap(step.label, WIDTH - 2 * EDGE)
        body.append(lines(EDGE, y + FONT, rows))
        y += FONT + (len(rows) - 1) * LINE + 6
        length = (WIDTH - EDGE - 110) * step.count / top
        body.append(f'<rect x="{EDGE}" y="{y:.1f}" width="{length:.1f}" height="16" fill="{BAR}"/>')
        body.append(text(EDGE + length + 6, y + 13, f"{decimal(step.count)} ({share})", "start"))
        y += 16 + 12
    desc = "; ".join(f"{s.label} : {s.count}" for s in steps)
    return svg(WIDTH, y, "Entonnoir de progression", desc, body)


def distribution(title: str, counts: Sequence[int], pass_mark: float, scoring: str = "") -> Markup:
    """Draw best scores per tenth of the scale as columns, with the pass mark as a line.

    A quiz scored by certainty (`scoring: cbm`) is drawn on its own scale, 0 to +3 marks a
    question, its negative scores counted in the first column."""
    cbm = scoring == "cbm"
    width, height, left, bottom, top_gap = WIDTH, 200, 36, 22, 22
    plot_w, plot_h = width - left - 8, height - bottom - top_gap
    base = top_gap + plot_h
    top = max(counts, default=0) or 1
    slot = plot_w / max(1, len(counts))
    body = [
        f'<line x1="{left}" y1="{base}" x2="{width - 8}" y2="{base}" stroke="{GRID}"/>',
        text(left - 5, top_gap + FONT - 2, str(top), "end"),
        text(left - 5, base, "0", "end"),
    ]
    for index, count in enumerate(counts):
        bar_h = plot_h * count / top
        x = left + index * slot
        body.append(
            f'<rect x="{x + 2:.1f}" y="{base - bar_h:.1f}" width="{slot - 4:.1f}" '
            f'height="{bar_h:.1f}" fill="{BAR}"/>'
        )
        if index % 2 == 0:
            tick = certainty(index / len(counts)) if cbm else f"{index * 100 // len(counts)}"
            body.append(text(x, height - 5, tick, "middle"))
    body.append(text(left + plot_w, height - 5, certainty(1) if cbm else percent(1), "end"))
    mark_x = left + plot_w * min(1.0, max(0.0, pass_mark))
    body.append(
        f'<line x1="{mark_x:.1f}" y1="{top_gap - 4}" x2="{mark_x:.1f}" y2="{base}" '
        f'stroke="{PASS}" stroke-width="2" stroke-dasharray="4 3"/>'
    )
    right = mark_x > width / 2  # the words go on the side with room
    label = f"seuil {certainty(pass_mark) if cbm else percent(pass_mark)}"
    body.append(text(mark_x + (-4 if right else 4), FONT + 1, label, "end" if right else "start"))
    desc = "; ".join(f"{_band(i, len(counts), cbm)} : {c}" for i, c in enumerate(counts))
    scale = " (score de certitude)" if cbm else ""
    return svg(width, height, title, f"Meilleurs scores par tranche{scale} : {desc}", body)


def _band(index: int, bins: int, cbm: bool) -> str:
    """Name a column's band of scores: "10-20 %", or "+0,3 à +0,6" on the certainty scale."""
    if not cbm:
        step = 100 // max(1, bins)
        return f"{index * step}-{percent((index + 1) * step, of=100)}"
    upper = certainty((index + 1) / bins)
    if index == 0:
        return f"jusqu'à {upper}, scores négatifs compris"
    return f"{certainty(index / bins)} à {upper}"
