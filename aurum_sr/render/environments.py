"""Several environments' plans and drift reports (``--env all``), grouped by environment.

Each environment's part is the one-environment output, unchanged in the terminal and with its
headings one level down in Markdown, under a heading naming the environment; a first line gives
the worst of them. JSON is the combined document (:mod:`aurum_sr.plan.environments`).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TextIO

from aurum_sr.diff.drift import DriftReport
from aurum_sr.errors import NotSupportedError
from aurum_sr.plan.environments import EnvironmentsPlan, to_document
from aurum_sr.render import human, markdown, words
from aurum_sr.render.escape import markdown_code
from aurum_sr.render.formats import OutputFormat
from aurum_sr.render.json import drift_document
from aurum_sr.render.view import PlanView

DriftReports = Sequence[tuple[str, DriftReport]]


def render_plans(
    plans: EnvironmentsPlan,
    fmt: OutputFormat,
    stream: TextIO,
    *,
    color: bool,
    view: PlanView | None = None,
) -> None:
    """The plans of every environment in ``fmt`` (human, json or markdown); in Markdown each
    environment gets an equal share of ``view``'s budget.

    Raises:
        NotSupportedError: another format.
    """
    if fmt is OutputFormat.JSON:
        _json(to_document(plans), stream)
    elif fmt is OutputFormat.MARKDOWN:
        out = [f"## aurum-sr plan: {len(plans.plans)} environments", ""]
        out += [f"**{_plans_summary(plans)}**", ""]
        out += ["| Environment | Plan |", "|---|---|"]
        out += [
            f"| {markdown_code(p.environment)} | {words.plan_summary(p.plan)} |"
            for p in plans.plans
        ]
        out.append("")
        shared = view or PlanView()
        if shared.markdown_budget:
            share = shared.markdown_budget // max(1, len(plans.plans))
            shared = replace(shared, markdown_budget=share)
        for p in plans.plans:
            body = io.StringIO()
            markdown.render_plan(p.plan, body, view=shared)
            out += _demoted(body.getvalue(), f"### Environment {markdown_code(p.environment)}")
        stream.write("\n".join(out).rstrip("\n") + "\n")
    elif fmt is OutputFormat.HUMAN:
        for p in plans.plans:
            stream.write(f"== environment {p.environment} ==\n")
            human.render_plan(p.plan, stream, color=color, view=view)
            stream.write("\n")
        stream.write(f"{_plans_summary(plans)}\n")
    else:
        raise _unsupported(fmt, "plan")


def render_drifts(reports: DriftReports, fmt: OutputFormat, stream: TextIO, *, color: bool) -> None:
    """The drift reports of every environment in ``fmt`` (human, json or markdown).

    Raises:
        NotSupportedError: another format.
    """
    drifted = [name for name, r in reports if r.drifted]
    summary = (
        f"Drift in {len(drifted)} of {len(reports)} environments: {', '.join(drifted)}."
        if drifted
        else f"No drift in any of {len(reports)} environments."
    )
    if fmt is OutputFormat.JSON:
        _json(drifts_document(reports), stream)
    elif fmt is OutputFormat.MARKDOWN:
        out = [f"## aurum-sr drift: {len(reports)} environments", "", f"**{summary}**", ""]
        for name, report in reports:
            body = io.StringIO()
            markdown.render_drift(report, body)
            out += _demoted(body.getvalue(), f"### Environment {markdown_code(name)}")
        stream.write("\n".join(out).rstrip("\n") + "\n")
    elif fmt is OutputFormat.HUMAN:
        for name, report in reports:
            stream.write(f"== environment {name} ==\n")
            human.render_drift(report, stream, color=color)
            stream.write("\n")
        stream.write(f"{summary}\n")
    else:
        raise _unsupported(fmt, "drift report")


def drifts_document(reports: DriftReports) -> dict[str, Any]:
    """Every environment's drift document, and whether any drifted."""
    return {
        "environments": [
            {"environment": name, "report": drift_document(report)} for name, report in reports
        ],
        "drifted": any(r.drifted for _, r in reports),
    }


def _plans_summary(plans: EnvironmentsPlan) -> str:
    blocked = [p.environment for p in plans.plans if p.plan.blocked]
    changed = [p.environment for p in plans.plans if p.plan.has_changes and not p.plan.blocked]
    parts = []
    if blocked:
        parts.append(f"blocked in {', '.join(blocked)}")
    if changed:
        parts.append(f"changes in {', '.join(changed)}")
    if not parts:
        return f"No changes in any of {len(plans.plans)} environments."
    return f"{len(plans.plans)} environments: {'; '.join(parts)}."


def _demoted(text: str, title: str) -> list[str]:
    """A one-environment Markdown document under ``title``: its own title line dropped, its
    other headings one level down."""
    lines = text.rstrip("\n").split("\n")
    out = [title]
    for line in lines[1:]:
        out.append(f"#{line}" if line.startswith("##") else line)
    return [*out, ""]


def _json(document: dict[str, Any], stream: TextIO) -> None:
    stream.write(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def _unsupported(fmt: OutputFormat, what: str) -> NotSupportedError:
    return NotSupportedError(
        f"--format {fmt.value} for several environments' {what} is not supported yet",
        hint="use --format human, json or markdown, or run one environment at a time: --env NAME",
    )
