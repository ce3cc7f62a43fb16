"""JUnit XML: one test suite whose test cases CI systems show as passed or failed.

The format-level part (:class:`Suite`, :class:`Case`, :class:`Failure`, :func:`write`) knows
nothing of plans; a document becomes JUnit by building a :class:`Suite` (:func:`plan_suite` for a
plan, :func:`check_suite`, :func:`drift_suite`; ``validation_suite`` and ``against_suite`` beside
their documents' other forms) and writing it. Every text is made safe for XML first: line ends
become ``\\n``, the characters XML 1.0 cannot hold at all are written as visible ``\\xNN``
escapes, and ElementTree escapes the rest.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

from aurum_sr.compat.result import CompatibilityResult
from aurum_sr.diff.drift import DriftFinding, DriftReport
from aurum_sr.plan.model import Plan, SubjectAction, SubjectPlan
from aurum_sr.plan.reasons import Incompatible, RegistrySaysIncompatible
from aurum_sr.render import words
from aurum_sr.render.text import breaking_line, change_line, change_symbol, verdict_line


@dataclass(frozen=True)
class Failure:
    """Why a test case failed."""

    message: str
    """One line, shown beside the case name."""
    kind: str
    """The ``type`` attribute, e.g. ``incompatible``."""
    details: str = ""
    """The full explanation, the element's text."""


@dataclass(frozen=True)
class Case:
    """One test case: passed unless it has a failure."""

    name: str
    classname: str
    failure: Failure | None = None
    output: str = ""
    """What the case did, as ``system-out`` (omitted when empty)."""


@dataclass(frozen=True)
class Suite:
    """The one test suite of a document."""

    name: str
    cases: tuple[Case, ...]
    properties: tuple[tuple[str, str], ...] = ()
    output: str = ""
    """Suite-level ``system-out`` (omitted when empty)."""

    @property
    def failures(self) -> int:
        return sum(case.failure is not None for case in self.cases)


def write(suite: Suite, stream: TextIO) -> None:
    """Write ``suite`` as a ``<testsuites>`` document holding it, ending with a newline."""
    counts = {
        "tests": str(len(suite.cases)),
        "failures": str(suite.failures),
        "errors": "0",
        "skipped": "0",
    }
    root = ET.Element("testsuites", {"name": _safe(suite.name), **counts})
    element = ET.SubElement(root, "testsuite", {"name": _safe(suite.name), **counts})
    if suite.properties:
        properties = ET.SubElement(element, "properties")
        for name, value in suite.properties:
            ET.SubElement(properties, "property", {"name": _safe(name), "value": _safe(value)})
    for case in suite.cases:
        _case(element, case)
    if suite.output:
        ET.SubElement(element, "system-out").text = _safe(suite.output)
    ET.indent(root, space="  ")
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")


def _case(parent: ET.Element, case: Case) -> None:
    element = ET.SubElement(
        parent, "testcase", {"name": _safe(case.name), "classname": _safe(case.classname)}
    )
    if case.failure is not None:
        failure = ET.SubElement(
            element,
            "failure",
            {"message": _safe(case.failure.message), "type": _safe(case.failure.kind)},
        )
        failure.text = _safe(case.failure.details)
    if case.output:
        ET.SubElement(element, "system-out").text = _safe(case.output)


# What XML 1.0 allows: tab, newline, carriage return, and the rest above U+001F except the
# surrogates and U+FFFE/U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _safe(text: str) -> str:
    """``text`` with line ends as ``\\n`` (as an XML parser reads them) and every character XML
    1.0 cannot hold written as a visible escape."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def plan_suite(plan: Plan) -> Suite:
    """A plan as a suite: one case per touched subject, failed when the subject is blocked
    (``type="incompatible"`` when the local check or the registry says incompatible, else
    ``type="blocked"``), with every line of the subject as the failure's text."""
    summary = words.plan_summary(plan)
    properties = (
        ("registry", plan.registry),
        ("contracts", plan.contracts_path),
        ("made_at", plan.created_at),
        ("summary", summary),
    )
    warnings = [f"warning: {words.plan_warning(w)}" for w in plan.warnings]
    return Suite(
        name="aurum-sr plan",
        cases=tuple(_subject_case(subject) for subject in plan.subjects),
        properties=properties,
        output="\n".join([*warnings, summary]),
    )


