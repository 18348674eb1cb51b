"""Item-writing checks: for each rule, a flawed question warns and a sound one does not."""

from __future__ import annotations

from typing import Any

import pytest

from course.content.item_writing import RULES, lint_quiz
from course.content.model import Quiz

WRONG_FEEDBACK = "Non."


def choices(right: str | list[str], *wrong: str) -> list[dict[str, Any]]:
    rights = [right] if isinstance(right, str) else right
    made = [{"id": f"r{i}", "text": t, "correct": True} for i, t in enumerate(rights)]
    return made + [
        {"id": f"w{i}", "text": t, "feedback": WRONG_FEEDBACK, "misconception": f"idee-{i}"}
        for i, t in enumerate(wrong)
    ]


def single(qid: str, prompt: str, right: str, *wrong: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "single",
        "prompt": prompt,
        "objective": "o1",
        "choices": choices(right, *wrong),
        "explanation": "Voir la séance.",
        **extra,
    }


def multiple(qid: str, prompt: str, right: list[str], *wrong: str) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "multiple",
        "prompt": prompt,
        "objective": "o1",
        "choices": choices(right, *wrong),
        "explanation": "Voir la séance.",
    }


def quiz(*questions: dict[str, Any]) -> Quiz:
    return Quiz.model_validate(
        {"id": "q", "module": "m", "title": "Quiz", "pass_mark": 0.5, "questions": questions}
    )


def rules(*questions: dict[str, Any]) -> set[str]:
    return {f.rule for f in lint_quiz(quiz(*questions), 1)}


UNTAGGED = [
    {"id": "a", "text": "Les associations", "correct": True},
    {"id": "b", "text": "Les élus", "feedback": WRONG_FEEDBACK},
]
LONG = "Une alliance qui réunit durablement des acteurs de mondes différents"
CASES = {
    "longest-correct": (
        [single("q1", "Qu'est-ce qu'une alliance ?", LONG, "Un contrat", "Une subvention")],
        [
            single(
                "q1",
                "Qu'est-ce qu'une alliance ?",
                LONG,
                "Un contrat passé entre deux organisations du même secteur",
                "Une subvention versée chaque année par une collectivité locale",
            )
        ],
    ),
    "longest-correct-quiz": (
        [single(f"q{i}", "Lequel ?", "Plutôt celui-ci", "Cela", "Ceci") for i in range(3)],
        [single(f"q{i}", "Lequel ?", "Cela", "Plutôt celui-ci", "Ceci") for i in range(3)],
    ),
    "all-none-of-above": (
        [single("q1", "Qui agit ?", "Aucune de ces réponses", "Les élus", "Les habitants")],
        [single("q1", "Qui agit ?", "Les associations", "Les élus", "Les habitants")],
    ),
    "absolute-distractor": (
        [
            single(
                "q1",
                "Qui décide ?",
                "Les partenaires ensemble",
                "Toujours le maire",
                "Uniquement l'État",
            )
        ],
        [
            single(
                "q1",
                "Qui décide ?",
                "Jamais une seule partie",
                "Toujours le maire",
                "Uniquement l'État",
            )
        ],
    ),
    "absolute-wrong-multiple": (
        [
            multiple(
                "q1",
                "Que faire ?",
                ["Écouter", "Partager"],
                "Ne jamais rien changer",
                "Décider toujours seul",
            )
        ],
        [
            multiple(
                "q1",
                "Que faire ?",
                ["Écouter", "Partager"],
                "Ne jamais rien changer",
                "Attendre la subvention",
            )
        ],
    ),
    "stem-clue": (
        [
            single(
                "q1",
                "Quel est le rôle du diagnostic partagé ?",
                "Un diagnostic commun",
                "Un état des lieux",
                "Un appel d'offres",
            )
        ],
        [
            single(
                "q1",
                "Quel est le rôle du diagnostic partagé ?",
                "Un état des lieux commun",
                "Un diagnostic chiffré",
                "Un appel d'offres",
            )
        ],
    ),
    "duplicate-choices": (
        [single("q1", "Qui ?", "Les élus", "Les habitants", "les  Habitants !")],
        [single("q1", "Qui ?", "Les élus", "Les habitants", "Les entreprises")],
    ),
    "answer-elsewhere": (
        [
            single(
                "q1", "Quel nom ?", "La catalyse territoriale", "Le mécénat", "La sous-traitance"
            ),
            single("q2", "Que permet la catalyse territoriale ?", "Réunir", "Vendre", "Taxer"),
        ],
        [
            single(
                "q1", "Quel nom ?", "La catalyse territoriale", "Le mécénat", "La sous-traitance"
            ),
            single("q2", "Que permet ce rôle ?", "Réunir", "Vendre", "Taxer"),
        ],
    ),
    "all-correct": (
        [multiple("q1", "Que faire ?", ["Écouter", "Partager", "Décider ensemble"])],
        [multiple("q1", "Que faire ?", ["Écouter", "Partager"], "Décider seul")],
    ),
    "no-explanation": (
        [single("q1", "Qui agit ?", "Les associations", "Les élus", explanation=" ")],
        [single("q1", "Qui agit ?", "Les associations", "Les élus")],
    ),
    "no-misconception": (
        [{**single("q1", "Qui agit ?", "Les associations"), "choices": UNTAGGED}],
        [
            single("q1", "Qui agit ?", "Les associations", "Les élus"),
            # The question's own misconception covers its wrong choices.
            {**single("q2", "Qui agit ?", "Les associations"), "choices": UNTAGGED}
            | {"misconception": "un-seul-acteur"},
        ],
    ),
}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == set(RULES)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_a_flawed_question_warns(rule: str) -> None:
    assert rule in rules(*CASES[rule][0])


