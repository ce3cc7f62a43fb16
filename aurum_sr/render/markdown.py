"""The plan and drift report as a pull-request comment (GitHub-flavoured Markdown)."""

from __future__ import annotations

from collections import defaultdict
from typing import TextIO

from aurum_sr.diff.drift import DriftReport
from aurum_sr.plan.model import Plan, SubjectPlan
from aurum_sr.render import words
from aurum_sr.render.escape import html_code, markdown_code, markdown_text
from aurum_sr.render.human import drift_summary
from aurum_sr.render.text import (
    change_line,
    change_symbol,
    grouped_breaking_line,
    grouped_breaks,
    verdict_badge,
    verdict_line,
)


def _cell(text: str) -> str:
    return markdown_text(text.replace("\n", " "))


def _code(text: str) -> str:
    return markdown_code(text)


def render_plan(plan: Plan, stream: TextIO) -> None:
    """Summary, a table of changes, breaking details folded, steps, owners to notify."""
    out: list[str] = ["## aurum-sr plan", "", f"**{words.plan_summary(plan)}**", ""]
    out.append(
        f"Registry {_code(plan.registry)} · contracts {_code(plan.contracts_path)} · "
        f"made {plan.created_at}"
    )
    out.append("")
    if plan.subjects:
        out += ["| | Subject | Change | Verdict | Owner |", "|---|---|---|---|---|"]
        for s in plan.subjects:
            verdict = verdict_badge(s.verdict) if s.verdict else ""
            if s.blocked_reasons and not verdict:
                verdict = "BLOCKED"
            symbol, change = words.action_symbol(s.action), words.summary(s.summary)
            out.append(
                f"| `{symbol}` | {_code(s.subject)} | {_cell(change)} | "
                f"{_cell(verdict)} | {_cell(s.owner or '')} |"
            )
        out.append("")
    for s in plan.subjects:
        out += _details(s)
    if plan.steps:
        out += ["<details><summary>Steps, in apply order</summary>", ""]
        out += [f"{i}. {_cell(words.step(step))}" for i, step in enumerate(plan.steps, 1)]
        out += ["", "</details>", ""]
    if plan.needs_allow_delete and not plan.policy.allow_delete:  # no hint for a flag given
        out += ["> [!WARNING]", "> Deletes need `aurum-sr apply --allow-delete`.", ""]
    owned = [u for u in plan.unmanaged if u.owned]
    if owned:
        out += ["### Unmanaged subjects under owned prefixes", ""]
        for u in owned:
            note = "deleted by this plan (`--prune`)" if u.pruned else "drift; `--prune` deletes"
            out.append(f"- {_code(u.subject)}: {note}")
        out.append("")
    if plan.warnings:
        out += ["### Warnings", ""]
        out += [f"- {markdown_text(words.plan_warning(w))}" for w in plan.warnings] + [""]
    owners: dict[str, list[str]] = defaultdict(list)
    for s in plan.subjects:
        if s.owner:
            owners[s.owner].append(s.subject)
    if owners:
        out += ["### Owners to notify", ""]
        for owner in sorted(owners):
            out.append(f"- {_cell(owner)}: " + ", ".join(_code(x) for x in owners[owner]))
        out.append("")
    stream.write("\n".join(out).rstrip("\n") + "\n")


def _details(s: SubjectPlan) -> list[str]:
    breaking = grouped_breaks(s.verdict.breaking_changes) if s.verdict else []
    if not (breaking or s.changes or s.notes or s.warnings or s.blocked_reasons):
        return []
    if breaking:
        title = f"{len(breaking)} breaking change(s) in <code>{html_code(s.subject)}</code>"
    else:
        title = f"Details of <code>{html_code(s.subject)}</code>"
    out = [f"<details><summary>{title}</summary>", ""]
    if s.schema_file:
        out.append(f"Schema: {_code(s.schema_file)}")
        out.append("")
    out += [f"- {markdown_text(words.note(n))}" for n in s.notes]
    out += [f"- {markdown_text(words.subject_warning(w))}" for w in s.warnings]
    if s.verdict:
        out.append(f"- Verdict: {verdict_line(s.verdict)}")
    for b, versions in breaking:  # each fix right under its break
        out.append(f"- **Breaking**: {_cell(grouped_breaking_line(b, versions))}")
        if b.recommendation:
            out.append(f"  - fix: {markdown_text(b.recommendation)}")
    out += [f"- `{change_symbol(c)}` {_cell(change_line(c))}" for c in s.changes]
    out += [f"- **Blocked**: {markdown_text(words.blocked_reason(r))}" for r in s.blocked_reasons]
    return [*out, "", "</details>", ""]


def render_drift(report: DriftReport, stream: TextIO) -> None:
    """The drift findings as a table."""
    out = ["## aurum-sr drift", "", f"**{drift_summary(report)}**", ""]
    out.append(f"Registry {_code(report.registry)} · contracts {_code(report.contracts_path)}")
    out.append("")
    if report.findings:
        out += ["| Subject | Drift | What | Git | Registry |", "|---|---|---|---|---|"]
        for f in report.findings:
            out.append(
                f"| {_code(f.subject)} | {f.kind.value} | {_cell(f.message)} | "
                f"{_cell(f.expected)} | {_cell(f.actual)} |"
            )
        remedies = [
            (f, r) for f in report.findings for r in words.drift_remedies(f, report.registry)
        ]
        if remedies:
            out += ["", "**How to resolve**", ""]
            out += [f"- {_code(f.subject)}: {_cell(r)}" for f, r in remedies]
    stream.write("\n".join(out).rstrip("\n") + "\n")
