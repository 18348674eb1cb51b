"""Render authored Markdown once, to HTML sanitized by an allowlist."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape, unescape

import markdown as md
import nh3

from .cache import cached

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol",
    "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
}
_IMAGE_WITHOUT_ALT = re.compile(r"!\[\s*\]\(")
# One line of plain prose: no Markdown syntax, no HTML, so it renders as a bare paragraph.
_PLAIN = re.compile(r"[^\n*_\[\]`!|\\<>&#~:=-]*\Z")
_TABLE = re.compile(r"<table[^>]*>.*?</table>", re.S)
_EMPTY_HEADER = re.compile(r"<th([^>]*)>\s*</th>")
_HEADER = re.compile(r"<th[^>]*>(.*?)</th>", re.S)
_TAG = re.compile(r"<[^>]+>")


@lru_cache(maxsize=1)
def _converter() -> md.Markdown:
    return md.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def render(text: str) -> str:
    """Render Markdown to sanitized HTML (from the content cache when the text was seen)."""
    return cached("markdown", text, _render)


def _render(text: str) -> str:
    if text and text == text.strip() and _PLAIN.match(text) and text[0] not in "+0123456789":
        html = f"<p>{text}</p>"  # most quiz texts: skip the parser (same output, 10x faster)
    else:
        converter = _converter()
        converter.reset()
        html = converter.convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return _TABLE.sub(_boxed, clean) if "<table" in clean else clean


def _boxed(found: re.Match[str]) -> str:
    """Put a table in its own focusable box, named after its headers, that scrolls sideways
    on a phone rather than the page; an empty header cell becomes a plain cell."""
    table = _EMPTY_HEADER.sub(r"<td\1></td>", found[0])
    headers = [unescape(_TAG.sub("", h)).strip() for h in _HEADER.findall(table)]
    named = ", ".join(h for h in headers if h)
    label = f"Tableau : {named}" if named else "Tableau"
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-label="{escape(label)}">'
        f"{table}</div>"
    )


def render_inline(text: str) -> str:
    """Render a one-line Markdown fragment without its wrapping paragraph."""
    html = render(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def images_without_alt(text: str) -> list[int]:
    """Return the 0-based line offsets of Markdown images that have no alt text."""
    return [n for n, line in enumerate(text.splitlines()) if _IMAGE_WITHOUT_ALT.search(line)]