@pytest.mark.parametrize("rule", sorted(CASES))
def test_a_sound_question_does_not_warn(rule: str) -> None:
    assert rule not in rules(*CASES[rule][1])


@pytest.mark.parametrize("rule", sorted(CASES))
def test_lint_ignore_silences_the_rule(rule: str) -> None:
    flawed = [
        {**q, "lint_ignore": {rule: "Voulu : c'est la formule du cours."}} for q in CASES[rule][0]
    ]
    assert rule not in rules(*flawed)


@pytest.mark.parametrize(
    ("ignore", "message"),
    [
        ({"longest-correctt": "typo"}, "[lint-ignore] unknown rule 'longest-correctt'"),
        ({"stem-clue": "  "}, "[lint-ignore] 'stem-clue' needs a reason"),
    ],
)
def test_a_bad_lint_ignore_is_an_error(ignore: dict[str, str], message: str) -> None:
    question = single("q1", "Qui ?", "Les élus", "Les habitants", lint_ignore=ignore)
    found = lint_quiz(quiz(question), 1)
    assert [f.text.startswith(message) for f in found if f.error] == [True]


def test_numbers_printed_elsewhere_are_found() -> None:
    numeric = {
        "id": "q1",
        "type": "numeric",
        "prompt": "Combien d'années ?",
        "objective": "o1",
        "answer": 28,
    }
    other = single("q2", "Quel horizon ?", "Environ 28 ans", "Environ 7 ans", "Un an")
    findings = lint_quiz(quiz(numeric, other), 1)
    assert [(f.rule, f.line) for f in findings if f.rule == "answer-elsewhere"] == [
        ("answer-elsewhere", 0)
    ]


def test_silencing_a_rule_that_does_not_apply_warns() -> None:
    question = single(
        "q1", "Qui ?", "Les élus", "Les habitants", lint_ignore={"stem-clue": "Plus vrai."}
    )
    found = lint_quiz(quiz(question), 1)
    assert [(f.rule, f.error) for f in found] == [("lint-ignore", False)]
    assert "'stem-clue' is silenced but no longer applies to 'q1'" in found[0].text


def cloze(qid: str, text: str, blanks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "cloze",
        "prompt": "Complétez.",
        "objective": "o1",
        "text": text,
        "blanks": blanks,
        "explanation": "Voir la séance.",
    }


def test_a_cloze_blank_with_choices_is_checked_like_a_single_question() -> None:
    blank = {"id": "b1", "choices": choices(LONG, "Un contrat", "un  contrat")}
    found = {f.rule for f in lint_quiz(quiz(cloze("q1", "C'est [[b1]].", [blank])), 1)}
    assert found == {"duplicate-choices", "longest-correct"}


@pytest.mark.parametrize(
    ("accept", "leaks"),
    [(["zone de projets"], True), (["projets"], False), (["territorialisation"], True)],
)
def test_a_cloze_answer_printed_elsewhere(accept: list[str], leaks: bool) -> None:
    gap = cloze("q1", "Une [[b1]] commune.", [{"id": "b1", "accept": accept}])
    other = single(
        "q2",
        "Que dit-on de la zone de projets et de la territorialisation ?",
        "Réunir",
        "Vendre",
        "Taxer",
    )
    found = {f.rule for f in lint_quiz(quiz(gap, other), 1)}
    assert ("answer-elsewhere" in found) is leaks
