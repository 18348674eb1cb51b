"""The arrows point one way: web -> services -> domain -> content, and nothing imports web."""

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


def course_imports(path: Path, source: str | None = None) -> set[str]:
    """Return the `course.*` modules a file imports, relative imports resolved."""
    package = ["course", *path.relative_to(PACKAGE).parent.parts]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source or path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {m for m in found if m == "course" or m.startswith("course.")}


# Which part may not import which: the arrows point web -> services -> domain -> content.model.
NEVER = {
    "domain": ("course.services", "course.web", "course.database"),
    "content": ("course.domain", "course.services", "course.web", "course.database"),
    "services": ("course.web", "course.database"),
}


def layer_files() -> list[Path]:
    """Every module but web/ and the factory (course/__init__.py wires every part, web too)."""
    skip = {PACKAGE / "__init__.py"}
    return [
        p
        for p in PACKAGE.rglob("*.py")
        if p.relative_to(PACKAGE).parts[0] != "web" and p not in skip
    ]


@pytest.mark.parametrize("path", layer_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_one_way(path: Path) -> None:
    part = path.relative_to(PACKAGE).parts[0]
    banned = ("course.web", *NEVER.get(part, ()))
    wrong = {m for m in course_imports(path) if m.startswith(banned)}
    assert wrong == set(), f"{part}/ must not import {sorted(wrong)}"


@pytest.mark.parametrize(
    ("source", "banned"),
    [
        ("from course.web.clock import utcnow", "course.web.clock"),
        ("from ..web import auth", "course.web.auth"),
        ("from ..services.history import grade", "course.services.history"),
        ("import course.web", "course.web"),
    ],
)
def test_the_import_reader_resolves_relative_imports(source: str, banned: str) -> None:
    assert banned in course_imports(PACKAGE / "domain" / "probe.py", source)


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
