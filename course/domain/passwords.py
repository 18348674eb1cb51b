"""The password rule: long enough, not a common or breached one, not the account's own words."""

from __future__ import annotations

import re
from collections.abc import Container

MIN_LENGTH = 8
MAX_LENGTH = 200
MIN_OWN_WORD = 3  # shorter parts of a name or e-mail ("Li", "jo") are too common to forbid
RULE = (
    f"Au moins {MIN_LENGTH} caractères. Évitez les mots de passe courants ou déjà divulgués "
    "(nous en refusons plus de 200 000) et ce qui vient de votre adresse e-mail ou de votre nom. "
    "Une phrase de plusieurs mots est facile à retenir et difficile à deviner."
)
TOO_SHORT = f"Le mot de passe doit compter de {MIN_LENGTH} à {MAX_LENGTH} caractères."
COMMON = "Ce mot de passe est trop courant ou a déjà été divulgué : choisissez-en un autre."
OWN_WORDS = "Le mot de passe ne doit contenir ni votre adresse e-mail ni votre nom."


def own_words(email: str, name: str) -> list[str]:
    """Return the words of an account a password must not contain (lower-case)."""
    local = email.split("@", 1)[0]
    words = [local, *re.split(r"[\W_]+", local), *re.split(r"[\W_]+", name)]
    return sorted({w.casefold() for w in words if len(w) >= MIN_OWN_WORD})


def password_problem(
    password: str, *, email: str = "", name: str = "", common: Container[str]
) -> str | None:
    """Say what is wrong with a new password, or None if it may be used."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return TOO_SHORT
    folded = password.casefold()
    if folded in common or len(set(folded)) < 3:
        return COMMON
    if any(word in folded for word in own_words(email, name)):
        return OWN_WORDS
    return None
