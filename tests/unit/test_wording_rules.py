"""Wording rules: a quiz's heading says « Quiz » once; a trainer's groups differ by name."""

from __future__ import annotations

import pytest

from course.domain.french import quiz_heading
from course.domain.group_names import name_taken


@pytest.mark.parametrize(
    ("title", "heading"),
    [
        ("Quiz de la séance 1 : territoires", "Quiz de la séance 1 : territoires"),
        ("quiz final", "quiz final"),
        ("Les bases", "Quiz : Les bases"),
        ("Questionnaire", "Quiz : Questionnaire"),
    ],
)
def test_a_quiz_heading_says_quiz_once(title: str, heading: str) -> None:
    assert quiz_heading(title) == heading


def test_a_group_name_is_taken_whatever_its_case_and_spacing() -> None:
    names = ["Groupe « Essai »", "Promo 2026"]
    assert name_taken("  groupe   « ESSAI » ", names)
    assert not name_taken("Groupe « Essai » 2", names)
    assert not name_taken("Promo 2026", [])
