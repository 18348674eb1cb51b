"""Break a copy of the fixture course and read what the check says (`course_dir` fixture)."""

from __future__ import annotations

from pathlib import Path

from course.content import load_course


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the first `old` of a course file with `new` (failing if it is not there)."""
    path = root / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1))


def lines(root: Path) -> list[str]:
    """Return every problem the check finds in the course, as PATH:LINE: message."""
    _, problems = load_course(root)
    return [str(p) for p in problems]
