"""Say a schema error the way an author can act on it, at the place they wrote it.

pydantic's messages name types and patterns (`Extra inputs are not permitted`, `Input should be
a valid boolean`); an author needs the field they mistyped, `true or false`, a dot in numbers.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from typing import Any, get_args

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from .textfold import fold

Loc = tuple[int | str, ...]
# Keys the loader computes from what the author wrote: never theirs to write.
_COMPUTED = {"html", "line", "path", "words", "estimated_minutes", "content_hash", "pretest"}
_ID_PATTERN = "^[a-z0-9-]+$"
_DECIMAL_COMMA = re.compile(r"-?\d+,\d+")
# How one element of a list is called, where dropping the final s does not say it.
_NOUNS = {"accept": "accepted answer", "activities": "activity", "quizzes": "quiz"}
_SIZES = {"too_short": ("needs at least", "min_length"), "too_long": ("has at most", "max_length")}


def schema_messages(
    model: type[BaseModel], tree: Any, errors: Sequence[ErrorDetails]
) -> Iterator[tuple[Loc, str]]:
    """Yield each error worth telling, with where it stands and what to say."""
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] in ("too_short", "too_long") and _an_item_failed(loc, errors):
            continue  # the list is short only because one of its items was refused
        if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = (*loc, "type")  # point at the `type:` line, not the question's first
        yield loc, describe(model, tree, loc, err)


def _an_item_failed(loc: Loc, errors: Sequence[ErrorDetails]) -> bool:
    """Tell whether an error lies inside one of the items of the list at `loc`."""
    depth = len(loc)
    return any(
        len(e["loc"]) > depth
        and tuple(e["loc"][:depth]) == loc
        and isinstance(e["loc"][depth], int)
        for e in errors
    )


def describe(model: type[BaseModel], tree: Any, loc: Loc, err: ErrorDetails) -> str:
    """Return `where: what`, in the author's names and words."""
    keys = authored(tree, loc)
    where = dotted(keys) or "file"
    kind = err["type"]
    if kind == "extra_forbidden":
        return _unknown_field(model, loc, keys)
    if kind in _SIZES:
        return f"{where}: {_size(model, keys, err)}"
    if keys and keys[-1] == "pass_mark":
        return f"{where}: {_pass_mark(err)}"
    return f"{where}: {_plain(err)}"


def _pass_mark(err: ErrorDetails) -> str:
    """Say that a pass mark is a fraction of 1, with the one meant: 0.7 for 70 %."""
    given = err.get("input")
    number = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*(%?)\s*", str(given))
    if number and (number.group(2) or 5 <= float(number.group(1).replace(",", ".")) <= 100):
        percent = float(number.group(1).replace(",", "."))
        return f"a fraction of 1 (not {given!r}): write {percent / 100:g} for {percent:g} %"
    return f"{_plain(err)}: a pass mark is a fraction of 1, above 0 (0.7 for 70 %)"


def _plain(err: ErrorDetails) -> str:
    kind, given = err["type"], err.get("input")
    if kind == "bool_parsing":
        return f"write true or false (not {given!r})"
    if kind in ("float_parsing", "int_parsing") and isinstance(given, str):
        if _DECIMAL_COMMA.fullmatch(given.strip()):
            return f"write numbers with a dot: {given.strip().replace(',', '.')}"
        return f"write a number (not {given!r})"
    if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == _ID_PATTERN:
        return (
            f"an id uses lower-case letters, digits and hyphens only (not {given!r}): "
            f"e.g. {_slug(str(given))!r}"
        )
    if kind == "string_too_short":
        return "must not be empty"
    if kind in ("list_type", "tuple_type", "set_type"):
        shown = f"[{given}]" if isinstance(given, str | int | float) else "[a, b]"
        return f"write a list, in brackets: {shown}"
    if kind == "union_tag_invalid":
        return _unknown_tag(err)
    if kind in ("value_error", "assertion_error"):  # our validators' own words
        return re.sub(r"^(Value error|Assertion failed), ", "", err["msg"])
    return err["msg"]


def _unknown_tag(err: ErrorDetails) -> str:
    """Name an unknown `type:` with the nearest known one, as an unknown field is named."""
    ctx = err.get("ctx", {})
    tag = str(ctx.get("tag", err.get("input")))
    known = re.findall(r"'([^']+)'", str(ctx.get("expected_tags", "")))
    close = difflib.get_close_matches(tag, known, n=1, cutoff=0.5)
    if close:
        return f"unknown type '{tag}' (did you mean '{close[0]}'?)"
    return f"unknown type '{tag}' (known: {', '.join(known)})"


def _slug(text: str) -> str:
    """Suggest an id close to what was written: lower case, other characters as hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(text.replace("_", " ")))) or "mon-id"


def _unknown_field(model: type[BaseModel], loc: Loc, keys: list[int | str]) -> str:
    name = str(loc[-1])
    where = dotted(keys[:-1])
    prefix = f"{where}: " if where else ""
    known = sorted(_fields(model, loc[:-1]))
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return f"{prefix}unknown field '{name}' (did you mean '{close[0]}'?)"
    return f"{prefix}unknown field '{name}' (known: {', '.join(known)})"


def _size(model: type[BaseModel], keys: list[int | str], err: ErrorDetails) -> str:
    words, bound = _SIZES[err["type"]]
    count = int(err.get("ctx", {}).get(bound, 0))
    names = [k for k in keys if isinstance(k, str)]
    field = names[-1] if names else "item"
    owner = _singular(names[-2]) if len(names) > 1 else model.__name__.lower()
    noun = _singular(field) if count == 1 else field
    article = "an" if owner[0] in "aeiou" else "a"
    return f"{article} {owner} {words} {count} {noun}"


def _singular(name: str) -> str:
    if name in _NOUNS:
        return _NOUNS[name]
    return name[:-1] if name.endswith("s") else name


def _fields(model: type[BaseModel], loc: Loc) -> set[str]:
    """Return the fields an author may write in the object at `loc` (empty if unknown)."""
    candidates = [model]
    for key in loc:
        if isinstance(key, int):
            continue
        tagged = [m for m in candidates if _tag(m) == key]
        if tagged:
            candidates = tagged
            continue
        owner = next((m for m in candidates if key in m.model_fields), None)
        if owner is None:
            return set()
        candidates = list(_models_in(owner.model_fields[key].annotation))
    if len(candidates) != 1:
        return set()
    return {
        name for name in candidates[0].model_fields if name not in _COMPUTED and "_html" not in name
    }


def _tag(model: type[BaseModel]) -> str | None:
    """Return the `type:` a model of a tagged union answers to, if it has one."""
    field = model.model_fields.get("type")
    values = get_args(field.annotation) if field is not None else ()
    return values[0] if len(values) == 1 and isinstance(values[0], str) else None


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """Yield the models an annotation holds: itself, a list's items, a union's members."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in get_args(annotation):  # Annotated, tuple, union, dict: look inside
        yield from _models_in(arg)


def authored(tree: Any, loc: Loc) -> list[int | str]:
    """Return a location as the author wrote it, leaving out union tags."""
    keys: list[int | str] = []
    node = tree
    for key in loc:
        if isinstance(key, int):
            keys.append(key)
            node = node[key] if isinstance(node, list) and key < len(node) else None
        elif isinstance(node, dict) and key in node:
            keys.append(key)
            node = node[key]
        elif key == loc[-1]:
            keys.append(key)
    return keys


def dotted(keys: Sequence[int | str]) -> str:
    """Name a location the way an author reads it: `questions[1].choices[0].text`."""
    parts = [f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys]
    return "".join(parts).removeprefix(".")
