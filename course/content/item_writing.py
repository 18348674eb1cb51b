"""Item-writing checks: the flaws that let a learner guess an answer without knowing it.

Each rule has an id, printed as `[rule-id]` in its warning; a question silences a rule with
`lint_ignore: {<rule-id>: "<reason>"}`. Texts are compared as words: folded (no case, no
accents) and cut at anything that is not a letter or a digit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import lru_cache

from .feedback_rules import FEEDBACK_RULES, feedback_findings
from .findings import Finding
from .model import Choice, MultipleQuestion, NumericQuestion, QuestionBase, Quiz, SingleQuestion

RULES = {
    "longest-correct": "the right choice is clearly the longest (at least 1.25 times, and 15 "
    "characters more than, the next)",
    "longest-correct-quiz": "the right choice is the longest in over a third of the quiz's "
    "single questions",
    "all-none-of-above": "« toutes / aucune de ces réponses » as a choice",
    "absolute-distractor": "absolute words (toujours, jamais, seul, uniquement, aucun…) only in "
    "wrong choices",
    "absolute-wrong-multiple": "a multiple question whose wrong choices are all absolute",
    "stem-clue": "a word of the prompt found in the right choice and in no wrong one",
    "duplicate-choices": "two choices of a question say the same thing",
    "answer-elsewhere": "a question's answer is printed in another question of the quiz",
    "all-correct": "a multiple question whose every choice is correct",
    **FEEDBACK_RULES,
}
LONGEST_RATIO = 1.25
LONGEST_MARGIN = 15  # characters
LONGEST_SHARE = 1 / 3  # of a quiz's single questions, counted from 3 of them
MIN_WORD = 4  # shorter words never count as a clue
MIN_ANSWER = 12  # characters of a right choice looked for in other questions
MIN_TYPED = 10  # characters of a one-word typed answer looked for (two words or more: always)


def _word_set(text: str) -> frozenset[str]:
    """Return the words of a space-separated list."""
    return frozenset(text.split())


ABSOLUTE_WORDS = _word_set(
    "toujours jamais seul seule seuls seules uniquement exclusivement aucun aucune"
)
STOP_WORDS = _word_set(
    """
    alors ainsi apres aucun aucune aupres aussi autre autres avant avec avoir bien car celle
    celles celui cela ceci cette ceux chaque chez comme comment dans depuis donc dont elle elles
    encore entre etait etaient etre fait faire fois leur leurs lequel laquelle lesquels
    lesquelles lors mais meme memes moins notre nous nos plus pour pourquoi quand quel quelle
    quels quelles quoi sans selon sera sont sous tout toute toutes tous tres vers votre vous
    parmi suivant suivante suivants suivantes propose proposee proposees affirmation
    affirmations reponse reponses proposition propositions correct correcte correctes exact
    exacte exactes vrai vraie vraies faux fausse fausses cochez choisissez indiquez
    selectionnez peut peuvent doit doivent avez etes cest quest bonne bonnes
    """
)
_WORDS = re.compile(r"[a-z0-9]+")
_BLANK = re.compile(r"\[\[[a-z0-9-]+\]\]")  # a cloze text's blank marker, not words to read
_MARKS = re.compile(r"[\u0300-\u036f]")  # combining accents once decomposed
_ALL_NONE = re.compile(
    r"\b(toutes|tous|aucune|aucun|all|none)\b[^.?!]{0,30}"
    r"\b(reponses?|propositions?|choix|affirmations?|options?|ci dessus|above)\b"
)


def lint_quiz(quiz: Quiz, questions_line: int) -> list[Finding]:
    """Check every question of a quiz, and the quiz as a whole, for item-writing flaws."""
    shown = {q.id: _shown_text(q) for q in quiz.questions}
    found: list[Finding] = []
    for question in quiz.questions:
        raw = [
            *_question_findings(question),
            *_answer_elsewhere(question, shown),
            *feedback_findings(question),
        ]
        found += _ignore_problems(question, {f.rule for f in raw})
        found += [f for f in raw if f.rule not in question.lint_ignore]
    found += _longest_in_quiz(quiz, questions_line)
    return found


def _ignore_problems(question: QuestionBase, fired: set[str]) -> Iterator[Finding]:
    """An unknown rule or an empty reason is an error; silencing a rule that holds, a warning."""
    line = question.line
    for rule, reason in question.lint_ignore.items():
        if rule not in RULES:
            yield Finding(line, "lint-ignore", f"unknown rule '{rule}' ({', '.join(RULES)})", True)
        elif not reason.strip():
            yield Finding(line, "lint-ignore", f"'{rule}' needs a reason", True)
        elif rule != "longest-correct-quiz" and rule not in fired:
            message = f"'{rule}' is silenced but no longer applies to '{question.id}': remove it"
            yield Finding(line, "lint-ignore", message)


def _question_findings(question: QuestionBase) -> Iterator[Finding]:
    for blank in getattr(question, "blanks", ()):  # a cloze blank with choices: a small single
        yield from _at(question.line, _one_right_among(blank.choices))
    if not isinstance(question, SingleQuestion | MultipleQuestion):
        return
    choices = question.choices
    yield from _duplicates(choices)
    yield from _all_none(choices)
    if isinstance(question, SingleQuestion):
        yield from _longest(choices)
    if isinstance(question, MultipleQuestion) and all(c.correct for c in choices):
        message = (
            f"every choice of '{question.id}' is correct: ticking them all scores without "
            "knowing; add wrong choices"
        )
        yield Finding(question.line, "all-correct", message)
    elif isinstance(question, MultipleQuestion) and _all_wrong_absolute(choices):
        wrong = [c for c in choices if not c.correct]
        ids = ", ".join(c.id for c in wrong)
        yield Finding(
            wrong[0].line,
            "absolute-wrong-multiple",
            f"every wrong choice ({ids}) is an absolute statement: they are easy to rule out",
        )
    else:
        yield from _absolute_only_wrong(choices)
    yield from _stem_clue(question.prompt, choices)


def _one_right_among(choices: Sequence[Choice]) -> Iterator[Finding]:
    """The rules that hold for any set of options with one right answer and no prompt."""
    yield from _duplicates(choices)
    yield from _all_none(choices)
    yield from _longest(choices)
    yield from _absolute_only_wrong(choices)


def _at(line: int, findings: Iterator[Finding]) -> Iterator[Finding]:
    """Give findings without a line of their own (options the loader did not place) a line."""
    for finding in findings:
        yield finding if finding.line else replace(finding, line=line)


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """Return the words of a text, folded: no case, no accents, no punctuation."""
    # textfold.fold's folding, done by two C-level passes: this runs on every text of a quiz.
    bare = _MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))
    return tuple(_WORDS.findall(bare))


def _plain(text: str) -> str:
    return " ".join(words(text))


def _duplicates(choices: Sequence[Choice]) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for choice in choices:
        key = _plain(choice.text)
        if key in seen:
            message = f"choices '{seen[key]}' and '{choice.id}' say the same thing"
            yield Finding(choice.line, "duplicate-choices", message)
        seen.setdefault(key, choice.id)


def _all_none(choices: Sequence[Choice]) -> Iterator[Finding]:
    for choice in choices:
        if _ALL_NONE.search(_plain(choice.text)):
            message = (
                f"choice '{choice.id}' (« {choice.text} ») answers about the other choices: "
                "write a real option"
            )
            yield Finding(choice.line, "all-none-of-above", message)


def _length(choice: Choice) -> int:
    return len(" ".join(choice.text.split()))


def _longest(choices: Sequence[Choice]) -> Iterator[Finding]:
    right = next((c for c in choices if c.correct), None)
    others = [_length(c) for c in choices if c is not right]
    if right is None or not others:
        return
    longest_other = max(others)
    size = _length(right)
    if size >= LONGEST_RATIO * longest_other and size >= longest_other + LONGEST_MARGIN:
        message = (
            f"the right choice '{right.id}' is clearly the longest ({size} characters, the next "
            f"{longest_other}): lengthen the wrong ones or shorten it"
        )
        yield Finding(right.line, "longest-correct", message)


def _right_is_longest(question: SingleQuestion) -> bool:
    right = [_length(c) for c in question.choices if c.correct]
    others = [_length(c) for c in question.choices if not c.correct]
    return len(right) == 1 and bool(others) and right[0] > max(others)


def _longest_in_quiz(quiz: Quiz, line: int) -> list[Finding]:
    singles = [
        q
        for q in quiz.questions
        if isinstance(q, SingleQuestion) and "longest-correct-quiz" not in q.lint_ignore
    ]
    longest = [q.id for q in singles if _right_is_longest(q)]
    if len(singles) < 3 or len(longest) <= LONGEST_SHARE * len(singles):
        return []
    message = (
        f"the right choice is the longest in {len(longest)} of {len(singles)} single questions "
        f"({', '.join(longest)}): a learner who picks the longest choice does well"
    )
    return [Finding(line, "longest-correct-quiz", message)]


def _is_absolute(choice: Choice) -> bool:
    return not ABSOLUTE_WORDS.isdisjoint(words(choice.text))


def _all_wrong_absolute(choices: Sequence[Choice]) -> bool:
    wrong = [c for c in choices if not c.correct]
    return bool(wrong) and all(_is_absolute(c) for c in wrong)


def _absolute_only_wrong(choices: Sequence[Choice]) -> Iterator[Finding]:
    if any(_is_absolute(c) for c in choices if c.correct):
        return
    absolute = [c for c in choices if not c.correct and _is_absolute(c)]
    if absolute:
        ids = ", ".join(c.id for c in absolute)
        message = (
            f"absolute words (toujours, jamais, seul, uniquement, aucun…) appear only in wrong "
            f"choices ({ids}): learners learn to rule them out"
        )
        yield Finding(absolute[0].line, "absolute-distractor", message)


def _content_words(text: str) -> set[str]:
    """Return the words that carry meaning, plural folded to singular."""
    found = set()
    for word in words(text):
        if len(word) >= MIN_WORD and word not in STOP_WORDS and not word.isdigit():
            found.add(word[:-1] if len(word) > MIN_WORD and word[-1] in "sx" else word)
    return found


def _stem_clue(prompt: str, choices: Sequence[Choice]) -> Iterator[Finding]:
    stem = _content_words(prompt)
    wrong = set().union(*(_content_words(c.text) for c in choices if not c.correct))
    for choice in choices:
        if choice.correct:
            clue = sorted(stem & _content_words(choice.text) - wrong)
            if clue:
                message = (
                    f"the right choice '{choice.id}' repeats the prompt's « {', '.join(clue)} », "
                    "which no wrong choice does"
                )
                yield Finding(choice.line, "stem-clue", message)


def _answers(question: QuestionBase) -> list[str]:
    """Return the answers worth looking for elsewhere: right choices, accepted texts, numbers."""
    if isinstance(question, NumericQuestion):
        number = question.answer
        big = abs(number) >= 10 or not number.is_integer()
        return [f"{number:g}"] if big else []
    accept = list(getattr(question, "accept", ()))
    choices = list(getattr(question, "choices", ()))
    for blank in getattr(question, "blanks", ()):  # cloze: every blank's answers
        accept += blank.accept
        choices += blank.choices
    typed = [a for a in accept if len(words(a)) >= 2 or len(_plain(a)) >= MIN_TYPED]
    return typed + [c.text for c in choices if c.correct and len(_plain(c.text)) >= MIN_ANSWER]


def _shown_text(question: QuestionBase) -> str:
    """Return what a learner reads of a question before answering: prompt and options."""
    parts = [question.prompt, _BLANK.sub(" ", str(getattr(question, "text", "")))]
    parts += [c.text for c in getattr(question, "choices", ())]
    parts += [c.text for b in getattr(question, "blanks", ()) for c in b.choices]
    parts += [i.text for i in getattr(question, "items", ())]
    parts += [f"{p.left} {p.right}" for p in getattr(question, "pairs", ())]
    return f" {_plain(' '.join(parts))} "


def _answer_elsewhere(question: QuestionBase, shown: dict[str, str]) -> Iterator[Finding]:
    for answer in _answers(question):
        needle = f" {_plain(answer)} "
        other = next((o for o, t in shown.items() if o != question.id and needle in t), None)
        if other is not None:
            message = (
                f"the answer of '{question.id}' (« {answer} ») is printed in question "
                f"'{other}' of the same quiz"
            )
            yield Finding(question.line, "answer-elsewhere", message)
            return
