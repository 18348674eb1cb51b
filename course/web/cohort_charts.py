"""The dashboard's charts as server-side SVG: presentation attributes only (the CSP forbids
inline styles), a <title> and a <desc>; the page puts the same numbers in a table beside them."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from course.domain.metrics import FunnelStep
from course.domain.numbers import percent

from .charts import svg, text

BAR = "#1f5fa8"
PASS = "#1c7c45"
GRID = "#c9d1de"
INK = "#1d2433"


def funnel(steps: Sequence[FunnelStep]) -> Markup:
    """Draw the completion funnel: one horizontal bar per stage, widths relative to the first."""
    width, label_w, row = 720, 300, 30
    top = max((s.count for s in steps), default=0) or 1
    body = []
    for index, step in enumerate(steps):
        y = 8 + index * row
        length = (width - label_w - 110) * step.count / top
        share = percent(step.count / steps[0].count) if steps[0].count else "—"
        body.append(text(label_w - 8, y + 16, _short(step.label, 44), "end"))
        body.append(
            f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{row - 8}" fill="{BAR}"/>'
        )
        body.append(text(label_w + length + 6, y + 16, f"{step.count} ({share})", "start"))
    desc = "; ".join(f"{s.label} : {s.count}" for s in steps)
    return svg(width, 16 + len(steps) * row, "Entonnoir de progression", desc, body)


def distribution(title: str, counts: Sequence[int], pass_mark: float) -> Markup:
    """Draw best scores per tenth of the scale as columns, with the pass mark as a line."""
    width, height, left, bottom = 360, 190, 34, 24
    plot_w, plot_h = width - left - 8, height - bottom - 14
    top = max(counts, default=0) or 1
    slot = plot_w / max(1, len(counts))
    body = [
        f'<line x1="{left}" y1="{14 + plot_h}" x2="{width - 8}" y2="{14 + plot_h}" '
        f'stroke="{GRID}"/>',
        text(left - 4, 20, str(top), "end", 10),
        text(left - 4, 14 + plot_h, "0", "end", 10),
    ]
    for index, count in enumerate(counts):
        bar_h = plot_h * count / top
        x = left + index * slot
        body.append(
            f'<rect x="{x + 2:.1f}" y="{14 + plot_h - bar_h:.1f}" width="{slot - 4:.1f}" '
            f'height="{bar_h:.1f}" fill="{BAR}"/>'
        )
        if index % 2 == 0:
            body.append(text(x, height - 6, f"{index * 100 // len(counts)}", "middle", 10))
    body.append(text(left + plot_w, height - 6, percent(1), "end", 10))
    mark_x = left + plot_w * pass_mark
    body.append(
        f'<line x1="{mark_x:.1f}" y1="8" x2="{mark_x:.1f}" y2="{14 + plot_h}" stroke="{PASS}" '
        f'stroke-width="2" stroke-dasharray="4 3"/>'
    )
    body.append(text(mark_x + 3, 12, f"seuil {percent(pass_mark)}", "start", 10))
    step = 100 // max(1, len(counts))
    desc = "; ".join(
        f"{i * step}-{percent((i + 1) * step, of=100)} : {c}" for i, c in enumerate(counts)
    )
    return svg(width, height, title, f"Meilleurs scores par tranche : {desc}", body)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