def _subject_case(subject: SubjectPlan) -> Case:
    lines = [words.summary(subject.summary)]
    if subject.schema_file:
        lines.append(f"schema: {subject.schema_file}")
    lines += [words.note(note) for note in subject.notes]
    lines += [words.subject_warning(warning) for warning in subject.warnings]
    lines += [f"{change_symbol(c)} {change_line(c)}" for c in subject.changes]
    verdict = subject.verdict
    if verdict is not None:
        lines.append(f"verdict: {verdict_line(verdict)}")
        if verdict.accepted is not None:
            lines.append(f"  {words.accepted_break(verdict.accepted)}")
        for breaking in verdict.breaking_changes:
            lines.append(f"x {breaking_line(breaking)}")
            if breaking.recommendation:
                lines.append(f"  fix: {breaking.recommendation}")
        if verdict.remote_compatible is not None:
            answer = "compatible" if verdict.remote_compatible else "incompatible"
            lines.append(f"registry says: {answer}")
            lines += [f"  {message}" for message in verdict.remote_messages]
    reasons = [words.blocked_reason(reason) for reason in subject.blocked_reasons]
    lines += [f"blocked: {reason}" for reason in reasons]
    text = "\n".join(lines)
    if subject.action is not SubjectAction.BLOCKED:
        return Case(subject.subject, "plan", output=text)
    incompatible = any(
        isinstance(reason, (Incompatible, RegistrySaysIncompatible))
        for reason in subject.blocked_reasons
    )
    kind = "incompatible" if incompatible else "blocked"
    message = reasons[0] if reasons else "blocked"
    return Case(subject.subject, "plan", failure=Failure(message, kind, text))


def render_plan(plan: Plan, stream: TextIO) -> None:
    """The plan as JUnit XML."""
    write(plan_suite(plan), stream)


def check_suite(result: CompatibilityResult, files: Mapping[int, str], new: str) -> Suite:
    """``check OLD NEW`` as a suite of one case, failed (``type="incompatible"``) when NEW
    breaks the level."""
    checked = ", ".join(f"v{v} ({files.get(v, '?')})" for v in result.checked_versions)
    lines = [f"checked against: {checked or 'nothing'}"]
    lines += [f"x {breaking_line(b)}" for b in result.breaking_changes]
    lines += [f"{change_symbol(c)} {change_line(c)}" for c in result.changes]
    failure = None
    if not result.is_compatible:
        first = breaking_line(result.breaking_changes[0]) if result.breaking_changes else ""
        failure = Failure(
            f"incompatible under {result.level.value}: {first}", "incompatible", "\n".join(lines)
        )
    output = "" if failure else "\n".join(lines)  # a failure's text says it all
    case = Case(new, f"check.{result.level.value}", failure=failure, output=output)
    return Suite(name="aurum-sr check", cases=(case,), output=result.summary())


def drift_suite(report: DriftReport) -> Suite:
    """Drift as a suite: one failed case (``type="drift"``) per subject with findings, every
    finding as its text; a registry in sync is one passed case."""
    from aurum_sr.render.human import drift_summary

    by_subject: dict[str, list[DriftFinding]] = {}
    for finding in report.findings:
        by_subject.setdefault(finding.subject, []).append(finding)
    cases = [
        Case(
            subject,
            "drift",
            failure=Failure(
                f"{found[0].kind.value}: {found[0].message}",
                "drift",
                "\n".join(
                    f"{f.kind.value}: {f.message} (git: {f.expected}; registry: {f.actual})"
                    for f in found
                ),
            ),
        )
        for subject, found in sorted(by_subject.items())
    ]
    if not cases:
        cases = [Case("registry matches the contracts", "drift")]
    return Suite(
        name="aurum-sr drift",
        cases=tuple(cases),
        properties=(("registry", report.registry), ("contracts", report.contracts_path)),
        output=drift_summary(report),
    )


def render_drift(report: DriftReport, stream: TextIO) -> None:
    """The drift report as JUnit XML."""
    write(drift_suite(report), stream)
