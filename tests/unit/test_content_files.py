"""Which files the loader reads: a Markdown file's front matter, and names it would skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.content import load_course
from course.content.layout import misnamed_advice, suggested_module_folder
from course.content.loader import check_folder
from tests.conftest import FIXTURE_COURSE, REPO_ROOT
from tests.unit.course_copies import lines

STEP = "modules/01-bases/01-intro.md"


def test_a_markdown_file_saved_with_a_byte_order_mark_loads(course_dir: Path) -> None:
    step = course_dir / STEP
    step.write_bytes(b"\xef\xbb\xbf" + step.read_text().replace("\n", "\r\n").encode())
    course, problems = load_course(course_dir)
    assert problems == []
    assert course is not None
    assert course.module("m1").step("m1-intro").title == "Introduction"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "---\nPremier pas.",
            "\nPremier pas.",
            "front matter opened at line 1 is never closed with '---'",
            id="never-closed",
        ),
        pytest.param(
            "---\nid: m1-intro",
            "\n---\nid: m1-intro",
            "the file must start with '---' on its first line (found a blank line)",
            id="blank-line-first",
        ),
        pytest.param(
            "---\nid: m1-intro",
            "  ---\nid: m1-intro",
            "the file must start with '---' on its first line (found spaces before it)",
            id="indented-opening",
        ),
        pytest.param(
            "---\nid: m1-intro",
            "id: m1-intro",
            "missing front matter: the file must start with a '---' block",
            id="no-front-matter",
        ),
    ],
)
def test_a_front_matter_problem_is_said_precisely(
    course_dir: Path, old: str, new: str, expected: str
) -> None:
    step = course_dir / STEP
    step.write_text(step.read_text().replace(old, new, 1))
    assert f"{STEP}:1: {expected}" in lines(course_dir)


@pytest.mark.parametrize(
    ("move", "expected"),
    [
        pytest.param(
            ("quizzes/m2-quiz.yaml", "quizzes/m2-quiz.yml"),
            "quizzes/m2-quiz.yml:1: a quiz file name must end in .yaml: rename it to "
            "m2-quiz.yaml (this file is ignored)",
            id="quiz-yml",
        ),
        pytest.param(
            ("tools/outil-1.yaml", "tools/outil-1.YAML"),
            "tools/outil-1.YAML:1: a tool file name must end in .yaml: rename it to "
            "outil-1.yaml (this file is ignored)",
            id="tool-upper-case",
        ),
        pytest.param(
            ("modules/pages/glossaire.md", "modules/pages/glossaire.txt"),
            "modules/pages/glossaire.txt:1: a page file name must end in .md: this file is ignored",
            id="page-txt",
        ),
        pytest.param(
            ("modules/03-fin", "modules/fin"),
            "modules/fin:1: module folder name must look like NN-slug (lower case), e.g. "
            "03-fin: this folder is ignored",
            id="module-folder-without-number",
        ),
        pytest.param(
            ("modules/03-fin", "modules/3-Fin"),
            "modules/3-Fin:1: module folder name must look like NN-slug (lower case), e.g. "
            "03-fin: this folder is ignored",
            id="module-folder-one-digit",
        ),
        pytest.param(
            ("modules/pages/glossaire.md", "modules/glossaire.md"),
            "modules/glossaire.md:1: modules/ holds only course.md, pages/ and module folders "
            "NN-slug/: this file is ignored",
            id="stray-file-in-modules",
        ),
    ],
)
def test_a_misnamed_file_is_reported_with_its_right_name(
    course_dir: Path, move: tuple[str, str], expected: str
) -> None:
    source, target = move
    (course_dir / source).rename(course_dir / target)
    assert expected in lines(course_dir)


def test_pages_course_page_and_hidden_files_are_not_misnamed(course_dir: Path) -> None:
    (course_dir / "modules" / ".DS_Store").write_bytes(b"\0")
    (course_dir / "quizzes" / ".m1-quiz.yaml.swp").write_bytes(b"\0")
    assert lines(course_dir) == []


@pytest.mark.parametrize(
    ("name", "numbered", "suggested"),
    [
        ("sols", ["01-bases"], "02-sols"),
        ("sols", [], "01-sols"),
        ("2-Séance deux", ["01-bases"], "02-seance-deux"),
        ("12_Fin", [], "12-fin"),
        ("---", ["01-a", "04-b"], "05-module"),
    ],
)
def test_suggested_module_folder(name: str, numbered: list[str], suggested: str) -> None:
    assert suggested_module_folder(name, numbered) == suggested


@pytest.mark.parametrize(
    ("name", "suffix", "advice"),
    [
        ("m2-quiz.yml", ".yaml", "rename it to m2-quiz.yaml (this file is ignored)"),
        ("notes.txt", ".yaml", "this file is ignored"),
        ("README", ".yaml", "this file is ignored"),
        ("sources.markdown", ".md", "rename it to sources.md (this file is ignored)"),
    ],
)
def test_misnamed_advice(name: str, suffix: str, advice: str) -> None:
    assert misnamed_advice(name, suffix) == advice


def test_a_file_that_cannot_be_read_is_told_alone(course_dir: Path) -> None:
    """A quiz whose YAML cannot be read is the one error: its module's « unknown quiz » and
    the objectives no question assesses, which would follow from it, are not told."""
    (course_dir / "quizzes" / "m1-quiz.yaml").write_text("id: m1-quiz\n  bad: [\n")
    checked = check_folder(course_dir)
    assert [str(p) for p in checked.problems] == [
        "quizzes/m1-quiz.yaml:2: invalid YAML: this line is indented more than the one above: "
        "align the keys of a mapping"
    ]
    assert not checked.across_files
    assert check_folder(FIXTURE_COURSE).across_files


def test_a_step_that_cannot_be_read_makes_no_errors_elsewhere(course_dir: Path) -> None:
    """m1-quiz sends back to m1-intro (`step: m1-intro`): with the step unread, checking across
    files would add « unknown step 'm1-intro' » in the quiz."""
    assert "step: m1-intro" in (course_dir / "quizzes" / "m1-quiz.yaml").read_text()
    step = course_dir / STEP
    step.write_text(step.read_text().replace("title:", "titre:", 1))
    found = lines(course_dir)
    assert found
    assert all(line.startswith(STEP) for line in found)


def test_the_tools_come_in_course_order_not_by_file_name() -> None:
    """« Mes progrès » lists course.tools: the real course's come module by module, as each
    module lists them, where their file names would put a module 3 tool first."""
    course, _ = load_course(REPO_ROOT)
    assert course is not None
    listed = [tool for module in course.modules for tool in module.tools]
    assert list(course.tools) == listed
    assert listed != sorted(listed)
