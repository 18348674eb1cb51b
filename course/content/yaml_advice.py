"""Say where a YAML syntax error starts and how to fix it, in plain words.

ruamel reports where parsing failed, which is often lines after the mistake: an unclosed quote
runs on to the next quote in the file. The line where the faulty quote, bracket or key starts
is the one an author needs.
"""

from __future__ import annotations

import re

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.tokens import ScalarToken

# Contexts whose mark is where the faulty construct opens (not an enclosing block's start).
_OPENED_AT = (
    "while scanning a simple key",
    "while scanning a quoted scalar",
    "while parsing a flow mapping",
    "while parsing a flow sequence",
)
_KEY_AND_VALUE = re.compile(r"^(\s*(?:- )?)([A-Za-z_][\w-]*)[ \t]+(\S.*)$")


def syntax_advice(text: str, exc: MarkedYAMLError) -> tuple[int, str]:
    """Return the 0-based line where a syntax error starts, and what to say about it."""
    problem = exc.problem or str(exc)
    line = exc.problem_mark.line if exc.problem_mark is not None else 0
    quote = _unclosed_quote(text, line)
    if quote is not None:
        return quote[0], _unclosed(quote[1])
    tabbed = _tab_indented(text, line)
    if tabbed is not None:  # ruamel says so only for a tab at the top level
        return tabbed, "a tab character: indent with spaces only"
    if "mapping values are not allowed" in problem:
        return _mapping_value_advice(text, line, problem)
    context = exc.context or ""
    if exc.context_mark is not None and context.startswith(_OPENED_AT):
        line = min(line, exc.context_mark.line)
    return line, _hint(problem, context, _line(text, line))


def _hint(problem: str, context: str, source: str) -> str:
    """Put a common mistake in plain words; leave other problems as ruamel says them."""
    if "quoted scalar" in context:
        return _unclosed("'" if source.count("'") % 2 and not source.count('"') % 2 else '"')
    if "flow" in context and source.count('"') % 2:
        return _unclosed('"')
    if "flow mapping" in context:
        return "a '{' opened on this line is not closed: end it with '}'"
    if "flow sequence" in context:
        return "a '[' opened on this line is not closed: end it with ']'"
    if "expected ':'" in problem:
        return f"a key needs ':' after it: write `{_with_colon(source)}`"
    if "expected key" in problem and source.count("'") > 2:
        return "an apostrophe ends a text quoted with '…': quote it with \"…\" instead"
    if "tab character" in problem:
        return "a tab character: indent with spaces only"
    if "expected '-' indicator" in problem or "expected key" in problem:
        return (
            "this line is not aligned with the lines above: indent it as the key or the '-' "
            "it goes with"
        )
    return problem


def _tab_indented(text: str, line: int) -> int | None:
    """Return the line (the failing one, else the one above) indented with a tab, if any."""
    for candidate in (line, line - 1):
        source = _line(text, candidate) if candidate >= 0 else ""
        if "\t" in source[: len(source) - len(source.lstrip())]:
            return candidate
    return None


def _unclosed(quote: str) -> str:
    return f"a text opened with {quote} on this line is not closed: end it with {quote}"


def _mapping_value_advice(text: str, line: int, problem: str) -> tuple[int, str]:
    """A ': ' where no key may start: inside a text, or after a key that lost its colon or a
    line indented too far."""
    source = _line(text, line)
    if ": " in source.split(": ", 1)[-1]:
        return line, "': ' inside a text starts a new key: put the whole text in quotes (\"…\")"
    above = next((n for n in range(line - 1, -1, -1) if _line(text, n).strip()), None)
    if above is None:
        return line, problem
    previous = _line(text, above)
    if ":" not in previous and _KEY_AND_VALUE.match(previous):
        return above, f"a key needs ':' after it: write `{_with_colon(previous)}`"
    if _indent(source) > _indent(previous):
        return line, "this line is indented more than the one above: align the keys of a mapping"
    return line, problem


def _indent(source: str) -> int:
    return len(source) - len(source.lstrip(" "))


def _with_colon(source: str) -> str:
    """Return the line with ':' after its first word, as the author meant it."""
    found = _KEY_AND_VALUE.match(source)
    return f"{found[1].strip()} {found[2]}: {found[3]}".strip() if found else "key: value"


def _unclosed_quote(text: str, line: int) -> tuple[int, str] | None:
    """Find a quoted text that runs from an earlier line to the failing one: a quote left open
    there swallowed everything up to the next quote."""
    yaml = YAML(typ="safe", pure=False)
    yaml.version = (1, 2)
    found = None
    try:
        for token in yaml.scan(text):
            if token.start_mark.line > line:
                break
            if (
                isinstance(token, ScalarToken)
                and token.style in ('"', "'")
                and token.start_mark.line < token.end_mark.line == line
            ):
                found = (token.start_mark.line, token.style)
    except MarkedYAMLError:
        pass  # the scanner stops at the error too: the tokens before it are what counts
    return found


def _line(text: str, index: int) -> str:
    lines = text.split("\n")
    return lines[index] if 0 <= index < len(lines) else ""
