"""Checks of a step's work: its activities name usable tools, its declared time is honest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .durations import duration_gap
from .model import Activity, Module, Step, Tool

if TYPE_CHECKING:
    from .files import Report
    from .loader import Parts


def check_steps(parts: Parts, module: Module, report: Report) -> None:
    """Check each step's activities and its declared time against the estimate."""
    tools = {t.id: t for t in parts.tools}
    for step in module.steps:
        for activity in step.activities:
            _check_activity(parts, module, step, activity, tools, report)
        gap = duration_gap(step)
        if gap is not None:
            report.warn(step.path, parts.docs[f"step:{step.id}"].line("duration_minutes"), gap)


def _check_activity(
    parts: Parts,
    module: Module,
    step: Step,
    activity: Activity,
    tools: dict[str, Tool],
    report: Report,
) -> None:
    if activity.kind == "tool" and activity.tool is None:
        report.error(step.path, activity.line, "a tool activity needs `tool`: a tool id")
    elif activity.kind != "tool" and activity.tool is not None:
        report.error(step.path, activity.line, "only a tool activity names a `tool`")
    elif activity.tool is not None and activity.tool not in tools:
        if activity.tool not in parts.broken_tools:
            report.error(step.path, activity.line, f"unknown tool '{activity.tool}'")
    elif activity.tool is not None:
        reason = _locked_at(parts, module, step, tools[activity.tool])
        if reason is not None:
            report.warn(step.path, activity.line, f"[activity-tool-locked] {reason}")


def _locked_at(parts: Parts, module: Module, step: Step, tool: Tool) -> str | None:
    """Tell why a tool is still locked when a learner reaches this step, or None if it is open."""
    own = next((m for m in parts.modules if m.id == tool.module), None)
    if own is None or own.order < module.order:
        return None
    if own.order > module.order:
        return f"tool '{tool.id}' opens in a later session ('{own.id}')"
    if tool.unlocked_by is None:
        return (
            f"tool '{tool.id}' opens only once this session's quiz is passed: give it "
            f"`unlocked_by: {{step: {step.id}}}` (or an earlier step) so it can be used here"
        )
    order = [s.id for s in module.steps]
    opener = tool.unlocked_by.step
    if opener in order and order.index(opener) > order.index(step.id):
        return f"tool '{tool.id}' opens at a later step ('{opener}')"
    return None
