"""Read YAML 1.2 with duplicate keys rejected and the line of every node kept.

The C parser (ruamel.yaml.clib) composes nodes that know their line, then the safe
constructor builds plain data from them: ten times faster than the round-trip loader.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from .cache import cached
from .yaml_advice import syntax_advice

# Where each value stands, for messages: (0-based line, children), the children being
# {key: (key's line, Lines)} for a mapping, [Lines] for a sequence, None for a scalar.
Lines: TypeAlias = tuple[int, Any]


class YamlError(Exception):
    """A YAML syntax problem, with its 1-based line."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


@dataclass(frozen=True)
class Parsed:
    """A YAML document as plain data, and where its values stand (for finding lines)."""

    data: Any
    root: Lines | None


def _parser() -> YAML:
    yaml = YAML(typ="safe", pure=False)
    yaml.version = (1, 2)
    yaml.allow_duplicate_keys = False
    return yaml


def parse_yaml(text: str, first_line: int = 1) -> Parsed:
    """Parse YAML text; raise YamlError with a 1-based line on any problem.

    A text parsed before comes from the content cache (only successes are kept).
    """
    return cached("yaml", text, lambda t: _parse(t, first_line))


def _parse(text: str, first_line: int) -> Parsed:
    yaml = _parser()
    try:
        root = yaml.compose(text)
        data = yaml.constructor.construct_document(root) if root is not None else None
        return Parsed(data, _lines(root, set()) if root is not None else None)
    except MarkedYAMLError as exc:
        if "duplicate key" in str(exc):
            mark = exc.problem_mark or exc.context_mark
            line = (mark.line + first_line) if mark is not None else first_line
            raise YamlError(line, f"duplicate key: {_duplicate_key_name(str(exc))}") from None
        where, message = syntax_advice(text, exc)
        raise YamlError(where + first_line, f"invalid YAML: {message}") from None
    except Exception as exc:  # ruamel raises a few unmarked errors on odd input
        raise YamlError(first_line, f"invalid YAML: {exc}") from None


def _duplicate_key_name(text: str) -> str:
    marker = 'found duplicate key "'
    start = text.find(marker)
    if start < 0:
        return "a key appears twice"
    end = text.find('"', start + len(marker))
    return f'"{text[start + len(marker) : end]}"'


def _lines(node: Node, seen: set[int]) -> Lines:
    """Return where a node and everything under it stand (an alias met again: its line only)."""
    line = node.start_mark.line
    if id(node) in seen:
        return (line, None)
    seen = seen | {id(node)}
    if isinstance(node, MappingNode):
        keys: dict[str, Lines] = {}
        for k, v in node.value:
            if isinstance(k.value, str) and k.value not in keys:  # the first, as a lookup would
                keys[k.value] = (k.start_mark.line, _lines(v, seen))
        return (line, keys)
    if isinstance(node, SequenceNode):
        return (line, [_lines(v, seen) for v in node.value])
    return (line, None)


def line_of(lines: Lines | None, loc: Sequence[int | str], first_line: int = 1) -> int:
    """Return the 1-based line of the value at `loc` inside a parsed document."""
    if lines is None:
        return first_line
    line = lines[0] + first_line
    for key in loc:
        children = lines[1]
        if isinstance(children, dict):
            found = children.get(key) if isinstance(key, str) else None
            if found is None:
                continue  # a key the document lacks (a missing field, a union tag)
            line, lines = found[0] + first_line, found[1]
        elif isinstance(children, list) and isinstance(key, int) and 0 <= key < len(children):
            lines = children[key]
            line = lines[0] + first_line
    return line


def dump_yaml(data: Any) -> str:
    """Write plain data as YAML 1.2, keys in their given order, text in UTF-8."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]  # keep key order
    yaml.width = 100
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()
