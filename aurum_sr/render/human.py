"""The Terraform-like plan and drift report for people, rendered with rich."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.text import Text
from typing_extensions import assert_never

from aurum_sr.compat.result import ChangeCategory
from aurum_sr.diff.drift import DriftReport
from aurum_sr.plan.model import Plan, SubjectAction, SubjectPlan
from aurum_sr.plan.reasons import Incompatible
from aurum_sr.render import words
from aurum_sr.render.escape import terminal
from aurum_sr.render.text import (
    change_line,
    change_symbol,
    grouped_breaking_line,
    grouped_breaks,
    needs_review,
    verdict_badge,
    verdict_line,
)
from aurum_sr.render.view import PlanView


def _action_style(action: SubjectAction) -> str:
    if action is SubjectAction.CREATE:
        return "green"
    if action is SubjectAction.UPDATE:
        return "yellow"
    if action is SubjectAction.ROLLBACK:
        return "magenta"
    if action is SubjectAction.DELETE:
        return "red"
    if action is SubjectAction.BLOCKED:
        return "bold red"
    assert_never(action)


def console_for(stream: TextIO, *, color: bool) -> Console:
    """A console that writes plain text unless ``color`` (and never guesses a terminal width)."""
    return Console(
        file=stream,
        no_color=not color,
        force_terminal=color,
        width=100,
        highlight=False,
        emoji=False,
        markup=False,
    )


def _line(console: Console, *parts: tuple[str, str] | str, indent: int = 0) -> None:
    text = Text(" " * indent)
    for part in parts:
        if isinstance(part, tuple):
            text.append(terminal(part[0]), style=part[1])
        else:
            text.append(terminal(part))
    console.print(text, soft_wrap=True)


def _header(console: Console, title: str, registry: str, root: str, contracts: str) -> None:
    _line(console, (title, "bold"))
    _line(console, f"registry:  {registry}", indent=2)
    _line(console, f"contracts: {root.rstrip('/')}/{contracts}", indent=2)


def render_plan(plan: Plan, stream: TextIO, *, color: bool, view: PlanView | None = None) -> None:
    """Write the plan for a person: subjects, steps in apply order, the closing line; with
    ``view.compact`` one line for each subject that needs no review and the steps counted, with
    ``view.diff`` each changed subject's schema diff."""
    view = view or PlanView()
    console = console_for(stream, color=color)
    _header(console, "aurum-sr plan", plan.registry, plan.desired_root, plan.contracts_path)
    _line(console, f"made at:   {plan.created_at}", indent=2)
    console.print()
    quiet = [s for s in plan.subjects if view.compact and not needs_review(s)]
    for subject in plan.subjects:
        if view.compact and not needs_review(subject):
            continue
        _subject(console, subject, plan.contracts_path, diff=view.diff)
        console.print()
    if quiet:
        _line(console, ("Compatible, nothing to review:", "bold"))
        for subject in quiet:
            _one_line(console, subject)
        console.print()
    if plan.steps and view.compact:
        count = len(plan.steps)
        _line(console, f"{count} step(s) in apply order; without --compact they are listed.")
        console.print()
    elif plan.steps:
        _line(console, ("Steps, in apply order:", "bold"))
        width = len(str(len(plan.steps)))
        for number, step in enumerate(plan.steps, start=1):
            _line(console, f"{number:>{width}}. {words.step(step)}", indent=2)
        console.print()
    if plan.needs_allow_delete and not plan.policy.allow_delete:  # no hint for a flag given
        _line(console, ("Deletes need `aurum-sr apply --allow-delete`.", "red"))
        console.print()
    if plan.unmanaged:
        _line(console, ("Unmanaged subjects (live, in no contract):", "bold"))
        for entry in plan.unmanaged:
            if entry.pruned:
                note = "under an owned prefix: deleted by this plan (--prune)"
            elif entry.owned:
                note = "under an owned prefix: drift; `plan --prune` deletes it"
            else:
                note = "not under an owned prefix: left alone"
            _line(console, ("? ", "cyan"), f"{entry.subject}  {note}", indent=2)
        console.print()
    for warning in plan.warnings:
        _line(console, ("warning: ", "yellow"), words.plan_warning(warning))
    if plan.warnings:
        console.print()
    _line(console, (words.plan_summary(plan), "bold red" if plan.blocked else "bold"))


