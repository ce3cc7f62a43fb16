"""What ``aurum-sr apply`` prints: live progress, the outcome, the JSON document and the
Markdown registration report (``--report FILE.md``)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TextIO

from aurum_sr import __version__
from aurum_sr.apply.result import ApplyResult, StepOutcome, StepStatus
from aurum_sr.plan.document import to_document
from aurum_sr.plan.model import Plan, Verdict
from aurum_sr.plan.reasons import PromotionCheckSkipped
from aurum_sr.plan.steps import RegisterSchema
from aurum_sr.render import words
from aurum_sr.render.color import Lines
from aurum_sr.render.escape import markdown_code, markdown_text, terminal, terminal_lines
from aurum_sr.render.formats import APPLY_FORMATS, OutputFormat, accepted_format

FORMAT_VERSION = 2
"""The ``format_version`` of the apply JSON document."""

APPROVAL_QUESTION = "Do you want to apply these changes? Only 'yes' will be accepted."
APPROVAL_PROMPT = "Enter a value: "
CANCELLED = "Apply cancelled: nothing was written."


def saved_plan_intro(plan: Plan, plan_file: str, stream: TextIO) -> None:
    """The first lines of applying a saved plan: which plan, and its summary."""
    stream.write(
        terminal(f"Applying the saved plan {plan_file} (made at {plan.created_at}).") + "\n"
    )
    stream.write(words.plan_summary(plan) + "\n")


def progress(total: int, stream: TextIO, *, color: bool = False) -> Callable[[StepOutcome], None]:
    """A callback that writes one line per finished step: ``[ 4/12] ok     7. description: …``.

    Steps run concurrently end in any order, so the bracket counts the steps finished so far
    (it only goes up, and ``[12/12]`` is the last line) and ``7.`` is the step's number in the
    plan's "Steps, in apply order" list. Called from one thread only (the scheduler's)."""
    width = len(str(total))
    lines = Lines(stream, color=color)
    finished = 0

    def show(outcome: StepOutcome) -> None:
        nonlocal finished
        finished += 1
        done = outcome.status is StepStatus.DONE
        mark = "ok" if done else "FAILED"
        lines.line(
            f"[{finished:>{width}}/{total}] ",
            (f"{mark:<6}", "green" if done else "bold red"),
            f" {outcome.index:>{width}}. {outcome.description}: {outcome.message}",
        )
        lines.flush()

    return show


def render_apply(
    plan: Plan,
    result: ApplyResult,
    fmt: OutputFormat | str,
    stream: TextIO,
    *,
    report: str | None = None,
    color: bool = False,
    run_id: str = "",
) -> None:
    """Write what the apply did: the steps not started and the summary line for people (the
    per-step lines were written by :func:`progress`), or the JSON document.

    Raises:
        ValueError: ``fmt`` is not one of :class:`OutputFormat`.
        NotSupportedError: apply has no ``fmt`` form.
    """
    output = accepted_format(fmt, APPLY_FORMATS, "apply")
    if output is OutputFormat.JSON:
        stream.write(
            json.dumps(apply_document(plan, result, run_id=run_id), indent=2, sort_keys=True) + "\n"
        )
        return
    lines = Lines(stream, color=color)
    if result.with_status(StepStatus.NOT_STARTED):
        lines.blank()
        for outcome in result.with_status(StepStatus.NOT_STARTED):
            lines.line(f"  not started: {outcome.index}. {outcome.description}")
    lines.blank()
    lines.line((result.summary_line(), "bold" if result.ok else "bold red"))
    if report is not None:
        lines.line(f"Wrote the registration report to {report}.")


def apply_document(plan: Plan, result: ApplyResult, *, run_id: str = "") -> dict[str, Any]:
    """The JSON document: ``format_version``, the id of the run that applied, the plan applied
    (digest, time, the run that made it, summary) and every step's outcome."""
    return {
        "format_version": FORMAT_VERSION,
        "aurum_sr_version": __version__,
        "command": "apply",
        "run_id": run_id,
        "plan": {
            "digest": to_document(plan)["digest"],
            "created_at": plan.created_at,
            "run_id": plan.run_id,
            "summary": words.plan_counts(plan),
            "message": words.plan_summary(plan),
        },
        "registry": result.registry,
        "ok": result.ok,
        "summary": {
            "steps": len(result.outcomes),
            "done": len(result.with_status(StepStatus.DONE)),
            "changed": len(result.changed),
            "failed": len(result.with_status(StepStatus.FAILED)),
            "not_started": len(result.with_status(StepStatus.NOT_STARTED)),
        },
        "message": result.summary_line(),
        "steps": [_outcome_document(outcome) for outcome in result.outcomes],
    }


