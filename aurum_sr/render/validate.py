"""What ``aurum-sr validate`` prints: every diagnostic, then one summary line (or the JSON
document)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from aurum_sr.errors import Diagnostic, Severity
from aurum_sr.render.color import Lines
from aurum_sr.render.formats import VALIDATE_FORMATS, OutputFormat, accepted_format

if TYPE_CHECKING:
    from aurum_sr.render.junit import Suite

FORMAT_VERSION = 1
"""The ``format_version`` of the validation JSON document."""


def render_validation(
    valid: bool,
    subjects: Sequence[str],
    diagnostics: Sequence[Diagnostic],
    fmt: OutputFormat | str,
    stream: TextIO,
    *,
    color: bool = False,
) -> None:
    """Write the outcome of validating the desired state in ``fmt`` to ``stream``.

    Raises:
        ValueError: ``fmt`` is not one of :class:`OutputFormat`.
        NotSupportedError: validation has no ``fmt`` form.
    """
    output = accepted_format(fmt, VALIDATE_FORMATS, "validate")
    if output is OutputFormat.JSON:
        document = validation_document(valid, subjects, diagnostics)
        stream.write(json.dumps(document, indent=2, sort_keys=True) + "\n")
        return
    if output is OutputFormat.JUNIT:
        from aurum_sr.render.junit import write

        write(validation_suite(valid, subjects, diagnostics), stream)
        return
    lines = Lines(stream, color=color)
    for d in diagnostics:
        style = "bold red" if d.severity is Severity.ERROR else "yellow"
        lines.line(
            (d.location, "bold"), ": ", (f"{d.severity.value}[{d.rule}]", style), f": {d.message}"
        )
        if d.hint:
            lines.line((f"  hint: {d.hint}", "dim"))
    lines.line((summary(valid, subjects, diagnostics), "bold green" if valid else "bold red"))


def validation_document(
    valid: bool, subjects: Sequence[str], diagnostics: Sequence[Diagnostic]
) -> dict[str, Any]:
    """The JSON document: ``format_version``, ``valid``, the subjects and every diagnostic."""
    return {
        "format_version": FORMAT_VERSION,
        "valid": valid,
        "subjects": sorted(subjects),
        "diagnostics": [
            {
                "severity": d.severity.value,
                "rule": d.rule,
                "message": d.message,
                "path": d.path,
                "line": d.line,
                "column": d.column,
                "hint": d.hint,
            }
            for d in diagnostics
        ],
    }


def summary(valid: bool, subjects: Sequence[str], diagnostics: Sequence[Diagnostic]) -> str:
    """``9 subjects valid, 0 warnings`` or ``invalid: 1 error, 0 warnings``."""
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    if valid:
        return f"{_plural(len(subjects), 'subject')} valid, {_plural(warnings, 'warning')}"
    return f"invalid: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def validation_suite(
    valid: bool, subjects: Sequence[str], diagnostics: Sequence[Diagnostic]
) -> Suite:
    """Validation as a suite: one case per file with errors (failed, ``type="invalid"``, every
    diagnostic of the file as the text), and when valid one passed case per subject; warnings
    go to the suite's output."""
    from aurum_sr.render.junit import Case, Failure, Suite

    by_file: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.severity is Severity.ERROR:
            by_file.setdefault(d.path, []).append(d)
    cases = [
        Case(
            path,
            "validate",
            failure=Failure(
                f"{found[0].location}: {found[0].message}",
                "invalid",
                "\n".join(_diagnostic(d) for d in found),
            ),
        )
        for path, found in sorted(by_file.items())
    ]
    if valid:
        cases += [Case(subject, "validate") for subject in sorted(subjects)]
    warnings = [_diagnostic(d) for d in diagnostics if d.severity is not Severity.ERROR]
    return Suite(
        name="aurum-sr validate",
        cases=tuple(cases),
        output="\n".join([*warnings, summary(valid, subjects, diagnostics)]),
    )


def _diagnostic(d: Diagnostic) -> str:
    hint = f"\n  hint: {d.hint}" if d.hint else ""
    return f"{d.location}: {d.severity.value}[{d.rule}]: {d.message}{hint}"
