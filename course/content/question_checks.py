"""Checks of one question against its quiz and course: references, ids, answers it can be given."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .model import (
    MatchingQuestion,
    MultipleQuestion,
    OrderingQuestion,
    QuestionBase,
    Quiz,
    SingleQuestion,
    TextQuestion,
)
from .textfold import fold

if TYPE_CHECKING:
    from .files import Report
    from .loader import Parts


def check_question(parts: Parts, quiz: Quiz, question: QuestionBase, report: Report) -> None:
    """Check a question's objective, step, ids, choices, labels and answers."""
    module = next((m for m in parts.modules if m.id == quiz.module), None)
    if question.objective is None:
        report.warn(
            quiz.path,
            question.line,
            f"question '{question.id}' assesses no objective: give it `objective:` (an objective"
            " of its module), or it counts in no mastery nor gain",
        )
    elif module is not None and question.objective not in {o.id for o in module.objectives}:
        report.error(quiz.path, question.line, f"unknown objective '{question.objective}'")
    if question.step is not None:
        _check_step(parts, quiz, question, report)
    for kind, ids in _sub_ids(question):
        for dup in _duplicates(ids):
            report.error(quiz.path, question.line, f"duplicate {kind} id '{dup}'")
    for line, message in same_texts(question):
        report.error(quiz.path, line, message)
    if isinstance(question, SingleQuestion | MultipleQuestion):
        _check_choices(quiz, question, report)
    elif not question.feedback_wrong:
        report.warn(quiz.path, question.line, f"question '{question.id}' has no feedback_wrong")
    _check_labels(quiz, question, report)
    if isinstance(question, TextQuestion) and not all(fold(a) for a in question.accept):
        report.error(quiz.path, question.line, "an accepted answer is empty once folded")


def _check_step(parts: Parts, quiz: Quiz, question: QuestionBase, report: Report) -> None:
    """A question's `step:` (« Revoir l'étape ») must be one its learner can open: in the
    quiz's module or in a module that module requires, not in one still locked."""
    holder = next((m for m in parts.modules if any(s.id == question.step for s in m.steps)), None)
    if holder is None:
        report.error(quiz.path, question.line, f"unknown step '{question.step}'")
    elif holder.id != quiz.module and holder.id not in _required(parts, quiz.module):
        report.error(
            quiz.path,
            question.line,
            f"step '{question.step}' is in module '{holder.id}', which '{quiz.module}' does not"
            " require: a learner sent to it from this quiz may find it locked",
        )


def _required(parts: Parts, module_id: str) -> set[str]:
    """Return the modules a module requires, directly or through others."""
    by_id = {m.id: m for m in parts.modules}
    found: set[str] = set()
    waiting = list(by_id[module_id].requires or ()) if module_id in by_id else []
    while waiting:
        current = waiting.pop()
        if current not in found and current in by_id:
            found.add(current)
            waiting += by_id[current].requires or ()
    return found


def _duplicates(ids: Iterable[str]) -> set[str]:
    return {i for i, n in Counter(ids).items() if n > 1}


def same_texts(question: QuestionBase) -> Iterator[tuple[int, str]]:
    """Find options a learner cannot tell apart: two `ordering` items, two `left`s or two
    `right`s of a `matching` question that read the same (folded); each is at the second's line."""
    if isinstance(question, OrderingQuestion):
        entries = [(i.id, i.text, i.line) for i in question.items]
        yield from _same(entries, "items '{}' and '{}' read the same (« {} »): no order is right")
    if isinstance(question, MatchingQuestion):
        lefts = [(p.id, p.left, p.line) for p in question.pairs]
        rights = [(p.id, p.right, p.line) for p in question.pairs]
        yield from _same(
            lefts,
            "pairs '{}' and '{}' have the same left (« {} »): a learner cannot tell them apart",
        )
        yield from _same(
            rights,
            "pairs '{}' and '{}' have the same right (« {} »): the list offers it twice and "
            "only one scores",
        )


def _same(entries: list[tuple[str, str, int]], message: str) -> Iterator[tuple[int, str]]:
    first: dict[str, str] = {}
    for ident, text, line in entries:
        key = fold(text)
        if key in first:
            yield line, message.format(first[key], ident, " ".join(text.split()))
        first.setdefault(key, ident)


def _check_labels(quiz: Quiz, question: QuestionBase, report: Report) -> None:
    """Report each misconception id the question names without a label in the quiz."""
    for tag, line in question.tagged():
        if tag not in quiz.misconceptions:
            report.error(
                quiz.path,
                line,
                f"misconception '{tag}' has no label (add it to the quiz's misconceptions:)",
            )


def _sub_ids(question: QuestionBase) -> list[tuple[str, list[str]]]:
    found = []
    for attr, kind in (("choices", "choice"), ("items", "item"), ("pairs", "pair")):
        entries = getattr(question, attr, None)
        if entries is not None:
            found.append((kind, [e.id for e in entries]))
    return found


def _check_choices(quiz: Quiz, question: SingleQuestion | MultipleQuestion, report: Report) -> None:
    correct = sum(c.correct for c in question.choices)
    if isinstance(question, SingleQuestion) and correct != 1:
        report.error(
            quiz.path,
            question.line,
            f"single question '{question.id}' needs exactly one correct choice, it has {correct}",
        )
    if isinstance(question, MultipleQuestion) and correct == 0:
        report.error(quiz.path, question.line, f"question '{question.id}' has no correct choice")
    for choice in question.choices:
        if not choice.correct and not choice.feedback:
            report.warn(quiz.path, choice.line, f"wrong choice '{choice.id}' has no feedback")
