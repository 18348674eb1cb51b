"""Checks that span files: ids, references, cycles, reachable pass marks, feedback coverage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .item_writing import lint_quiz
from .links import check_links
from .model import Module, Quiz
from .question_checks import check_question
from .step_checks import check_steps
from .tool_checks import check_tool

if TYPE_CHECKING:
    from .files import Report
    from .loader import Parts


def check_course(parts: Parts, report: Report) -> None:
    """Run every cross-file check, adding problems to the report."""
    _check_unique_ids(parts, report)
    _check_modules(parts, report)
    _check_requires_cycles(parts, report)
    for quiz in parts.quizzes:
        _check_quiz(parts, quiz, report)
    _check_tools(parts, report)
    _check_objectives_assessed(parts, report)
    check_links(parts, report)


def _duplicates(ids: Iterable[str]) -> set[str]:
    return {i for i, n in Counter(ids).items() if n > 1}


def _check_unique_ids(parts: Parts, report: Report) -> None:
    kinds = {
        "module": [(m.id, m.path, parts.docs[f"module:{m.id}"].line("id")) for m in parts.modules],
        "step": [
            (s.id, s.path, parts.docs[f"step:{s.id}"].line("id"))
            for m in parts.modules
            for s in m.steps
        ],
        "quiz": [(q.id, q.path, parts.docs[f"quiz:{q.id}"].line("id")) for q in parts.quizzes],
        "tool": [(t.id, t.path, parts.docs[f"tool:{t.id}"].line("id")) for t in parts.tools],
        "page": [(p.id, p.path, 2) for p in parts.pages],
    }
    for kind, entries in kinds.items():
        first_file: dict[str, str] = {}
        for ident, path, line in entries:
            if ident in first_file:
                also = f"(also the id of {first_file[ident]})"
                report.error(path, line, f"duplicate {kind} id '{ident}' {also}")
            first_file.setdefault(ident, path)


def _check_modules(parts: Parts, report: Report) -> None:
    first_of_order: dict[int, Module] = {}
    for module in parts.modules:
        doc = parts.docs[f"module:{module.id}"]
        same = first_of_order.setdefault(module.order, module)
        if same is not module:
            report.warn(
                module.path,
                doc.line("order"),
                f"module '{module.id}' has the same order ({module.order}) as '{same.id}' "
                f"({same.path}): give each module its own order",
            )
        if not module.steps:
            report.warn(
                module.path,
                doc.line("id"),
                f"module '{module.id}' has no steps: add step files NN-slug.md to its folder",
            )
        for dup in _duplicates(o.id for o in module.objectives):
            report.error(doc.path, doc.line("objectives"), f"duplicate objective id '{dup}'")
        _check_module_quiz(parts, module, report)
        _check_module_refs(parts, module, report)
        _check_step_objectives(parts, module, report)
        check_steps(parts, module, report)


def _check_module_quiz(parts: Parts, module: Module, report: Report) -> None:
    doc = parts.docs[f"module:{module.id}"]
    quiz = next((q for q in parts.quizzes if q.id == module.quiz), None)
    if quiz is None:
        if module.quiz not in parts.broken_quizzes:  # its own file already says what is wrong
            report.error(doc.path, doc.line("quiz"), f"unknown quiz '{module.quiz}'")
    elif quiz.module != module.id:
        report.error(doc.path, doc.line("quiz"), f"quiz '{quiz.id}' is not a quiz of this module")
    elif quiz.kind != "quiz":
        report.error(
            doc.path,
            doc.line("quiz"),
            f"a module's `quiz:` must name a quiz of `kind: quiz`; '{quiz.id}' has "
            f"`kind: {quiz.kind}` (a pre-test needs no listing: its `module:` links it)",
        )


def _check_module_refs(parts: Parts, module: Module, report: Report) -> None:
    doc = parts.docs[f"module:{module.id}"]
    module_ids = {m.id for m in parts.modules}
    tool_ids = {t.id for t in parts.tools}
    for required in module.requires or ():
        if required not in module_ids:
            report.error(doc.path, doc.line("requires"), f"requires unknown module '{required}'")
    for tool_id in module.tools:
        if tool_id not in tool_ids and tool_id not in parts.broken_tools:
            report.error(doc.path, doc.line("tools"), f"unknown tool '{tool_id}'")


def _check_step_objectives(parts: Parts, module: Module, report: Report) -> None:
    objective_ids = {o.id for o in module.objectives}
    for step in module.steps:
        line = parts.docs[f"step:{step.id}"].line("objectives")
        for objective in step.objectives:
            if objective not in objective_ids:
                report.error(
                    step.path, line, f"unknown objective '{objective}' (module '{module.id}')"
                )


def _check_requires_cycles(parts: Parts, report: Report) -> None:
    graph = {m.id: tuple(m.requires or ()) for m in parts.modules}
    for cycle in requires_cycles(graph):
        doc = parts.docs[f"module:{cycle[0]}"]
        if len(cycle) == 2:
            message = f"module '{cycle[0]}' requires itself"
        else:
            message = f"`requires` makes a cycle: {' → '.join(cycle)}"
        report.error(doc.path, doc.line("requires"), message)


def requires_cycles(graph: dict[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Return each cycle of `requires` once, as module ids from the earliest module in the
    graph's order back to it (`m1 → m2 → m1`)."""
    rank = {node: index for index, node in enumerate(graph)}
    cycles: list[tuple[str, ...]] = []
    for node in graph:
        path = _shortest_path(graph, node, node)
        if path is None:
            continue
        # The same cycle is found from each of its modules: keep the turn starting earliest.
        start = min(range(len(path) - 1), key=lambda i: rank.get(path[i], len(rank)))
        cycle = (*path[start:-1], *path[:start], path[start])
        if cycle not in cycles:
            cycles.append(cycle)
    return cycles


