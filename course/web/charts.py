"""Server-side charts, drawn for a phone first, each with a title and a description.

Every SVG is WIDTH user units wide and shrinks with the page (never grows): a phone's card,
about 324 px at 390 px, shows it nearly at full size, so FONT-unit text reads at 12 px or more.
Labels wrap on word boundaries (`wrap`); nothing is cut. The map is an HTML table, since its
cells hold names of any length. Presentation attributes only: the CSP forbids inline styles.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

ACCENT = "#1f5fa8"
GRID = "#c9d1de"
INK = "#1d2433"
MUTED = "#5a6478"
WIDTH = 340  # user units; see the module's docstring
FONT = 13  # the smallest text drawn
LINE = 17  # from one line of FONT text to the next
EDGE = 6  # room left and right, off a framed chart's border
# Character widths in em, close to DejaVu Sans' (wider than most fonts a phone uses), so that a
# wrapped line fits; `text_width` adds a margin on top.
NARROW, THIN, WIDE, CAPITAL, DIGIT, OTHER = 0.3, 0.41, 0.98, 0.74, 0.64, 0.62


def svg(width: int, height: float, title: str, description: str, body: list[str]) -> Markup:
    """Wrap drawn shapes in an accessible SVG: role img, a <title> and a <desc>."""
    ident = _ident(title, description)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" '
        f'width="{width}" height="{height:.0f}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" class="chart">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(description)}</desc>'
    )
    drawn = head + "".join(body) + "</svg>"
    # Every text part is escaped: the title and description above, labels by lines() below;
    # shapes carry only numbers and this module's colours.
    return Markup(drawn)  # nosec B704


def text(x: float, y: float, text: str, anchor: str = "middle", size: int = FONT) -> str:
    """Return an escaped one-line SVG text element."""
    return lines(x, y, [text], anchor, size)


def lines(
    x: float,
    y: float,
    rows: Sequence[str],
    anchor: str = "start",
    size: int = FONT,
    fill: str = INK,
) -> str:
    """Return an SVG text of several lines, the first on `y`, each one LINE below the last."""
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if n == 0 else LINE}">{escape(row)}</tspan>'
        for n, row in enumerate(rows)
    )
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}">{spans}</text>'
    )


def text_width(line: str, size: int = FONT) -> float:
    """Return a line's estimated width in user units (on the wide side)."""
    return 1.06 * size * sum(_em(c) for c in line)


def _em(char: str) -> float:
    if char in "ijl.,;:'\u2019!|·":
        return NARROW
    if char in "ftrI ()-/":
        return THIN
    if char in "mwMW":
        return WIDE
    if char.isdigit():
        return DIGIT
    return CAPITAL if char.isupper() else OTHER


def wrap(label: str, width: float, size: int = FONT) -> list[str]:
    """Break a label into lines no wider than `width`, between words; a word longer than a
    whole line (rare) is split with a hyphen rather than drawn past the edge."""
    rows: list[str] = []
    for word in label.split():
        while text_width(word, size) > width and len(word) > 2:
            cut = max(n for n in range(1, len(word)) if text_width(word[:n] + "-", size) <= width)
            rows.append(word[:cut] + "-")
            word = word[cut:]
        joined = f"{rows[-1]} {word}" if rows else word
        if rows and not rows[-1].endswith("-") and text_width(joined, size) <= width:
            rows[-1] = joined
        else:
            rows.append(word)
    return rows or [""]


def with_caption(chart: Markup, title: str, legend: str = "") -> Markup:
    """Return a chart followed by its visible caption (for a <figure>): title, then legend."""
    extra = Markup('<span class="chart-legend">{}</span>').format(legend) if legend else ""
    caption = Markup('<figcaption><strong class="chart-title">{}</strong>{}</figcaption>')
    return chart + caption.format(title, extra)  # format() escapes the words


