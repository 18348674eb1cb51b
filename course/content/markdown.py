"""Render authored Markdown once, to HTML sanitized by an allowlist."""

from __future__ import annotations

import re
from collections.abc import Iterator
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
_FENCE = re.compile(r" {0,3}(```|~~~)")
_LIST_ITEM = re.compile(r"( *)(?:[-*+]|\d+[.)])[ \t]")
_LEVEL_1 = re.compile(r"#(?!#)")
_UNDERLINE_1 = re.compile(r"=+[ \t]*")
NESTING = 4  # Python-Markdown nests a list only 4 spaces in


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


def layout_problems(text: str) -> list[tuple[int, str]]:
    """Return what the page would silently lose, as (0-based line offset, message): a level-1
    heading, which the sanitizer drops, and a list item nested by fewer than 4 spaces, which
    joins the list above. Fenced code is left alone."""
    found: list[tuple[int, str]] = []
    in_list = after_blank = False
    previous = ""
    for number, line in _outside_fences(text):
        if not line.strip():
            after_blank, previous = True, ""
            continue
        item = _LIST_ITEM.match(line)
        if _LEVEL_1.match(line):
            found.append((number, "a level-1 heading # is the page's title: start at ##"))
        elif previous and not in_list and _UNDERLINE_1.fullmatch(line):
            found.append(
                (
                    number - 1,
                    "a heading underlined with === is level 1, the page's "
                    "title: start at ## (or underline with ---)",
                )
            )
        if item and in_list and len(item[1]) % NESTING:
            found.append((number, _flattened(len(item[1]))))
        in_list = bool(item) or (in_list and not (after_blank and line[0] not in " \t"))
        after_blank, previous = False, line
    return found


def _flattened(indent: int) -> str:
    nested = (indent // NESTING + 1) * NESTING
    return (
        f"a list item indented by {indent} spaces is not nested (it joins the list above): "
        f"indent it by {nested} spaces"
    )


def _outside_fences(text: str) -> Iterator[tuple[int, str]]:
    """Yield the numbered lines of a Markdown text that are not inside fenced code."""
    fence: str | None = None
    for number, line in enumerate(text.split("\n")):
        opening = _FENCE.match(line)
        if fence is None and opening:
            fence = opening[1]
        elif fence is not None and line.strip().startswith(fence):
            fence = None
        elif fence is None:
            yield number, line
