"""Links in authored texts: an address on the site names content that exists, never a .md file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from course.content.links import CONTENT_PARAMETERS, SITE_ROUTES, find_links
from tests.conftest import make_app
from tests.unit.course_copies import edit, lines


def test_the_checker_knows_every_address_the_app_serves(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'routes.sqlite'}")
    try:
        served = {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    finally:
        app.extensions["database"].dispose()
    assert set(SITE_ROUTES) == served
    # A new route naming content by a `<..._id>` must say which content, so links to it are checked.
    named = {name for route in served for name in re.findall(r"<([a-z_]+_id)>", route)}
    assert named <= set(CONTENT_PARAMETERS)


@pytest.mark.parametrize(
    ("markdown", "found"),
    [
        ("Voir [l'étape](/modules/m1/steps/m1-intro).", [(0, "/modules/m1/steps/m1-intro")]),
        ('Un\n[texte sur\ndeux lignes](/pages/glossaire "Titre")', [(2, "/pages/glossaire")]),
        ("[en chevrons](</pages/glossaire>)", [(0, "/pages/glossaire")]),
        ("[![Un schéma](/media/s.png)](/pages/glossaire)", [(0, "/pages/glossaire")]),
        ("![Une image](/media/s.png) seule", []),
        ("[la note][1]\n\n[1]: /pages/sources", [(2, "/pages/sources")]),
        ('<a href="/tools/outil-1">outil</a>', [(0, "/tools/outil-1")]),
        ("`[code](/nulle-part)` puis [vrai](/about)", [(0, "/about")]),
        ("```\n[code](/nulle-part)\n```\n[vrai](/about)", [(3, "/about")]),
        (r"\[pas un lien](/nulle-part)", []),
        (
            "[wiki](https://fr.wikipedia.org/wiki/Territoire_(géographie))",
            [(0, "https://fr.wikipedia.org/wiki/Territoire_(géographie)")],
        ),
    ],
)
def test_find_links(markdown: str, found: list[tuple[int, str]]) -> None:
    assert find_links(markdown) == found


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        pytest.param(
            "modules/01-bases/01-intro.md",
            "Premier pas.",
            "Premier pas, voir [l'étape](/modules/m2-sols/steps/m2-nope).",
            "modules/01-bases/01-intro.md:11: link '/modules/m2-sols/steps/m2-nope': unknown "
            "module 'm2-sols'",
            id="step-unknown-module",
        ),
        pytest.param(
            "modules/01-bases/01-intro.md",
            "Premier pas.",
            "Premier pas.\n\nVoir [la suite](/modules/m2/steps/m1-pratique#fin).",
            "modules/01-bases/01-intro.md:13: link '/modules/m2/steps/m1-pratique#fin': module "
            "'m2' has no step 'm1-pratique' (it is a step of 'm1')",
            id="step-of-another-module",
        ),
        pytest.param(
            "modules/02-suite/module.md",
            "La suite.",
            "La suite, avec le [glossaire](/pages/nope).",
            "modules/02-suite/module.md:10: link '/pages/nope': unknown page 'nope'",
            id="module-unknown-page",
        ),
        pytest.param(
            "modules/course.md",
            "Ce cours sert aux tests.",
            'Ce cours a <a href="/tools/outil-9">un outil</a>.',
            "modules/course.md:5: link '/tools/outil-9': unknown tool 'outil-9'",
            id="course-page-html-anchor",
        ),
        pytest.param(
            "modules/01-bases/01-intro.md",
            "Premier pas.",
            "Premier pas, puis [la pratique](02-pratique.md).",
            "modules/01-bases/01-intro.md:11: link '02-pratique.md' names a Markdown file, which "
            "the site does not serve: link a step as /modules/<module>/steps/<step> (this one: "
            "/modules/m1/steps/m1-pratique)",
            id="relative-md-link",
        ),
        pytest.param(
            "modules/pages/glossaire.md",
            "agir ensemble.",
            "agir ensemble ([synthèse](../02-suite/02-synthese.md)).",
            "modules/pages/glossaire.md:6: link '../02-suite/02-synthese.md' names a Markdown "
            "file, which the site does not serve: link a step as /modules/<module>/steps/<step>",
            id="relative-md-link-to-no-file",
        ),
        pytest.param(
            "modules/01-bases/02-pratique.md",
            'prompt: "Appliquez les bases',
            "prompt: \"Ouvrez [l'outil](/tools/outil-2). Appliquez les bases",
            "modules/01-bases/02-pratique.md:10: link '/tools/outil-2': unknown tool 'outil-2'",
            id="activity-prompt-in-front-matter",
        ),
        pytest.param(
            "quizzes/m2-quiz.yaml",
            'prompt: "Dans l\'ordre"',
            'prompt: "Dans l\'ordre (voir [vos essais](/quizzes/m9-quiz/attempts))"',
            "quizzes/m2-quiz.yaml:11: link '/quizzes/m9-quiz/attempts': unknown quiz 'm9-quiz'",
            id="quiz-prompt",
        ),
        pytest.param(
            "quizzes/m1-quiz.yaml",
            '    explanation: "La bonne est la bonne."',
            "    explanation: |\n      La bonne est la bonne.\n"
            "      Relisez [l'étape](/modules/m1).\n      Et [le glossaire](/pages/glosaire).",
            "quizzes/m1-quiz.yaml:20: link '/pages/glosaire': unknown page 'glosaire'",
            id="quiz-block-text-line",
        ),
        pytest.param(
            "tools/outil-1.yaml",
            'intro: "Présentez *votre* territoire."',
            'intro: "Présentez *votre* territoire ([aide](/modules/m1/aide))."',
            "tools/outil-1.yaml:8: link '/modules/m1/aide': the site has no page at this address",
            id="tool-intro-no-such-address",
        ),
    ],
)
def test_a_broken_link_is_an_error_at_its_line(
    course_dir: Path, rel: str, old: str, new: str, expected: str
) -> None:
    edit(course_dir, rel, old, new)
    found = lines(course_dir)
    assert expected in found
    assert [line for line in found if "link" in line] == [expected]


def test_links_to_what_the_site_serves_pass(course_dir: Path) -> None:
    links = [
        "/",
        "/about",
        "/progress",
        "/modules/m1",
        "/modules/m2/steps/m2-ordre",
        "/modules/m1/steps/m1-pratique#exercice",
        "/pages/glossaire",
        "/quizzes/m1-positionnement/attempts",
        "/tools/outil-1",
        "/tools/outil-1/print",
        "/tools/outil-1/export.csv",
        "/media/schema.png",
        "https://exemple.fr/page.md",
        "mailto:contact@exemple.fr",
        "#plus-bas",
        "autre-page",
    ]
    body = "\n\n".join(f"[lien {n}]({target})" for n, target in enumerate(links))
    edit(course_dir, "modules/01-bases/01-intro.md", "Premier pas.", body)
    assert [line for line in lines(course_dir) if "link" in line] == []


@pytest.mark.parametrize(
    ("image", "said"),
    [
        ("/media/nope.png", "image '/media/nope.png': no file media/nope.png in the course"),
        (
            "images/sol.png",
            "image 'images/sol.png': put the file in the course's media/ folder and write "
            "/media/sol.png",
        ),
    ],
)
def test_an_image_the_course_does_not_ship_is_an_error_at_its_line(
    course_dir: Path, image: str, said: str
) -> None:
    step = "modules/01-bases/01-intro.md"
    edit(course_dir, step, "(https://img.example/schema.png)", f"({image})")
    assert f"{step}:13: {said}" in lines(course_dir)


def test_an_image_of_the_media_folder_or_another_site_passes(course_dir: Path) -> None:
    step = "modules/01-bases/01-intro.md"
    edit(course_dir, step, "(https://img.example/schema.png)", "(/media/schema.png)")
    assert lines(course_dir) == []
    assert (course_dir / "media" / "schema.png").is_file()


def test_a_link_or_a_reference_to_a_missing_media_file_is_an_error(course_dir: Path) -> None:
    step = "modules/01-bases/01-intro.md"
    edit(
        course_dir,
        step,
        "(https://img.example/schema.png)",
        "(https://img.example/schema.png) [Le PDF](/media/nope.pdf) ![Réf.][r1]\n\n"
        "[r1]: /media/nope4.png\n",
    )
    found = lines(course_dir)
    assert f"{step}:13: link '/media/nope.pdf': no file media/nope.pdf in the course" in found
    assert f"{step}:15: link '/media/nope4.png': no file media/nope4.png in the course" in found
