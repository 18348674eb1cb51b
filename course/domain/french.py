"""French wording a page needs: the plural starts at two; a quiz's heading says « Quiz » once."""

from __future__ import annotations


def plural(count: float, one: str, many: str | None = None) -> str:
    """Choose the form of a word for a count: singular under two (« 0 apprenant », « 1,5 heure »),
    else plural (`many`, by default `one` with an « s »)."""
    if abs(count) < 2:
        return one
    return many if many is not None else one + "s"


def quiz_heading(title: str) -> str:
    """Head a quiz with its title, « Quiz : » before it unless the title says it already
    (« Quiz de la séance 1 », not « Quiz : Quiz de la séance 1 »)."""
    return title if title.lower().startswith("quiz") else f"Quiz : {title}"
