"""GitHub Actions workflow commands: annotations on the ``.avsc`` line of each breaking change."""

from __future__ import annotations

import json
import re
from typing import TextIO

from aurum_sr.diff.drift import DriftReport
from aurum_sr.plan.model import Plan, Verdict
from aurum_sr.plan.steps import RegisterSchema
from aurum_sr.render.human import drift_summary
from aurum_sr.render.text import breaking_line


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    level: str, message: str, *, title: str, file: str | None = None, line: int | None = None
) -> str:
    """One workflow command, e.g. ``::error file=x.avsc,line=3,title=...::message``."""
    props = []
    if file:
        props.append(f"file={_property(file)}")
        if line:
            props.append(f"line={line}")
    props.append(f"title={_property(title)}")
    return f"::{level} {','.join(props)}::{_data(message)}"


def field_line(schema_str: str, field_path: str) -> int:
    """The 1-based line where the field at the end of ``field_path`` is declared, else 1.

    ``field_path`` looks like ``Order.lines[].amount``: the last name is searched as a
    ``"name": "amount"`` declaration, after the declarations of the names before it.
    """
    names = [n for n in re.split(r"[.\[\]]+", field_path) if n]
    position = 0
    found = None
    for name in names:
        pattern = re.compile(r'"name"\s*:\s*' + re.escape(json.dumps(name)))
        match = pattern.search(schema_str, position)
        if match is None:
            continue
        position = match.start()
        found = match.start()
    if found is None:
        return 1
    return schema_str.count("\n", 0, found) + 1


def render_plan(plan: Plan, stream: TextIO) -> None:
    """An annotation per breaking change (error when blocking), a notice with the summary."""
    texts = {s.subject: s for s in plan.steps if isinstance(s, RegisterSchema)}
    for subject in plan.subjects:
        verdict = subject.verdict
        step = texts.get(subject.subject)
        if verdict is not None:
            _breaking(stream, subject.subject, subject.schema_file, verdict, step)
        if verdict is not None and verdict.disagreement:
            stream.write(
                annotation(
                    "warning",
                    "the registry's own compatibility test disagrees with the local verdict",
                    title=f"{subject.subject}: verdicts disagree",
                    file=subject.schema_file,
                )
                + "\n"
            )
        if not verdict or not verdict.breaking_changes:
            for reason in subject.blocked_reasons:
                stream.write(
                    annotation(
                        "error",
                        reason,
                        title=f"{subject.subject}: blocked",
                        file=plan.contracts_path,
                    )
                    + "\n"
                )
    stream.write(annotation("notice", plan.summary_line(), title="aurum-sr plan") + "\n")


def _breaking(
    stream: TextIO,
    subject: str,
    schema_file: str | None,
    verdict: Verdict,
    step: RegisterSchema | None,
) -> None:
    level = "warning" if verdict.allowed else "error"
    title = f"{subject}: incompatible under {verdict.level.value}"
    if verdict.allowed:
        title += f" (allowed: {verdict.allowed_reason})"
    for breaking in verdict.breaking_changes:
        line = field_line(step.schema_str, breaking.field_path) if step else None
        message = breaking_line(breaking)
        if breaking.recommendation:
            message += f"\nfix: {breaking.recommendation}"
        stream.write(annotation(level, message, title=title, file=schema_file, line=line) + "\n")


def render_drift(report: DriftReport, stream: TextIO) -> None:
    """A warning per finding on contracts.yml, a notice with the summary."""
    for finding in report.findings:
        stream.write(
            annotation(
                "warning",
                finding.message,
                title=f"drift: {finding.subject} ({finding.kind.value})",
                file=report.contracts_path,
            )
            + "\n"
        )
    stream.write(annotation("notice", drift_summary(report), title="aurum-sr drift") + "\n")
