"""Read one authored file into plain data, validate it, and report problems by line."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Problem, Severity
from .schema_messages import schema_messages
from .yamlio import Lines, YamlError, line_of, parse_yaml

M = TypeVar("M", bound=BaseModel)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*\n?", re.S | re.M)
_FENCE_LINE = re.compile(r"---[ \t]*")
# Windows Notepad starts UTF-8 files with a byte order mark; YAML files already ignore it.
_BOM = "\ufeff"


@dataclass
class Document:
    """A parsed authored file: its data tree (with lines), body and where it came from."""

    path: str
    data: dict[str, Any]
    root: Lines | None
    first_line: int = 1
    body: str = ""
    body_line: int = 1
    digest: str = ""

    def line(self, *loc: int | str) -> int:
        """Return the line of a value inside this document."""
        return line_of(self.root, loc, self.first_line)


@dataclass
class Report:
    """Collects the problems found while loading."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int, message: str) -> None:
        """Record an error."""
        self.problems.append(Problem(path, line, message))

    def warn(self, path: str, line: int, message: str) -> None:
        """Record a warning."""
        self.problems.append(Problem(path, line, message, Severity.WARNING))

    @property
    def has_errors(self) -> bool:
        """Tell whether any error (not warning) was found."""
        return any(p.severity is Severity.ERROR for p in self.problems)


def read_yaml(root: Path, file: Path, report: Report) -> Document | None:
    """Read a YAML file into a Document, or report why it cannot be read."""
    rel = file.relative_to(root).as_posix()
    raw = _read_bytes(file, rel, report)
    if raw is None:
        return None
    try:
        parsed = parse_yaml(raw.decode("utf-8"))
    except YamlError as exc:
        report.error(rel, exc.line, exc.message)
        return None
    if not isinstance(parsed.data, dict):
        report.error(rel, 1, "expected a mapping of keys to values at the top of the file")
        return None
    return Document(rel, parsed.data, parsed.root, digest=hashlib.sha256(raw).hexdigest())


def read_markdown(root: Path, file: Path, report: Report) -> Document | None:
    """Read a Markdown file with YAML front matter into a Document."""
    rel = file.relative_to(root).as_posix()
    raw = _read_bytes(file, rel, report)
    if raw is None:
        return None
    text = raw.decode("utf-8").removeprefix(_BOM).replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if match is None:
        report.error(rel, 1, front_matter_problem(text))
        return None
    try:
        parsed = parse_yaml(match.group(1), first_line=2)
    except YamlError as exc:
        report.error(rel, exc.line, exc.message)
        return None
    if not isinstance(parsed.data, dict):
        report.error(rel, 2, "front matter must be a mapping of keys to values")
        return None
    body_line = text[: match.end()].count("\n") + 1
    body = text[match.end() :]
    digest = hashlib.sha256(raw).hexdigest()
    return Document(rel, parsed.data, parsed.root, 2, body, body_line, digest)


def front_matter_problem(text: str) -> str:
    """Say why a Markdown text does not start with a front matter block (a line-1 problem)."""
    lines = text.split("\n")
    if _FENCE_LINE.fullmatch(lines[0]):
        return "front matter opened at line 1 is never closed with '---'"
    first = next((line for line in lines if line.strip()), "")
    if _FENCE_LINE.fullmatch(first.strip()):
        found = "a blank line" if not lines[0].strip() else "spaces before it"
        return f"the file must start with '---' on its first line (found {found})"
    return "missing front matter: the file must start with a '---' block"


def _read_bytes(file: Path, rel: str, report: Report) -> bytes | None:
    try:
        raw = file.read_bytes()
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        report.error(rel, line, "not valid UTF-8")
        return None
    except OSError as exc:
        report.error(rel, 1, f"cannot read file: {exc.strerror}")
        return None
    return raw


def validate(model: type[M], doc: Document, data: dict[str, Any], report: Report) -> M | None:
    """Validate plain data against a model; report each schema error at its line."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for loc, message in schema_messages(model, doc.data, exc.errors()):
            report.error(doc.path, doc.line(*loc), message)
        return None


def plain(doc: Document) -> dict[str, Any]:
    """Return a copy of the document's top-level data, for adding loader-computed keys."""
    return {str(k): v for k, v in doc.data.items()}