def _shortest_path(graph: dict[str, tuple[str, ...]], start: str, target: str) -> list[str] | None:
    """Return the shortest path of `requires` from `start` to `target` (both included)."""
    paths = {start: [start]}
    queue = [start]
    for node in queue:  # grows while walked: breadth first
        for required in graph.get(node, ()):
            if required == target:
                return [*paths[node], target]
            if required not in paths:
                paths[required] = [*paths[node], required]
                queue.append(required)
    return None


def _check_quiz(parts: Parts, quiz: Quiz, report: Report) -> None:
    doc = parts.docs[f"quiz:{quiz.id}"]
    module = next((m for m in parts.modules if m.id == quiz.module), None)
    if module is None:
        report.error(quiz.path, doc.line("module"), f"unknown module '{quiz.module}'")
    elif quiz.kind == "pretest" and any(
        q.kind == "pretest" and q.module == quiz.module and q.id < quiz.id for q in parts.quizzes
    ):
        report.error(quiz.path, doc.line("kind"), f"module '{quiz.module}' has two pre-tests")
    seen: set[str] = set()
    for question in quiz.questions:
        if question.id in seen:
            report.error(quiz.path, question.line, f"duplicate question id '{question.id}'")
        seen.add(question.id)
        check_question(parts, quiz, question, report)
    if quiz.draw is not None and quiz.draw > len(quiz.questions):
        report.error(
            quiz.path,
            doc.line("draw"),
            f"draw is {quiz.draw} but the quiz has only {len(quiz.questions)} questions",
        )
    _check_reachable(quiz, doc.line("pass_mark"), report)
    for finding in lint_quiz(quiz, doc.line("questions")):
        add = report.error if finding.error else report.warn
        add(quiz.path, finding.line, finding.text)
    if quiz.scoring == "cbm" and not quiz.confidence:
        report.warn(
            quiz.path,
            doc.line("scoring"),
            "scoring: cbm needs confidence: true (without it every answer counts as unsure)",
        )


def _check_reachable(quiz: Quiz, line: int, report: Report) -> None:
    total = sum(q.points for q in quiz.questions)
    earnable = sum(q.points for q in quiz.questions if q.can_be_right())
    if total and earnable / total < quiz.pass_mark:
        report.error(
            quiz.path,
            line,
            f"pass mark {quiz.pass_mark:g} is unreachable: "
            f"at most {earnable / total:.2f} of the points can be earned",
        )


def _check_tools(parts: Parts, report: Report) -> None:
    listed = {t: m for m in parts.modules for t in m.tools}
    for tool in parts.tools:
        doc = parts.docs[f"tool:{tool.id}"]
        check_tool(tool, doc, report)
        module = next((m for m in parts.modules if m.id == tool.module), None)
        unlock = tool.unlocked_by
        if module is not None and unlock is not None and module.step(unlock.step) is None:
            report.error(
                tool.path,
                doc.line("unlocked_by", "step"),
                f"unlocked_by: step '{unlock.step}' is not a step of '{module.id}'",
            )
        if module is None:
            report.error(tool.path, doc.line("module"), f"unknown module '{tool.module}'")
        elif listed.get(tool.id) is not None and listed[tool.id].id != tool.module:
            report.error(
                tool.path,
                doc.line("module"),
                f"tool is listed by module '{listed[tool.id].id}', not '{tool.module}'",
            )
        elif tool.id not in listed:
            report.warn(
                tool.path,
                doc.line("module"),
                f"tool '{tool.id}' is not listed in the `tools:` of module '{module.id}' "
                f"({module.path}): list it there, or it shows on no module page nor the home page",
            )


def _check_objectives_assessed(parts: Parts, report: Report) -> None:
    assessed = {
        (quiz.module, q.objective)
        for quiz in parts.quizzes
        if quiz.kind == "quiz"
        for q in quiz.questions
    }
    for module in parts.modules:
        if module.quiz in parts.broken_quizzes:
            continue
        doc = parts.docs[f"module:{module.id}"]
        for index, objective in enumerate(module.objectives):
            if (module.id, objective.id) not in assessed:
                report.warn(
                    module.path,
                    doc.line("objectives", index),
                    f"objective '{objective.id}' is assessed by no question",
                )
