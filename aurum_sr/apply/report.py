"""The registration report (``aurum-sr apply --report FILE.md``): what was registered, with
versions and ids, the compatibility verdicts, the other steps and any failure, in Markdown."""

from __future__ import annotations

from aurum_sr.apply.result import ApplyResult, StepStatus
from aurum_sr.plan.model import Plan, Verdict
from aurum_sr.plan.steps import RegisterSchema

_STATUS = {
    StepStatus.DONE: "done",
    StepStatus.FAILED: "**FAILED**",
    StepStatus.NOT_STARTED: "not started",
}


def registration_report(plan: Plan, result: ApplyResult, *, applied_at: str) -> str:
    """The report as Markdown text ending with a newline."""
    lines = [
        "# Schema registration report",
        "",
        f"- Registry: `{result.registry}`",
        f"- Contracts: `{plan.contracts_path}`",
        f"- Plan made at: {plan.created_at}; applied at: {applied_at}",
        f"- Outcome: {'success' if result.ok else '**stopped**'} — {result.summary_line()}",
        "",
    ]
    failed = result.failed
    if failed is not None:
        lines += [
            "## Failure",
            "",
            f"Step {failed.index} ({_cell(failed.description)}) failed:",
            "",
            "```",
            failed.message,
            "```",
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
                f"| `{step.subject}` | {outcome.version} | {outcome.schema_id} | "
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
            lines.append(f"### `{subject.subject}`: {_verdict_text(subject.verdict)}")
            lines.append("")
            for change in subject.verdict.breaking_changes:
                where = change.field_path or change.location or "(schema)"
                lines.append(f"- `{where}`: {change.message}")
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
        text = f"incompatible under {verdict.level.value}, allowed: {verdict.allowed_reason}"
    if verdict.remote_compatible is not None:
        remote = "compatible" if verdict.remote_compatible else "incompatible"
        text += f"; the registry says {remote}"
        if verdict.disagreement:
            text += " (DISAGREES)"
    return text


def _code(text: str | None) -> str:
    return f"`{text}`" if text else ""


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")
