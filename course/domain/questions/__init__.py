"""Question types as units: one module per type, and the registry everything else asks.

To add a type: a model class in `course/content/model.py` (added to `Question`), a module here
with a `QuestionType` subclass (registered in TYPES), and `templates/quiz/types/<type>.html`
with its `fields` and `review` macros.
"""

from __future__ import annotations

from typing import Any

from course.content.model import QuestionBase

from .base import Answer, Field, FormValues, InvalidAnswer, Option, QuestionType
from .matching import Matching
from .multiple import Multiple
from .numeric import Numeric
from .ordering import Ordering
from .single import Single
from .text import Text
from .true_false import TrueFalse

TYPES: dict[str, QuestionType[Any]] = {
    kind.name: kind
    for kind in (Single(), Multiple(), TrueFalse(), Numeric(), Text(), Ordering(), Matching())
}


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
