"""A flaw a lint rule found in a question: where, which rule, what to say."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One flaw found at one line: a warning with its rule id, or an error."""

    line: int
    rule: str
    message: str
    error: bool = False

    @property
    def text(self) -> str:
        """Return the message as printed: the rule id first."""
        return f"[{self.rule}] {self.message}"
