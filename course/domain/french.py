"""French grammar a page needs around numbers: the plural starts at two."""

from __future__ import annotations


def plural(count: float, one: str, many: str | None = None) -> str:
    """Choose the form of a word for a count: singular under two (« 0 apprenant », « 1,5 heure »),
    else plural (`many`, by default `one` with an « s »)."""
    if abs(count) < 2:
        return one
    return many if many is not None else one + "s"
