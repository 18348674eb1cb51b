"""The arrows point one way: content/ and domain/ import no web or database framework."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "course"
FORBIDDEN = ("flask", "flask_login", "flask_wtf", "wtforms", "sqlalchemy", "werkzeug")
GLUE = {PACKAGE / "content" / "glue.py"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def pure_files() -> list[Path]:
    files = [*(PACKAGE / "content").rglob("*.py"), *(PACKAGE / "domain").rglob("*.py")]
    return [f for f in files if f not in GLUE]


@pytest.mark.parametrize("path", pure_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_pure_layers_import_no_framework(path: Path) -> None:
    assert not imported_roots(path) & set(FORBIDDEN)


@pytest.mark.parametrize(
    "path",
    [*(PACKAGE / "domain").rglob("*.py"), *(PACKAGE / "services").rglob("*.py")],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_nothing_below_web_imports_web(path: Path) -> None:
    tree = ast.parse(path.read_text())
    modules = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(m.startswith("course.web") or m == "web" for m in modules)


def test_the_check_sees_files_it_must_guard() -> None:
    assert len(pure_files()) >= 10
    assert "flask" in imported_roots(PACKAGE / "content" / "glue.py")


@pytest.mark.parametrize(
    "path",
    [
        *(PACKAGE / "content").rglob("*.py"),
        *(PACKAGE / "domain").rglob("*.py"),
        *(PACKAGE / "services").rglob("*.py"),
        *(PACKAGE / "web").rglob("*.py"),
    ],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_the_engine_never_imports_the_demo_data(path: Path) -> None:
    tree = ast.parse(path.read_text())
    modules = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(m.startswith("course.demo") for m in modules)


def test_synthetic_learners_are_pure() -> None:
    assert not imported_roots(PACKAGE / "demo" / "synthetic.py") & set(FORBIDDEN)
