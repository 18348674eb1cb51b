"""Read YAML 1.2 with duplicate keys rejected and the line of every node kept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError


class YamlError(Exception):
    """A YAML syntax problem, with its 1-based line."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


def _parser() -> YAML:
    yaml = YAML(typ="rt")
    yaml.version = (1, 2)
    yaml.allow_duplicate_keys = False
    return yaml


def parse_yaml(text: str, first_line: int = 1) -> Any:
    """Parse YAML text; raise YamlError with a 1-based line on any problem."""
    try:
        return _parser().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark is not None else first_line
        problem = exc.problem or str(exc)
        return_msg = f"invalid YAML: {problem}"
        if "duplicate key" in str(exc):
            return_msg = f"duplicate key: {_duplicate_key_name(str(exc))}"
        raise YamlError(line, return_msg) from None
    except Exception as exc:  # ruamel raises a few non-marked errors on odd input
        raise YamlError(first_line, f"invalid YAML: {exc}") from None


def _duplicate_key_name(text: str) -> str:
    marker = 'found duplicate key "'
    start = text.find(marker)
    if start < 0:
        return "a key appears twice"
    end = text.find('"', start + len(marker))
    return f'"{text[start + len(marker) : end]}"'


def line_of(node: Any, loc: Sequence[int | str], first_line: int = 1) -> int:
    """Return the 1-based line of the value at `loc` inside a parsed document."""
    line = first_line
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0] + first_line
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            line = node.lc.item(key)[0] + first_line
            node = node[key]
        # A key the document lacks (a missing field, a union tag): keep the parent's line.
    return line


def to_plain(node: Any) -> Any:
    """Turn ruamel's commented containers into plain dicts and lists."""
    if isinstance(node, dict):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    return node
