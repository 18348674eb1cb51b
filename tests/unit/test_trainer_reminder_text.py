"""A reminder's text: every brace is a placeholder the mail fills, or the form says why not."""

from __future__ import annotations

import random

import pytest

from course.domain.french import plural
from course.domain.reminders import DEFAULT_MESSAGE, DEFAULT_SUBJECT, fill, template_problems

ALLOWED = "Repères possibles : {nom}, {cours}, {etape}, {lien}, {formateur}."


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        (DEFAULT_SUBJECT, []),
        (DEFAULT_MESSAGE, []),
        ("Sans repère", []),
        ("Relance {inconnu}", ["Repère inconnu : {inconnu}.", ALLOWED]),
        (
            "Bonjour {nom}, {prenom} ! {lien",
            ["Repère inconnu : {prenom}.", "Accolade non fermée : « {lien ».", ALLOWED],
        ),
        ("{a} {b} {a}", ["Repères inconnus : {a}, {b}.", ALLOWED]),
        ("{Nom}", ["Repère inconnu : {Nom}.", ALLOWED]),
        ("{ nom }", ["Repère inconnu : { nom }.", ALLOWED]),
        ("{}", ["Repère inconnu : {}.", ALLOWED]),
        ("{nom {lien}", ["Accolade non fermée : « {nom ».", ALLOWED]),
        ("voir lien} ici", ["Accolade fermante sans accolade ouvrante : « lien} ».", ALLOWED]),
        ("{ et {", ["Accolade non fermée : « { ».", ALLOWED]),
    ],
)
def test_template_problems(text: str, problems: list[str]) -> None:
    assert template_problems(text) == problems


def test_a_text_without_problems_is_filled_whole() -> None:
    """The check and `fill` agree: what the check accepts leaves no brace in the mail."""
    rng = random.Random(7)
    pieces = ["{", "}", "nom", "lien", "etape", "prenom", " ", "x", "{nom}", "{lien}"]
    values = {"nom": "Léa", "cours": "C", "etape": "E", "lien": "L", "formateur": "F"}
    accepted = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        filled = fill(text, values)
        if not template_problems(text):
            accepted += 1
            assert "{" not in filled, text
            assert "}" not in filled, text
        else:
            assert template_problems(text)[-1] == ALLOWED
    assert accepted > 100


@pytest.mark.parametrize(
    ("count", "word"),
    [
        (0, "apprenant"),
        (1, "apprenant"),
        (1.5, "apprenant"),
        (2, "apprenants"),
        (1000, "apprenants"),
        (-1, "apprenant"),
    ],
)
def test_the_french_plural_starts_at_two(count: float, word: str) -> None:
    assert plural(count, "apprenant") == word


def test_the_plural_form_may_be_given() -> None:
    assert plural(1, "apprenant a", "apprenants ont") == "apprenant a"
    assert plural(3, "apprenant a", "apprenants ont") == "apprenants ont"