def _one_line(console: Console, subject: SubjectPlan) -> None:
    """A subject that needs no review, on one line: mark, name, what happens, verdict."""
    verdict = f"  {verdict_badge(subject.verdict)}" if subject.verdict else ""
    _line(
        console,
        (f"{words.action_symbol(subject.action)} {subject.subject}", _action_style(subject.action)),
        f"  {words.summary(subject.summary)}{verdict}",
        indent=2,
    )


def _diff(console: Console, lines: tuple[str, ...]) -> None:
    _line(console, "diff:", indent=4)
    for line in lines:
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("@@"):
            style = "cyan"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        else:
            style = ""
        _line(console, (line, style), indent=6)


def _subject(
    console: Console, subject: SubjectPlan, contracts_path: str, *, diff: bool = False
) -> None:
    style = _action_style(subject.action)
    _line(
        console,
        (f"{words.action_symbol(subject.action)} {subject.subject}", f"bold {style}"),
        f"  {words.summary(subject.summary)}",
    )
    if subject.schema_file:
        _line(console, f"schema: {subject.schema_file}", indent=4)
    for note in subject.notes:
        _line(console, words.note(note), indent=4)
    for warning in subject.warnings:
        _line(console, words.subject_warning(warning), indent=4)
    if subject.changes:
        _line(console, "changes:", indent=4)
        for change in subject.changes:
            change_style = "red" if change.category is ChangeCategory.BREAKING else ""
            _line(
                console,
                (f"{change_symbol(change)} {change_line(change)}", change_style),
                indent=6,
            )
    verdict = subject.verdict
    if verdict is not None:
        badge_style = "green" if verdict.compatible else ("yellow" if verdict.allowed else "red")
        _line(console, "verdict: ", (verdict_line(verdict), f"bold {badge_style}"), indent=4)
        if verdict.accepted is not None:
            _line(console, words.accepted_break(verdict.accepted), indent=6)
        for breaking, versions in grouped_breaks(verdict.breaking_changes):
            _line(console, ("x ", "red"), grouped_breaking_line(breaking, versions), indent=6)
            if breaking.recommendation:
                _line(console, f"fix: {breaking.recommendation}", indent=8)
        if verdict.remote_compatible is not None:
            answer = "compatible" if verdict.remote_compatible else "incompatible"
            _line(console, f"registry says: {answer}", indent=4)
            for message in verdict.remote_messages:
                _line(console, message, indent=6)
    for reason in subject.blocked_reasons:
        _line(console, ("blocked: ", "bold red"), words.blocked_reason(reason), indent=4)
    for reason in subject.blocked_reasons:
        snippet = words.accept_snippet(reason) if isinstance(reason, Incompatible) else ()
        if snippet and isinstance(reason, Incompatible):
            where = reason.contract or contracts_path
            _line(console, words.how_to_accept(subject.subject, where), indent=4)
            for text in snippet:
                _line(console, (text, "cyan"), indent=6)
    if diff and subject.schema_diff:
        _diff(console, subject.schema_diff)


def render_drift(report: DriftReport, stream: TextIO, *, color: bool) -> None:
    """Write the drift findings grouped by subject, with a closing line."""
    console = console_for(stream, color=color)
    _header(console, "aurum-sr drift", report.registry, report.desired_root, report.contracts_path)
    console.print()
    for subject in report.subjects:
        _line(console, (subject, "bold"))
        for finding in (f for f in report.findings if f.subject == subject):
            _line(console, (f"{finding.kind.value}: ", "yellow"), finding.message, indent=2)
            if finding.expected or finding.actual:
                _line(
                    console,
                    f"git: {finding.expected or '-'}   registry: {finding.actual or '-'}",
                    indent=4,
                )
            for remedy in words.drift_remedies(finding, report.registry):
                _line(console, remedy, indent=4)
        console.print()
    _line(console, (drift_summary(report), "bold"))


def drift_summary(report: DriftReport) -> str:
    """``Drift: N finding(s) in M subject(s).`` or the in-sync sentence."""
    if not report.drifted:
        return "No drift. The registry matches the contracts."
    return f"Drift: {len(report.findings)} finding(s) in {len(report.subjects)} subject(s)."