def _outcome_document(outcome: StepOutcome) -> dict[str, Any]:
    return {
        "index": outcome.index,
        "kind": outcome.step.kind,
        "subject": outcome.step.subject,
        "description": outcome.description,
        "status": outcome.status.value,
        "changed": outcome.changed,
        "message": outcome.message,
        "version": outcome.version,
        "schema_id": outcome.schema_id,
        "http_status": outcome.http_status,
        "error_code": outcome.error_code,
    }


_STATUS = {
    StepStatus.DONE: "done",
    StepStatus.FAILED: "**FAILED**",
    StepStatus.NOT_STARTED: "not started",
}


def registration_report(
    plan: Plan, result: ApplyResult, *, applied_at: str, run_id: str = ""
) -> str:
    """The registration report: what was registered, with versions and ids, the compatibility
    verdicts, the other steps and any failure, as Markdown text ending with a newline."""
    lines = [
        "# Schema registration report",
        "",
        f"- Registry: {_code(result.registry)}",
        f"- Contracts: {_code(plan.contracts_path)}",
        f"- Plan made at: {plan.created_at}; applied at: {applied_at}",
    ]
    if run_id or plan.run_id:
        made_by = "" if plan.run_id in ("", run_id) else f"; plan made by run {_code(plan.run_id)}"
        lines.append(f"- Run: {_code(run_id)}{made_by}")
    lines += [
        f"- Outcome: {'success' if result.ok else '**stopped**'} — {result.summary_line()}",
        "",
    ]
    if plan.environment is not None:
        lines[3:3] = [f"- Environment: {_code(plan.environment)}"]
    skipped = [w for w in plan.warnings if isinstance(w, PromotionCheckSkipped)]
    if skipped:
        lines += ["## Promotion check skipped", ""]
        lines += [f"- {_cell(words.plan_warning(w))}" for w in skipped]
        lines.append("")
    failed = result.failed
    if failed is not None:
        lines += [
            "## Failure",
            "",
            f"Step {failed.index} ({_cell(failed.description)}) failed:",
            "",
            _fence(failed.message),
            terminal_lines(failed.message),
            _fence(failed.message),
            "",
            "Steps before it are in effect; the steps after it did not start. Fix the cause, then "
            "run `aurum-sr plan` and `aurum-sr apply` again: steps already in effect are not "
            "repeated.",
            "",
        ]
    lines += ["## Registered schemas", ""]
    registered = result.registered
    if registered:
        lines += [
            "| Subject | Version | Schema id | Schema file | Written | Compatibility |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for outcome in registered:
            step = outcome.step
            assert isinstance(step, RegisterSchema)
            verdict = _verdict(plan, step.subject)
            written = "yes" if outcome.changed else "already registered"
            lines.append(
                f"| {_code(step.subject)} | {outcome.version} | {outcome.schema_id} | "
                f"{_code(step.schema_file)} | {written} | {_cell(_verdict_text(verdict))} |"
            )
    else:
        lines.append("No schema was registered.")
    lines.append("")
    breaking = [s for s in plan.subjects if s.verdict is not None and s.verdict.breaking_changes]
    if breaking:
        lines += ["## Compatibility details", ""]
        for subject in breaking:
            assert subject.verdict is not None
            lines.append(f"### {_code(subject.subject)}: {_verdict_text(subject.verdict)}")
            lines.append("")
            for change in subject.verdict.breaking_changes:
                where = change.field_path or change.location or "(schema)"
                lines.append(f"- {_code(where)}: {markdown_text(change.message)}")
            lines.append("")
    lines += ["## All steps", "", "| # | Step | Status | Result |", "| --- | --- | --- | --- |"]
    for outcome in result.outcomes:
        lines.append(
            f"| {outcome.index} | {_cell(outcome.description)} | {_STATUS[outcome.status]} | "
            f"{_cell(outcome.message)} |"
        )
    if not result.outcomes:
        lines.append("| | nothing to do | | |")
    lines.append("")
    return "\n".join(lines)


def _verdict(plan: Plan, subject: str) -> Verdict | None:
    found = next((s for s in plan.subjects if s.subject == subject), None)
    return found.verdict if found is not None else None


def _verdict_text(verdict: Verdict | None) -> str:
    if verdict is None:
        return "not checked"
    checked = ", ".join(f"v{v}" for v in verdict.checked_versions) or "nothing (first version)"
    if verdict.compatible:
        text = f"compatible under {verdict.level.value} (against {checked})"
    else:
        allowed = words.allowed_by(verdict.allowed_by) if verdict.allowed_by else ""
        text = f"incompatible under {verdict.level.value}, allowed: {allowed}"
        if verdict.accepted is not None:
            text += f" ({words.accepted_break(verdict.accepted)})"
    if verdict.remote_compatible is not None:
        remote = "compatible" if verdict.remote_compatible else "incompatible"
        text += f"; the registry says {remote}"
        if verdict.disagreement:
            text += " (DISAGREES)"
    return text


def _code(text: str | None) -> str:
    return markdown_code(text) if text else ""


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return markdown_text(text.replace("\n", " "))


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in ``text``, so it cannot close early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)
