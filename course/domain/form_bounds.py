"""How many fields each form can carry: a request with more is refused before any work is done.

A tool's form has one field per simple field, one per checklist option and one per cell of its
tables (at most `max_rows` rows, plus the extra and blank rows a page may show); an attempt's
form, at most one per choice, item, pair or blank of each question and one for its certainty.
"""

from __future__ import annotations

from course.content.model import Course, Question, Quiz
from course.content.tool_model import Tool, ToolField

from .warmup import WARMUP_MAX

SMALL_FORM = 20  # every other form (log-in, account, trainer's forms): a handful of fields
SLACK = 5  # the CSRF token and the odd hidden field
BLANK_ROWS = 3  # empty rows a tool's page adds below a table
EXTRA_ROWS_SHOWN = 10  # rows beyond max_rows a page shows back, with its error
_PARTS = ("choices", "items", "pairs", "blanks")  # a question's fields: one per part at most


def tool_fields(tool: Tool) -> int:
    """Return the most fields a tool's form can send."""
    return SLACK + sum(_tool_field(f) for f in tool.fields)


def _tool_field(tool_field: ToolField) -> int:
    if tool_field.type == "rows":
        rows = tool_field.max_rows + EXTRA_ROWS_SHOWN + BLANK_ROWS
        return rows * len(tool_field.columns)
    if tool_field.type == "checklist":
        return len(tool_field.options)
    return 1


def quiz_fields(quiz: Quiz) -> int:
    """Return the most fields an attempt at this quiz can send (all its questions drawn)."""
    return SLACK + sum(_question(q) for q in quiz.questions)


def _question(question: Question) -> int:
    parts = sum(len(getattr(question, name, ())) for name in _PARTS)
    return max(parts, 1) + 1  # and its certainty


def attempt_fields(course: Course) -> int:
    """Return the most fields an attempt can send, whatever its quiz."""
    return max((quiz_fields(q) for q in course.quizzes.values()), default=SMALL_FORM)


def warmup_fields(course: Course) -> int:
    """Return the most fields a warm-up (its largest questions drawn) can send."""
    sizes = sorted(_question(q) for quiz in course.quizzes.values() for q in quiz.questions)
    return SLACK + sum(sizes[-WARMUP_MAX:])
