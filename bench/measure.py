"""One benchmark result, printed as a line: name, value, unit, budget, verdict."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    name: str
    value: float
    unit: str
    budget: str = ""
    passed: bool | None = None  # None: informative only
    note: str = ""

    def __str__(self) -> str:
        verdict = {True: "ok", False: "OVER BUDGET", None: ""}[self.passed]
        parts = [f"{self.name:<48} {self.value:>10.2f} {self.unit:<8}"]
        if self.budget:
            parts.append(f"budget {self.budget:<14} {verdict}")
        if self.note:
            parts.append(f"({self.note})")
        return "  ".join(parts)
