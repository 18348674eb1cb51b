"""Markdown: sanitized once at load; the plain-prose shortcut gives the parser's own output."""

from __future__ import annotations

import markdown as md
import nh3
import pytest

from course.content import markdown


def full_render(text: str) -> str:
    html = md.Markdown(extensions=["extra", "sane_lists"]).convert(text)
    return nh3.clean(
        html,
        tags=markdown.ALLOWED_TAGS,
        attributes=markdown.ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Une phrase simple.",
        "Vrai ou faux\u00a0? Le «\u00a0carré magique\u00a0» est-il économique\u00a0?",
        "Il dit \"oui\" et l'autre 'non'.",
        "12. Une liste ?",
        "+ une liste",
        "- une liste",
        "# Un titre",
        "Du *gras* et du _souligné_",
        "Un [lien](https://example.org)",
        "Deux\n\nparagraphes",
        "a < b & c > d",
        "<script>alert(1)</script>",
        "    du code",
        "Titre\n===",
        "  espaces autour  ",
    ],
)
def test_render_matches_the_full_parser(text: str) -> None:
    assert markdown.render(text) == full_render(text)


@pytest.mark.parametrize(
    "payload",
    [
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "<iframe src=https://evil.example></iframe>",
        "<svg onload=alert(1)>",
        '<a href="&#x6A;avascript:alert(1)">x</a>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_dangerous_markup_is_removed(payload: str) -> None:
    html = markdown.render(payload).lower()
    for banned in ("<script", "<iframe", "onerror", "onload", "javascript:", "data:", "<svg"):
        assert banned not in html


def test_a_table_scrolls_in_its_own_named_box_and_an_empty_header_is_a_cell() -> None:
    html = markdown.render("| | Qui ? | A & B |\n|---|---|---|\n| 1 | x | y |")
    box = '<div class="table-wrap" role="region" tabindex="0" aria-label="Tableau : {}">'
    assert html.startswith(box.format("Qui ?, A &amp; B") + "<table>")
    assert html.endswith("</table></div>")
    assert "<th></th>" not in html
    assert "<td></td>" in html
    assert markdown.render("| <b>x</b> |\n|---|\n| y |").count('aria-label="Tableau : x"') == 1


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("# Titre\n\nTexte.", [(0, "level-1")]),
        ("#Titre collé", [(0, "level-1")]),
        ("Titre\n=====", [(0, "level 1")]),
        ("## Section\n\nTitre\n-----", []),
        ("```\n# un commentaire de code\n  - pas une liste\n```", []),
        ("    # du code indenté", []),
        ("- a\n  - b\n- c", [(1, "2 spaces")]),
        ("1. a\n   - b", [(1, "3 spaces")]),
        ("- a\n\n  - b", [(2, "2 spaces")]),
        ("- a\n    - b\n      - c", [(2, "6 spaces")]),
        ("- a\n    - b\n        - c", []),
        ("Une phrase\n  - pas dans une liste", []),
        ("- a\n\nUn paragraphe.\n  - b", []),
    ],
)
def test_layout_problems_name_what_the_page_would_lose(
    text: str, found: list[tuple[int, str]]
) -> None:
    problems = markdown.layout_problems(text)
    assert [offset for offset, _ in problems] == [offset for offset, _ in found]
    assert all(words in message for (_, message), (_, words) in zip(problems, found, strict=True))


def test_what_layout_problems_warn_about_is_really_lost() -> None:
    assert "<h1" not in markdown.render("# Titre")
    assert markdown.render("- a\n  - b").count("<ul>") == 1  # flattened: one list, no nesting
    assert markdown.render("- a\n    - b").count("<ul>") == 2
