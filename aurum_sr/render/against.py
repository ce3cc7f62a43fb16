"""What ``aurum-sr check --against REF`` prints: each subject that differs from the ref, the
verdict on every changed schema with its breaking changes, in human text, JSON or GitHub
annotations."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from typing_extensions import assert_never

from aurum_sr.compat.against import AgainstReport, SubjectCheck, SubjectStatus
from aurum_sr.render.color import Lines
from aurum_sr.render.formats import CHECK_AGAINST_FORMATS, OutputFormat, accepted_format
from aurum_sr.render.text import breaking_line

if TYPE_CHECKING:
    from aurum_sr.render.junit import Suite

FORMAT_VERSION = 1
"""The ``format_version`` of the JSON document."""

_SYMBOL = {
    SubjectStatus.CHANGED: "~",
    SubjectStatus.NEW: "+",
    SubjectStatus.DELETED: "-",
    SubjectStatus.ABSENT: "-",
}


def render_against(
    report: AgainstReport, fmt: OutputFormat | str, stream: TextIO, *, color: bool = False
) -> None:
    """Write ``report`` in ``fmt``.

    Raises:
        NotSupportedError: check --against has no ``fmt`` form.
    """
    output = accepted_format(fmt, CHECK_AGAINST_FORMATS, "check --against")
    if output is OutputFormat.JSON:
        stream.write(json.dumps(against_document(report), indent=2, sort_keys=True) + "\n")
    elif output is OutputFormat.GITHUB:
        _github(report, stream)
    elif output is OutputFormat.HUMAN:
        _human(report, stream, color)
    elif output is OutputFormat.JUNIT:
        from aurum_sr.render.junit import write

        write(against_suite(report), stream)
    else:  # pragma: no cover - accepted_format admits only the formats above
        raise AssertionError(output)


def summary(report: AgainstReport) -> str:
    """``3 changed against origin/main (1 incompatible), 1 new, 0 deleted, 12 unchanged.``"""
    counts = {status: 0 for status in SubjectStatus}
    for s in report.subjects:
        counts[s.status] += 1
    broken = len(report.incompatible)
    verdict = f" ({broken} incompatible)" if broken else ""
    gone = counts[SubjectStatus.DELETED] + counts[SubjectStatus.ABSENT]
    return (
        f"{counts[SubjectStatus.CHANGED]} changed against {report.ref}{verdict}, "
        f"{counts[SubjectStatus.NEW]} new, {gone} deleted, {report.unchanged} unchanged."
    )


def describe(check: SubjectCheck) -> str:
    """One line on what happened to the subject."""
    status = check.status
    if status is SubjectStatus.CHANGED:
        assert check.result is not None and check.level is not None
        verdict = "compatible" if check.result.is_compatible else "INCOMPATIBLE"
        checked = len(check.result.checked_versions)
        text = f"{verdict} under {check.level.value} (against {checked} version(s) from git)"
    elif status is SubjectStatus.NEW:
        text = "new subject: its first version, nothing to check against"
    elif status is SubjectStatus.DELETED:
        text = "removed from the contracts: the registry keeps it, unmanaged"
    elif status is SubjectStatus.ABSENT:
        text = "now lifecycle: absent: apply deletes it (with --allow-delete)"
    else:
        assert_never(status)
    if check.previous_file:
        text += f"; schema file moved from {check.previous_file}"
    return text


def _human(report: AgainstReport, stream: TextIO, color: bool) -> None:
    lines = Lines(stream, color=color)
    commit = report.commit[:12] or "no commit yet"
    lines.line((f"check --against {report.ref}", "bold"), f" ({commit})")
    for check in report.subjects:
        broken = check.result is not None and not check.result.is_compatible
        style = "bold red" if broken else ("green" if check.result else "yellow")
        lines.line(
            f"  {_SYMBOL[check.status]} ",
            (check.subject, "bold"),
            "  ",
            (describe(check), style),
        )
        if check.schema_file:
            lines.line(f"      {check.schema_file}")
        for b in check.result.breaking_changes if check.result else ():
            lines.line(f"      - {breaking_line(b)}")
            if b.recommendation:
                lines.line(f"        fix: {b.recommendation}")
    for warning in report.warnings:
        lines.line(("warning: ", "yellow"), warning)
    lines.line((summary(report), "bold red" if report.incompatible else "bold green"))


def _github(report: AgainstReport, stream: TextIO) -> None:
    from aurum_sr.render.github import annotation, field_line

    for check in report.subjects:
        result = check.result
        for b in result.breaking_changes if result else ():
            assert check.level is not None
            message = breaking_line(b) + (f"\nfix: {b.recommendation}" if b.recommendation else "")
            line = field_line(check.schema_str, b.field_path) if check.schema_str else None
            stream.write(
                annotation(
                    "error",
                    message,
                    title=f"{check.subject}: incompatible under {check.level.value}",
                    file=check.schema_file,
                    line=line,
                )
                + "\n"
            )
        if check.status in (SubjectStatus.DELETED, SubjectStatus.ABSENT):
            stream.write(
                annotation(
                    "warning",
                    describe(check),
                    title=f"{check.subject}: {check.status.value}",
                    file=report.contracts_path,
                )
                + "\n"
            )
    for warning in report.warnings:
        stream.write(annotation("warning", warning, title="aurum-sr check --against") + "\n")
    stream.write(annotation("notice", summary(report), title="aurum-sr check --against") + "\n")


def against_document(report: AgainstReport) -> dict[str, Any]:
    """The JSON document: ``format_version``, the ref, and every subject that differs."""
    return {
        "format_version": FORMAT_VERSION,
        "ref": report.ref,
        "commit": report.commit,
        "compatible": report.compatible,
        "summary": summary(report),
        "unchanged": report.unchanged,
        "warnings": list(report.warnings),
        "subjects": [
            {
                "subject": c.subject,
                "status": c.status.value,
                "schema_file": c.schema_file,
                "previous_file": c.previous_file,
                "level": c.level.value if c.level else None,
                "compatible": c.result.is_compatible if c.result else None,
                "checked_versions": list(c.result.checked_versions) if c.result else [],
                "breaking_changes": [
                    {
                        "kind": b.kind,
                        "direction": b.direction.value,
                        "against_version": b.against_version,
                        "field_path": b.field_path,
                        "location": b.location,
                        "message": b.message,
                        "recommendation": b.recommendation,
                    }
                    for b in (c.result.breaking_changes if c.result else ())
                ],
            }
            for c in report.subjects
        ],
    }


def against_suite(report: AgainstReport) -> Suite:
    """``check --against REF`` as a suite: one case per subject that differs from the ref,
    failed (``type="incompatible"``) when its changed schema breaks its level."""
    from aurum_sr.render.junit import Case, Failure, Suite

    cases = []
    for check in report.subjects:
        lines = [describe(check)]
        if check.schema_file:
            lines.append(f"schema: {check.schema_file}")
        breaking = check.result.breaking_changes if check.result else ()
        for b in breaking:
            lines.append(f"x {breaking_line(b)}")
            if b.recommendation:
                lines.append(f"  fix: {b.recommendation}")
        text = "\n".join(lines)
        failure = None
        if check.result is not None and not check.result.is_compatible:
            failure = Failure(
                lines[0] + (f": {breaking_line(breaking[0])}" if breaking else ""),
                "incompatible",
                text,
            )
        output = "" if failure else text  # a failure's text says it all
        cases.append(Case(check.subject, f"check.{check.status.value}", failure, output))
    return Suite(
        name="aurum-sr check --against",
        cases=tuple(cases),
        properties=(("ref", report.ref), ("commit", report.commit)),
        output="\n".join([*(f"warning: {w}" for w in report.warnings), summary(report)]),
    )
