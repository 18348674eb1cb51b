"""Fold free-text answers so that case, accents and spacing do not matter."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Return text without case, accents or extra spaces, for comparing answers."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("\u2019", "'").split())
