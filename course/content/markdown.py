"""Render authored Markdown once, to HTML sanitized by an allowlist."""

from __future__ import annotations

import re
from functools import lru_cache

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
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
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
