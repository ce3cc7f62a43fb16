"""GitHub Actions workflow commands: annotations on the ``.avsc`` line of each breaking change."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, TextIO

from aurum_sr.diff.drift import DriftReport
from aurum_sr.plan.model import Plan, Verdict
from aurum_sr.plan.reasons import ApprovalExpired, ApprovalUnmatched
from aurum_sr.plan.steps import RegisterSchema
from aurum_sr.render import words
from aurum_sr.render.escape import terminal
from aurum_sr.render.human import drift_summary
from aurum_sr.render.text import breaking_line


def _data(text: str) -> str:
    # The Actions log renders ANSI escapes: every other control character is made visible.
    lines = "\n".join(terminal(line) for line in text.replace("\r\n", "\n").split("\n"))
    return lines.replace("%", "%25").replace("\n", "%0A")


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
    """The 1-based line where the field ``field_path`` names is declared, else 1.

    ``field_path`` looks like ``Order.lines[].amount``. The field is found by walking the parsed
    schema (so a nested ``amount`` is not mistaken for a top-level one), then its
    ``"name": "amount"`` declaration is located in the text by its rank among the declarations of
    that name, in text order.
    """
    try:
        parsed = json.loads(schema_str)
    except ValueError:
        return 1
    names = [n for n in re.split(r"[.\[\]]+", field_path) if n]
    target = _find_field(parsed, names)
    if target is None:
        return 1
    rank = 0
    for node in _named_nodes(parsed):
        if node is target:
            break
        if node.get("name") == target["name"]:
            rank += 1
    pattern = re.compile(r'"name"\s*:\s*' + re.escape(json.dumps(target["name"])))
    matches = list(pattern.finditer(schema_str))
    if rank >= len(matches):
        return 1
    return schema_str.count("\n", 0, matches[rank].start()) + 1


def _records(node: Any) -> list[dict[str, Any]]:
    """The records a type reaches without passing through a field (arrays, maps, unions)."""
    if isinstance(node, list):
        return [r for branch in node for r in _records(branch)]
    if not isinstance(node, dict):
        return []
    if node.get("type") in ("record", "error"):
        return [node]
    if node.get("type") == "array":
        return _records(node.get("items"))
    if node.get("type") == "map":
        return _records(node.get("values"))
    if isinstance(node.get("type"), (dict, list)):
        return _records(node["type"])
    return []


def _short_name(name: object) -> str:
    return str(name).rpartition(".")[2]


def _find_field(root: Any, names: list[str]) -> dict[str, Any] | None:
    current = _records(root)
    found: dict[str, Any] | None = None
    for name in names:
        field = next(
            (
                f
                for record in current
                for f in record.get("fields", [])
                if isinstance(f, dict) and f.get("name") == name
            ),
            None,
        )
        if field is not None:
            found = field
            current = _records(field.get("type"))
        elif found is None:
            continue  # namespace parts and the record's own name lead the path
        elif not any(_short_name(r.get("name")) == _short_name(name) for r in current):
            return None
    return found


def _named_nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every object with a ``name`` key, in the order their ``name`` keys appear in the text."""
    if isinstance(node, list):
        for item in node:
            yield from _named_nodes(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "name" and isinstance(value, str):
                yield node
            elif isinstance(value, (dict, list)):
                yield from _named_nodes(value)


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
                        words.blocked_reason(reason),
                        title=f"{subject.subject}: blocked",
                        file=plan.contracts_path,
                    )
                    + "\n"
                )
    for warning in plan.warnings:
        where = (
            warning.location if isinstance(warning, (ApprovalExpired, ApprovalUnmatched)) else None
        )
        stream.write(
            annotation(
                "warning",
                words.plan_warning(warning),
                title="aurum-sr plan: warning",
                file=where.path if where else None,
                line=where.line if where else None,
            )
            + "\n"
        )
    stream.write(annotation("notice", words.plan_summary(plan), title="aurum-sr plan") + "\n")


def _breaking(
    stream: TextIO,
    subject: str,
    schema_file: str | None,
    verdict: Verdict,
    step: RegisterSchema | None,
) -> None:
    level = "warning" if verdict.allowed else "error"
    title = f"{subject}: incompatible under {verdict.level.value}"
    if verdict.allowed_by is not None:
        title += f" (allowed: {words.allowed_by(verdict.allowed_by)})"
    for breaking in verdict.breaking_changes:
        line = field_line(step.schema_str, breaking.field_path) if step else None
        message = breaking_line(breaking)
        if breaking.recommendation:
            message += f"\nfix: {breaking.recommendation}"
        if verdict.accepted is not None:
            message += f"\n{words.accepted_break(verdict.accepted)}"
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
