"""Question types as units: one module per type, and the registry everything else asks.

To add a type: its model class in `course/content/model.py` (added to `Question`), a module
here with a `QuestionType` subclass (found and registered on import), and
`templates/quiz/types/<type>.html` with its `fields` and `review` macros. The app refuses to
start when a type of the format lacks its unit or its template.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from course.content.model import QuestionBase

from .base import Answer, Field, FormValues, InvalidAnswer, Option, QuestionType

for _found in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_found.name}")

TYPES: dict[str, QuestionType[Any]] = {kind.name: kind() for kind in QuestionType.__subclasses__()}


def question_type(question: QuestionBase | str) -> QuestionType[Any]:
    """Return the unit for a question (or a type name); an unknown type is an error."""
    name = question if isinstance(question, str) else getattr(question, "type", None)
    kind = TYPES.get(str(name))
    if kind is None:
        raise LookupError(f"no question type '{name}' in course.domain.questions.TYPES")
    return kind


__all__ = [
    "TYPES",
    "Answer",
    "Field",
    "FormValues",
    "InvalidAnswer",
    "Option",
    "QuestionType",
    "question_type",
]
