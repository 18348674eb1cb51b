"""What a wrong answer tells: each question explains its answer after submission, and each
wrong choice names the misconception it reveals.

The learner's review and the trainer's analytics read a wrong choice's `misconception`, else its
question's (`course/domain/misconceptions.py`); a wrong choice with neither tells them nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from .findings import Finding
from .model import ChoiceQuestion, QuestionBase

FEEDBACK_RULES = {
    "no-explanation": "a question has no explanation to show after submission",
    "no-misconception": "a wrong choice names no misconception, nor does its question",
}


def feedback_findings(question: QuestionBase) -> Iterator[Finding]:
    """Warn about a question without explanation, and about the wrong choices that name no
    misconception (nor does their question)."""
    if not question.explanation.strip():
        message = (
            f"question '{question.id}' has no explanation: give it `explanation:`, shown with "
            "its correction after submission (why the answer is right, citing the idea)"
        )
        yield Finding(question.line, "no-explanation", message)
    if not isinstance(question, ChoiceQuestion) or question.misconception:
        return
    for choice in question.choices:
        if not choice.correct and not choice.misconception:
            message = (
                f"wrong choice '{choice.id}' names no misconception: give it `misconception:` "
                "(an id labelled in the quiz's misconceptions:) so the review and the trainer "
                "can say what it reveals"
            )
            yield Finding(choice.line, "no-misconception", message)
