"""A trainer's groups go by distinct names: two « Groupe test » cannot be told apart."""

from __future__ import annotations

from collections.abc import Iterable


def name_key(name: str) -> str:
    """Return a group's name as compared: case and spacing aside."""
    return " ".join(name.split()).casefold()


def name_taken(name: str, names: Iterable[str]) -> bool:
    """Tell whether a new group's name is one of `names` (case and spacing aside)."""
    return name_key(name) in {name_key(other) for other in names}
