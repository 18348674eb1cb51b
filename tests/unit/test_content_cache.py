"""The content cache: the same course as without it, rendering and parsing skipped for texts it
holds, an edited text read afresh, and a cache from other code ignored."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from course.content import cache, load_course, markdown, yamlio

STEP = "modules/01-bases/01-intro.md"


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("rendered or parsed again")

    monkeypatch.setattr(markdown, "_render", refuse)
    monkeypatch.setattr(yamlio, "_parse", refuse)


def test_a_cached_load_gives_the_same_course_and_problems_without_parsing(
    course_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "cache.pickle"
    plain = load_course(course_dir)
    assert load_course(course_dir, file) == plain  # fills the cache
    _no_parsing(monkeypatch)
    assert load_course(course_dir, file) == plain  # every line of every problem too


def test_an_edited_text_is_read_afresh(
    course_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "cache.pickle"
    load_course(course_dir, file)
    step = course_dir / STEP
    step.write_text(step.read_text(encoding="utf-8") + "\nUn **ajout** tout neuf.\n")
    course, _ = load_course(course_dir, file)
    assert course is not None
    assert "<strong>ajout</strong>" in course.modules[0].steps[0].html


def test_a_cache_made_by_other_code_is_ignored(course_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "cache.pickle"
    load_course(course_dir, file)
    salt, entries = pickle.loads(file.read_bytes())
    forged = {k: "<p>faux</p>" if k.startswith("markdown:") else v for k, v in entries.items()}
    file.write_bytes(pickle.dumps(("another version of the renderer", forged)))
    course, _ = load_course(course_dir, file)
    assert course is not None
    assert "faux" not in course.modules[0].steps[0].html
    assert pickle.loads(file.read_bytes())[0] == salt  # rewritten by this code


def test_only_successes_are_kept(tmp_path: Path) -> None:
    file = tmp_path / "cache.pickle"
    with cache.using(file), pytest.raises(yamlio.YamlError):
        yamlio.parse_yaml("a: 1\na: 2\n")
    assert not file.exists()
