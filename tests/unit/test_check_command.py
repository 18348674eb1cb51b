"""`python -m course.content check [DIR]`: lines on stdout, exit 1 on errors, 0 otherwise."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURE_COURSE, REPO_ROOT


def run_check(directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "course.content", "check", str(directory)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )


def test_clean_course_exits_0() -> None:
    result = run_check(FIXTURE_COURSE)
    assert result.returncode == 0
    assert result.stdout == ""


def test_broken_course_prints_path_line_and_exits_1(tmp_path: Path) -> None:
    target = tmp_path / "c"
    shutil.copytree(FIXTURE_COURSE, target)
    quiz = target / "quizzes" / "m1-quiz.yaml"
    quiz.write_text(quiz.read_text().replace("  - id: q-multiple\n", "  - id: q-single\n"))
    result = run_check(target)
    assert result.returncode == 1
    assert "quizzes/m1-quiz.yaml:18: duplicate question id 'q-single'" in result.stdout.splitlines()


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    target = tmp_path / "c"
    shutil.copytree(FIXTURE_COURSE, target)
    step = target / "modules" / "01-bases" / "01-intro.md"
    step.write_text(step.read_text().replace("![Un schéma]", "![]"))
    result = run_check(target)
    assert result.returncode == 0
    assert "warning: image without alt text" in result.stdout


def test_warnings_are_tallied_by_rule(tmp_path: Path) -> None:
    target = tmp_path / "c"
    shutil.copytree(FIXTURE_COURSE, target)
    quiz = target / "quizzes" / "m1-quiz.yaml"
    quiz.write_text(quiz.read_text().replace('{id: c, text: "C",', '{id: c, text: "B",'))
    result = run_check(target)
    assert result.returncode == 0
    assert "warning: [duplicate-choices] choices 'b' and 'c' say the same thing" in result.stdout
    assert "by rule: duplicate-choices 1" in result.stderr


def test_without_a_folder_it_checks_the_course_dir_the_app_serves(tmp_path: Path) -> None:
    target = tmp_path / "c"
    shutil.copytree(FIXTURE_COURSE, target)
    quiz = target / "quizzes" / "m1-quiz.yaml"
    quiz.write_text(quiz.read_text().replace("pass_mark:", "pass_mrak:"))
    result = subprocess.run(
        [sys.executable, "-m", "course.content", "check"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "COURSE_DIR": str(target)},
        check=False,
    )
    assert result.returncode == 1
    assert "quizzes/m1-quiz.yaml" in result.stdout
    assert f"checking the course in {target}" in result.stderr


def test_the_app_says_why_it_does_not_start_on_a_broken_course(tmp_path: Path) -> None:
    target = tmp_path / "c"
    shutil.copytree(FIXTURE_COURSE, target)
    (target / "quizzes" / "m1-quiz.yaml").write_text("id: m1-quiz\n  bad: [\n")
    env = {**os.environ, "COURSE_DIR": str(target), "SECRET_KEY": "k" * 40}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'app.sqlite'}"
    result = subprocess.run(
        [sys.executable, "-c", "import app"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    told = result.stderr.splitlines()
    assert told[0].startswith("The course has errors, so the app did not start.")
    assert told[1].startswith("quizzes/m1-quiz.yaml:2: invalid YAML")
