"""Which files make a course, and a word about each one the loader would silently skip.

The loader reads `modules/course.md`, `modules/pages/*.md`, the module folders `modules/NN-slug/`,
`quizzes/*.yaml` and `tools/*.yaml`. A file named otherwise (`m2-quiz.yml`, `modules/sols/`)
would vanish from the course without a word, so each one is reported with the name to give it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .textfold import fold

if TYPE_CHECKING:
    from .files import Report

MODULE_FOLDER = re.compile(r"^\d\d-[a-z0-9-]+$")
STEP_FILE = re.compile(r"^\d\d-[a-z0-9-]+\.md$")
COURSE_PAGE = "course.md"
PAGES_FOLDER = "pages"
_NUMBER = re.compile(r"^(\d+)")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Extensions an author may have used for the same kind of file.
_SAME_KIND = {".yaml": (".yml", ".yaml"), ".md": (".md", ".markdown")}


def check_layout(root: Path, report: Report) -> None:
    """Report every file or folder the loader skips because of its name."""
    modules = root / "modules"
    if modules.is_dir():
        _check_modules_folder(root, modules, report)
        _check_suffix(root, modules / PAGES_FOLDER, ".md", "page", report)
    _check_suffix(root, root / "quizzes", ".yaml", "quiz", report)
    _check_suffix(root, root / "tools", ".yaml", "tool", report)


def _visible(folder: Path) -> list[Path]:
    """Return a folder's entries, leaving out hidden ones (.DS_Store, .git)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _check_modules_folder(root: Path, modules: Path, report: Report) -> None:
    entries = _visible(modules)
    numbered = [p.name for p in entries if p.is_dir() and MODULE_FOLDER.match(p.name)]
    for entry in entries:
        rel = entry.relative_to(root).as_posix()
        if entry.is_dir() and entry.name != PAGES_FOLDER and entry.name not in numbered:
            report.error(
                rel,
                1,
                "module folder name must look like NN-slug (lower case), e.g. "
                f"{suggested_module_folder(entry.name, numbered)}: this folder is ignored",
            )
        elif entry.is_file() and entry.name != COURSE_PAGE:
            report.error(
                rel,
                1,
                f"modules/ holds only {COURSE_PAGE}, {PAGES_FOLDER}/ and module folders "
                "NN-slug/: this file is ignored",
            )


def _check_suffix(root: Path, folder: Path, suffix: str, kind: str, report: Report) -> None:
    """Report the files of `folder` that do not end in `suffix`, which the loader skips."""
    for entry in _visible(folder):
        if entry.is_file() and entry.suffix != suffix:
            report.error(
                entry.relative_to(root).as_posix(),
                1,
                f"a {kind} file name must end in {suffix}: {misnamed_advice(entry.name, suffix)}",
            )


def misnamed_advice(name: str, suffix: str) -> str:
    """Tell how to name a file the loader skips: its own kind of file, or not one at all."""
    stem, dot, extension = name.rpartition(".")
    if dot and f".{extension.lower()}" in _SAME_KIND.get(suffix, ()):
        return f"rename it to {stem}{suffix} (this file is ignored)"
    return "this file is ignored"


def suggested_module_folder(name: str, numbered: Iterable[str]) -> str:
    """Suggest an NN-slug name for a module folder: its own number if it has one, else the
    next free one, and its name in lower case with dashes."""
    number = _NUMBER.match(name)
    slug = _NOT_SLUG.sub("-", fold(_NUMBER.sub("", name))).strip("-") or "module"
    if number is not None:
        return f"{int(number[1]):02d}-{slug}"
    used = [int(m[1]) for n in numbered if (m := _NUMBER.match(n))]
    return f"{max(used, default=0) + 1:02d}-{slug}"