def radar(
    title: str,
    description: str,
    values: Sequence[tuple[str, float | None]],
    scale: Sequence[str] = ("0 %", "25 %", "50 %", "75 %", "100 %"),
) -> Markup:
    """Draw scores (0-1) on a radar, one ring per point of `scale` (centre to edge), each
    labelled; unanswered axes sit at the centre."""
    n, cx = len(values), WIDTH / 2
    angles = [-math.pi / 2 + 2 * math.pi * i / n for i in range(n)]
    sides = [abs(math.cos(a)) > 0.3 for a in angles]  # labels beside the tip, not above it
    labels = [
        wrap(label, 84 if side else WIDTH - 20)
        for (label, _), side in zip(values, sides, strict=True)
    ]
    widest = max(
        (text_width(row) for rows, side in zip(labels, sides, strict=True) if side for row in rows),
        default=0.0,
    )
    radius = max(56.0, min(110.0, cx - 10 - widest))
    above = max(
        (len(r) for r, a in zip(labels, angles, strict=True) if math.sin(a) < -0.3), default=0
    )
    below = max(
        (len(r) for r, a in zip(labels, angles, strict=True) if math.sin(a) > 0.3), default=0
    )
    cy = 16 + above * LINE + radius

    def point(index: int, fraction: float) -> tuple[float, float]:
        angle = angles[index]
        return cx + radius * fraction * math.cos(angle), cy + radius * fraction * math.sin(angle)

    body = []
    rings = len(scale) - 1
    for ring in range(1, rings + 1):
        ring_points = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, ring / rings) for i in range(n))
        )
        body.append(f'<polygon points="{ring_points}" fill="none" stroke="{GRID}"/>')
    for index, rows in enumerate(labels):
        x, y = point(index, 1.0)
        body.append(f'<line x1="{cx}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        cos, sin = math.cos(angles[index]), math.sin(angles[index])
        anchor = "middle" if not sides[index] else ("start" if cos > 0 else "end")
        lx = x + 6 * (cos > 0.3) - 6 * (cos < -0.3)
        if sin < -0.3:  # above the tip: the last line just over it
            ly = y - 8 - (len(rows) - 1) * LINE
        elif sin > 0.3:
            ly = y + 8 + FONT
        else:
            ly = y + FONT / 2 - 2 - (len(rows) - 1) * LINE / 2
        body.append(lines(lx, ly, rows, anchor))
    shape = " ".join(
        f"{x:.1f},{y:.1f}" for x, y in (point(i, v or 0.0) for i, (_, v) in enumerate(values))
    )
    body.append(
        f'<polygon points="{shape}" fill="{ACCENT}" fill-opacity="0.25" stroke="{ACCENT}" '
        'stroke-width="2"/>'
    )
    # The scale, right of the first (upward) axis: each ring's mark just under it, the
    # centre's under the centre.
    for ring, mark in enumerate(scale):
        y = cy - radius * ring / rings
        body.append(lines(cx + 4, y + FONT, [mark], "start", FONT, MUTED))
    height = cy + radius + 12 + below * LINE + 4
    return svg(WIDTH, height, title, description, body)


def bars(title: str, description: str, values: Sequence[tuple[str, float | None, str]]) -> Markup:
    """Draw scores (0-1) as horizontal bars, each under its label and value in words."""
    body, y = [], 4.0
    for label, value, shown in values:
        rows = wrap(f"{label} : {shown}", WIDTH - 2 * EDGE)
        body.append(lines(EDGE, y + FONT, rows))
        y += FONT + (len(rows) - 1) * LINE + 6
        full = WIDTH - 2 * EDGE
        body.append(f'<rect x="{EDGE}" y="{y:.1f}" width="{full}" height="14" fill="#eef1f6"/>')
        if value is not None:
            body.append(
                f'<rect x="{EDGE}" y="{y:.1f}" width="{full * value:.1f}" height="14" '
                f'fill="{ACCENT}"/>'
            )
        y += 14 + 12
    return svg(WIDTH, y, title, description, body)


def grid_map(
    title: str,
    description: str,
    columns: Sequence[str],
    rows: Sequence[str],
    dots: Sequence[tuple[int, int, str]],
) -> Markup:
    """Place named dots in a table: one column per x option, one row per y option (the highest
    at the top); with more x options than y ones, the table is turned so that it stays narrow:
    y's options across (in their order), x's down. On a phone its rows stack (`table.stack`)."""
    turned = len(columns) > len(rows)
    cells: dict[tuple[int, int], list[str]] = {}
    for x_index, y_index, label in dots:
        key = (y_index, x_index) if turned else (x_index, y_index)
        cells.setdefault(key, []).append(label)
    across = list(rows) if turned else list(columns)
    down = list(enumerate(columns)) if turned else list(reversed(list(enumerate(rows))))
    ident = _ident(title, description)
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in across)
    body = []
    for down_index, name in down:
        tds = []
        for across_index in range(len(across)):
            names = cells.get((across_index, down_index), [])
            items = "".join(f"<li>{escape(n)}</li>" for n in names)
            label = escape(across[across_index])
            tds.append(f'<td data-label="{label}">{f"<ul>{items}</ul>" if items else ""}</td>')
        body.append(f'<tr><th scope="row">{escape(name)}</th>{"".join(tds)}</tr>')
    table = (
        f'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{ident}-t">'
        f'<table class="map chart stack" aria-describedby="{ident}-d">'
        f'<caption id="{ident}-t">{escape(title)}</caption>'
        f'<thead><tr><td class="corner"></td>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
        f'<p class="hint" id="{ident}-d">{escape(description)}</p>'
    )
    # Every name, option, title and description above is escaped.
    return Markup(table)  # nosec B704


def _ident(title: str, description: str) -> str:
    digest = hashlib.sha1(f"{title}|{description}".encode(), usedforsecurity=False)
    return "chart-" + digest.hexdigest()[:8]  # an element id, not a secret
