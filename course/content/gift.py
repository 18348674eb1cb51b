"""Moodle's GIFT format, read into questions of this course's format and written back.

GIFT (https://docs.moodle.org/en/GIFT_format): questions separated by blank lines; `//`
comments; `$CATEGORY: a/b` lines; an optional `::name::`, an optional `[html]`, `[markdown]`,
`[plain]` or `[moodle]` format, the question text and an answer block in braces. Inside the
block, `=` marks a right answer and `~` a wrong one, `%50%` a weight, `#` a feedback, `->` a
matching pair, `####` the general feedback; `{T}`/`{F}` is true/false, `{#...}` numeric. Text
after the block makes a "missing word" question. `\\~ \\= \\# \\{ \\} \\:` and `\\n` are escapes.

Reading gives one `GiftQuestion` per question this engine can take, as plain data in the quiz
format, and a `Skipped` (with its line) for each it cannot: essays, descriptions, numeric
answers without a value, several numeric answers, matching or missing words it cannot map.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import Quiz

ESCAPABLE = "~=#{}:"
_FORMAT = re.compile(r"^\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = re.compile(r"^(T|TRUE|F|FALSE)$", re.IGNORECASE)
_NUMBER = r"-?\d+(?:[.,]\d+)?(?:[eE]-?\d+)?"


@dataclass(frozen=True)
class GiftQuestion:
    """A question read from GIFT, as quiz-format data, with its line and category."""

    line: int
    data: dict[str, Any]
    category: str = ""


@dataclass(frozen=True)
class Skipped:
    """A question the engine cannot take, with its line and why."""

    line: int
    reason: str


@dataclass
class Bank:
    """What a GIFT file gave: the questions taken and those skipped."""

    questions: list[GiftQuestion] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


class GiftError(ValueError):
    """A question this reader cannot make sense of; skipped with its message."""


# --- reading ---------------------------------------------------------------------------------


def read_gift(text: str) -> Bank:
    """Read a GIFT file into questions of the quiz format, naming each question skipped."""
    bank, category, names = Bank(), "", _Names()
    for line, chunk in _chunks(text):
        if chunk.startswith("$CATEGORY:"):
            category = chunk.removeprefix("$CATEGORY:").strip()
            continue
        try:
            data = _question(chunk)
        except GiftError as exc:
            bank.skipped.append(Skipped(line, str(exc)))
            continue
        data["id"] = names.unique(data.pop("name", "") or f"q-{len(bank.questions) + 1}")
        bank.questions.append(GiftQuestion(line, data, category))
    return bank


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Yield each question's first line and its text, comments left out."""
    lines: list[str] = []
    start = 0
    for number, raw in enumerate([*text.splitlines(), ""], start=1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            continue
        if stripped.startswith("$CATEGORY:") and not lines:
            yield number, stripped
            continue
        if stripped:
            start = start or number
            lines.append(raw.rstrip())
        elif lines:
            yield start, "\n".join(lines).strip()
            lines, start = [], 0


def _question(chunk: str) -> dict[str, Any]:
    name, rest = _name(chunk)
    rest = _FORMAT.sub("", rest.lstrip(), count=1)
    opening = _find(rest, "{")
    if opening < 0:
        raise GiftError("a description (no answer block): nothing to answer")
    closing = _find(rest, "}", opening + 1)
    if closing < 0:
        raise GiftError("the answer block is not closed with }")
    before, block, after = rest[:opening].strip(), rest[opening + 1 : closing], rest[closing + 1 :]
    block, explanation = _split_general_feedback(block)
    data = _answers(block.strip(), missing_word=bool(after.strip()))
    if data["type"] == "cloze":
        data["text"] = f"{unescape(before)} [[mot]] {unescape(after.strip())}".strip()
        data["prompt"] = "Complétez le texte."
    else:
        data["prompt"] = unescape(before)
    if not data["prompt"]:
        raise GiftError("the question has no text")
    if explanation:
        data["explanation"] = unescape(explanation.strip())
    data["name"] = name
    return data


def _name(chunk: str) -> tuple[str, str]:
    if not chunk.startswith("::"):
        return "", chunk
    end = _find(chunk, "::", 2)
    if end < 0:
        raise GiftError("the question's name is not closed with ::")
    return unescape(chunk[2:end].strip()), chunk[end + 2 :]


def _split_general_feedback(block: str) -> tuple[str, str]:
    at = _find(block, "####")
    return (block, "") if at < 0 else (block[:at], block[at + 4 :])


def _answers(block: str, *, missing_word: bool) -> dict[str, Any]:
    if not block:
        raise GiftError("an essay (empty answer block): no answer to score")
    if block.startswith("#"):
        return _numeric(block[1:].strip())
    head, *feedbacks = _split(block, "#")
    if _TRUE_FALSE.match(head.strip()):
        return _true_false(head.strip(), feedbacks)
    answers = _answer_list(block)
    if missing_word:
        return _missing_word(answers)
    if answers and all(a.right for a in answers):
        if all("->" in a.text for a in answers):
            return _matching(answers)
        return {"type": "text", "accept": [unescape(a.text) for a in answers]}
    return _choices(answers)


@dataclass(frozen=True)
class _Answer:
    right: bool
    weight: float | None
    text: str
    feedback: str


def _answer_list(block: str) -> list[_Answer]:
    """Split a block into its answers: each begins with an unescaped = or ~."""
    starts = [i for i, ch in enumerate(block) if ch in "=~" and not _escaped(block, i)]
    if not starts or block[: starts[0]].strip():
        raise GiftError("the answer block has text outside any = or ~ answer")
    answers = []
    for at, end in zip(starts, [*starts[1:], len(block)], strict=True):
        body = block[at + 1 : end].strip()
        weight = None
        if found := _WEIGHT.match(body):
            weight, body = float(found.group(1)), body[found.end() :]
        text, *feedback = _split(body, "#")
        answers.append(_Answer(block[at] == "=", weight, text.strip(), " ".join(feedback).strip()))
    return answers


def _choices(answers: Sequence[_Answer]) -> dict[str, Any]:
    weighted = any(a.weight is not None for a in answers)
    rights = [a for a in answers if _is_right(a)]
    if not rights:
        raise GiftError("a choice question without any right answer")
    choices = []
    for key, answer in zip(_letters(), answers, strict=False):
        choice: dict[str, Any] = {"id": key, "text": unescape(answer.text)}
        if _is_right(answer):
            choice["correct"] = True
        if answer.feedback:
            choice["feedback"] = unescape(answer.feedback)
        choices.append(choice)
    if weighted or len(rights) > 1:
        return {"type": "multiple", "partial": True, "choices": choices}
    return {"type": "single", "choices": choices}


def _is_right(answer: _Answer) -> bool:
    return answer.weight > 0 if answer.weight is not None else answer.right


def _true_false(head: str, feedbacks: Sequence[str]) -> dict[str, Any]:
    data: dict[str, Any] = {"type": "true_false", "answer": head.upper().startswith("T")}
    if feedbacks and feedbacks[0].strip():
        data["feedback_wrong"] = unescape(feedbacks[0].strip())
    return data


def _numeric(body: str) -> dict[str, Any]:
    if _find(body, "=") >= 0:
        raise GiftError("a numeric question with several answers: only one value is taken")
    body = _split(body, "#")[0].strip()
    if found := re.fullmatch(rf"({_NUMBER})\s*\.\.\s*({_NUMBER})", body):
        low, high = (float(g.replace(",", ".")) for g in found.groups())
        return {"type": "numeric", "answer": (low + high) / 2, "tolerance": (high - low) / 2}
    if found := re.fullmatch(rf"({_NUMBER})(?:\s*:\s*({_NUMBER}))?", body):
        value, tolerance = found.group(1), found.group(2) or "0"
        data = {"type": "numeric", "answer": float(value.replace(",", "."))}
        data["tolerance"] = abs(float(tolerance.replace(",", ".")))
        return data
    raise GiftError("a numeric answer without a value (an open range is not supported)")


def _matching(answers: Sequence[_Answer]) -> dict[str, Any]:
    pairs = []
    for number, answer in enumerate(answers, start=1):
        left, _, right = answer.text.partition("->")
        if not left.strip():
            raise GiftError("a matching answer with nothing on its left (an extra distractor)")
        pairs.append({"id": f"p{number}", "left": unescape(left.strip())})
        pairs[-1]["right"] = unescape(right.strip())
    if len(pairs) < 2:
        raise GiftError("a matching question needs at least two pairs")
    return {"type": "matching", "pairs": pairs}


def _missing_word(answers: Sequence[_Answer]) -> dict[str, Any]:
    if answers and all(a.right for a in answers):
        blank: dict[str, Any] = {"id": "mot", "accept": [unescape(a.text) for a in answers]}
    else:
        choice = _choices(answers)
        if choice["type"] != "single":
            raise GiftError("a missing word with several right choices")
        blank = {"id": "mot", "choices": choice["choices"]}
    return {"type": "cloze", "blanks": [blank]}


def _letters() -> Iterator[str]:
    yield from "abcdefghijklmnopqrstuvwxyz"


class _Names:
    """Turn question names into ids: slugified, unique within the quiz."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def unique(self, name: str) -> str:
        base = slug(name) or "q"
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate


def slug(text: str) -> str:
    """Return an id made of a-z, 0-9 and dashes."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60].strip("-")


# --- escapes ---------------------------------------------------------------------------------


def _escaped(text: str, index: int) -> bool:
    slashes = 0
    while index - slashes - 1 >= 0 and text[index - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def _find(text: str, needle: str, start: int = 0) -> int:
    """Find the first unescaped occurrence of needle; -1 if none."""
    at = text.find(needle, start)
    while at >= 0 and _escaped(text, at):
        at = text.find(needle, at + 1)
    return at


def _split(text: str, separator: str) -> list[str]:
    parts, start = [], 0
    while (at := _find(text, separator, start)) >= 0:
        parts.append(text[start:at])
        start = at + len(separator)
    parts.append(text[start:])
    return parts


def unescape(text: str) -> str:
    """Undo GIFT's escapes (`\\~ \\= \\# \\{ \\} \\:`, `\\n`)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in ESCAPABLE or nxt == "\\":
                out.append(nxt)
                i += 2
                continue
            if nxt == "n":
                out.append("\n")
                i += 2
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def escape(text: str) -> str:
    """Escape GIFT's special characters in a text."""
    text = text.replace("\\", "\\\\")
    for ch in ESCAPABLE:
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", "\\n")


# --- writing ---------------------------------------------------------------------------------


def write_gift(quiz: Quiz) -> tuple[str, list[str]]:
    """Write a quiz as GIFT; return the text and a note for each question GIFT cannot hold."""
    blocks = [f"// {quiz.title} ({quiz.id}), written by the course engine", f"$CATEGORY: {quiz.id}"]
    notes = []
    for question in quiz.questions:
        writer = WRITERS.get(question.type)
        if writer is None:
            notes.append(f"{question.id}: GIFT has no {question.type} question; left out")
            continue
        try:
            body = writer(question)
        except GiftError as exc:
            notes.append(f"{question.id}: {exc}; left out")
            continue
        blocks.append(body)
    return "\n\n".join(blocks) + "\n", notes


def _head(question: Any, text: str | None = None) -> str:
    prompt = text if text is not None else question.prompt
    return f"::{escape(question.id)}:: [markdown]{escape(prompt)}"


def _tail(question: Any) -> str:
    return f" ####{escape(question.explanation)}" if question.explanation else ""


def _feedback(text: str) -> str:
    return f" #{escape(text)}" if text else ""


def _write_single(question: Any) -> str:
    answers = " ".join(
        f"{'=' if c.correct else '~'}{escape(c.text)}{_feedback(c.feedback)}"
        for c in question.choices
    )
    return f"{_head(question)} {{{answers}{_tail(question)}}}"


def _write_multiple(question: Any) -> str:
    right = [c for c in question.choices if c.correct]
    wrong = [c for c in question.choices if not c.correct]
    answers = []
    for choice in question.choices:
        share = 100 / len(right) if choice.correct else -100 / max(len(wrong), 1)
        answers.append(f"~%{share:g}%{escape(choice.text)}{_feedback(choice.feedback)}")
    return f"{_head(question)} {{{' '.join(answers)}{_tail(question)}}}"


def _write_true_false(question: Any) -> str:
    flag = "T" if question.answer else "F"
    return f"{_head(question)} {{{flag}{_feedback(question.feedback_wrong)}{_tail(question)}}}"


def _write_numeric(question: Any) -> str:
    value = f"{question.answer:g}" + (f":{question.tolerance:g}" if question.tolerance else "")
    return f"{_head(question)} {{#{value}{_tail(question)}}}"


def _write_text(question: Any) -> str:
    answers = " ".join(f"={escape(a)}" for a in question.accept)
    return f"{_head(question)} {{{answers}{_tail(question)}}}"


def _write_matching(question: Any) -> str:
    answers = " ".join(f"={escape(p.left)} -> {escape(p.right)}" for p in question.pairs)
    return f"{_head(question)} {{{answers}{_tail(question)}}}"


def _write_cloze(question: Any) -> str:
    if len(question.blanks) != 1:
        raise GiftError("GIFT's missing word holds one blank, this question has several")
    (blank,) = question.blanks
    before, _, after = question.text.partition(f"[[{blank.id}]]")
    if blank.choices:
        answers = " ".join(
            f"{'=' if c.correct else '~'}{escape(c.text)}{_feedback(c.feedback)}"
            for c in blank.choices
        )
    else:
        answers = " ".join(f"={escape(a)}" for a in blank.accept)
    return (
        f"{_head(question, before.rstrip())} {{{answers}{_tail(question)}}} {escape(after.strip())}"
    )


WRITERS = {
    "single": _write_single,
    "multiple": _write_multiple,
    "true_false": _write_true_false,
    "numeric": _write_numeric,
    "text": _write_text,
    "matching": _write_matching,
    "cloze": _write_cloze,
}
UNWRITABLE = {"ordering"}  # GIFT has no ordering question


def quiz_data(bank: Bank, *, quiz_id: str, module_id: str, title: str) -> dict[str, Any]:
    """Return a quiz file's data holding the bank's questions (a quiz to finish by hand)."""
    questions = []
    for question in bank.questions:
        data = dict(question.data)
        data.setdefault("explanation", "")
        questions.append({"id": data.pop("id"), "type": data.pop("type"), **data})
    return {
        "id": quiz_id,
        "module": module_id,
        "kind": "quiz",
        "title": title,
        "pass_mark": 0.8,
        "max_attempts": None,
        "confidence": False,
        "shuffle": True,
        "questions": questions,
    }
