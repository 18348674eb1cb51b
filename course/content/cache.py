"""What reading the course costs most, kept between runs: Markdown rendered and YAML parsed.

Each entry is keyed by the SHA-256 of its text, so an edited file simply misses; the whole file
is dropped when the code that renders or parses (or its libraries' versions) changes. A load
writes back only the entries it used, so the file holds one course and never grows stale. The
app keeps it at instance/content-cache.pickle (CONTENT_CACHE); reading it takes a few
milliseconds where rendering and parsing took most of the load.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
CACHE_NAME = "content-cache.pickle"  # in instance/
_HERE = Path(__file__).parent
_ACTIVE: ContextVar[TextCache | None] = ContextVar("content_cache", default=None)


def _salt() -> str:
    """Name the code that makes the entries: its source and its libraries' versions."""
    digest = hashlib.sha256()
    for name in ("markdown.py", "yamlio.py", "cache.py"):
        digest.update((_HERE / name).read_bytes())
    for package in ("markdown", "nh3", "ruamel.yaml"):
        digest.update(version(package).encode())
    return digest.hexdigest()


class TextCache:
    """Results of pure functions of a text, by kind and the text's hash."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.salt = _salt() if path is not None else ""
        self.entries: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        if path is not None and path.is_file():
            try:
                # The app's own file, written by save() below into instance/ (CONTENT_CACHE),
                # beside instance/config.py, which the app runs as Python: whoever can write the
                # one can write the other, so unpickling it trusts no one more.
                salt, entries = pickle.loads(path.read_bytes())  # nosec B301
            except Exception:  # an unreadable cache is only a slower load
                return
            if salt == self.salt:
                self.entries = entries

    def get(self, kind: str, text: str, make: Callable[[str], T]) -> T:
        """Return make(text), from the cache when this text was seen before."""
        key = f"{kind}:{hashlib.sha256(text.encode()).hexdigest()}"
        if key in self.used:
            return self.used[key]  # type: ignore[no-any-return]
        value = self.entries[key] if key in self.entries else make(text)
        self.used[key] = value
        return value

    def save(self) -> None:
        """Write the entries this load used, if they differ from what was read (atomically)."""
        if self.path is None or self.used.keys() == self.entries.keys():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        draft = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        draft.write_bytes(pickle.dumps((self.salt, self.used), pickle.HIGHEST_PROTOCOL))
        os.replace(draft, self.path)


@contextmanager
def using(path: Path | None) -> Iterator[None]:
    """Let cached() read and fill the cache at `path` (None: no cache) while the block runs."""
    cache = TextCache(path)
    token = _ACTIVE.set(cache)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
    cache.save()


def cached(kind: str, text: str, make: Callable[[str], T]) -> T:
    """Return make(text), through the cache in use, if any."""
    cache = _ACTIVE.get()
    return make(text) if cache is None else cache.get(kind, text, make)
