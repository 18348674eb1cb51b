"""Turn submitted form values into answers, or say clearly what is wrong with them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field

from course.content.model import QuestionBase

from .answer_text import is_blank
from .questions import Answer, Field, question_type
from .questions import FormValues as FormValues
from .questions import InvalidAnswer as InvalidAnswer


@dataclass
class ParsedAnswers:
    """Answers read from a form, the confidence given for each, and any errors by question."""

    answers: dict[str, Answer] = field(default_factory=dict)
    confidence: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def parse_answers(questions: Sequence[QuestionBase], form: FormValues) -> ParsedAnswers:
    """Read every question's answer and confidence from the form values."""
    parsed = ParsedAnswers()
    for question in questions:
        try:
            parsed.answers[question.id] = parse_answer(question, form)
            level = _confidence(form.get(f"c-{question.id}", ()))
        except InvalidAnswer as exc:
            parsed.errors[question.id] = str(exc)
            continue
        if level is not None:
            parsed.confidence[question.id] = level
    return parsed


def answered_certainties(parsed: ParsedAnswers) -> dict[str, int]:
    """Return the certainties given with an answer: a certainty alone is not an answer, and
    earns or costs nothing (Moodle's rule too), where a sure blank scored as sure and wrong."""
    return {q: c for q, c in parsed.confidence.items() if not is_blank(parsed.answers.get(q))}


def unanswered(questions: Sequence[QuestionBase], parsed: ParsedAnswers) -> list[str]:
    """Return the ids of the questions read as blank (not those that could not be read)."""
    return [
        q.id for q in questions if q.id not in parsed.errors and is_blank(parsed.answers.get(q.id))
    ]


def answer_fields(
    questions: Sequence[QuestionBase], answers: Mapping[str, Answer], confidence: Mapping[str, int]
) -> list[Field]:
    """Return the form fields that give these answers and certainties back (a draft reopened)."""
    fields: list[Field] = []
    for question in questions:
        answer = answers.get(question.id)
        if answer is not None:
            with suppress(TypeError, ValueError):  # kept from a question since rewritten
                fields += question_type(question).fields(question, answer, f"q-{question.id}")
        if question.id in confidence:
            fields.append((f"c-{question.id}", str(confidence[question.id])))
    return fields


def parse_answer(question: QuestionBase, form: FormValues) -> Answer:
    """Read one question's answer from its fields (`q-<id>`...); None when left blank."""
    return question_type(question).read(question, form, f"q-{question.id}")


def _confidence(values: Sequence[str]) -> int | None:
    filled = [v for v in values if v != ""]
    if not filled:
        return None
    if len(filled) > 1 or filled[0] not in ("1", "2", "3"):
        raise InvalidAnswer("Indiquez votre certitude : 1, 2 ou 3.")
    return int(filled[0])
