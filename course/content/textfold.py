"""Fold free-text answers so that case, accents, punctuation and spacing do not matter."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Return text without case, accents, punctuation or extra spaces, for comparing answers.

    Apostrophes and dashes, typographic or not, are punctuation: « l\u2019État » folds like
    « l'etat » and « l etat », « co-construction » like « co construction ». Non-breaking and
    thin spaces are spaces (NFKD turns them into plain ones).
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(
        " " if unicodedata.category(c).startswith("P") else c
        for c in decomposed
        if not unicodedata.combining(c)
    )
    return " ".join(bare.split())
