"""What ``aurum-sr check OLD NEW`` prints: the verdict, the breaking changes with their fixes,
and the semantic changes (or the JSON document)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TextIO

from aurum_sr.compat import CompatibilityResult
from aurum_sr.render.color import Lines
from aurum_sr.render.formats import CHECK_FORMATS, OutputFormat, accepted_format

FORMAT_VERSION = 1
"""The ``format_version`` of the check JSON document."""


def render_check(
    result: CompatibilityResult,
    files: Mapping[int, str],
    new: str,
    fmt: OutputFormat | str,
    stream: TextIO,
    *,
    color: bool = False,
) -> None:
    """Write the verdict on ``new`` against the versions in ``files`` (version → file).

    Raises:
        ValueError: ``fmt`` is not one of :class:`OutputFormat`.
        NotSupportedError: check has no ``fmt`` form.
    """
    output = accepted_format(fmt, CHECK_FORMATS, "check")
    if output is OutputFormat.JSON:
        document = check_document(result, files, new)
        stream.write(json.dumps(document, sort_keys=True, indent=2) + "\n")
        return
    if output is OutputFormat.JUNIT:
        from aurum_sr.render.junit import check_suite, write

        write(check_suite(result, files, new), stream)
        return
    lines = Lines(stream, color=color)
    verdict = "COMPATIBLE" if result.is_compatible else "INCOMPATIBLE"
    style = "bold green" if result.is_compatible else "bold red"
    lines.line((f"{verdict} under {result.level.value}", style))
    checked = ", ".join(f"v{v} ({files.get(v, '?')})" for v in result.checked_versions)
    lines.line(f"  checked against: {checked or 'nothing (no previous version, or level NONE)'}")
    if result.breaking_changes:
        lines.blank()
        lines.line(f"Breaking changes ({len(result.breaking_changes)}):")
        for b in result.breaking_changes:
            lines.line(
                f"  - {b.field_path or b.location}  [{b.kind}, {b.direction.value}, "
                f"against v{b.against_version}]"
            )
            lines.line(f"      {b.message}")
            lines.line(f"      at {b.location}")
            if b.recommendation:
                lines.line(f"      fix: {b.recommendation}")
    lines.blank()
    if result.changes:
        latest = max(files) if files else 0
        lines.line(f"Changes since v{latest} ({len(result.changes)}):")
        for c in result.changes:
            lines.line(f"  {c.category.value:<12} {c.kind:<24} {c.message}")
    else:
        lines.line("No semantic changes since the latest version.")


def check_document(
    result: CompatibilityResult, files: Mapping[int, str], new: str
) -> dict[str, Any]:
    """The JSON document: ``format_version``, the verdict, every breaking and semantic change."""
    return {
        "format_version": FORMAT_VERSION,
        "compatible": result.is_compatible,
        "level": result.level.value,
        "new": new,
        "versions": {str(v): path for v, path in files.items()},
        "checked_versions": list(result.checked_versions),
        "summary": result.summary(),
        "breaking_changes": [
            {
                "kind": b.kind,
                "direction": b.direction.value,
                "against_version": b.against_version,
                "location": b.location,
                "field_path": b.field_path,
                "message": b.message,
                "recommendation": b.recommendation,
            }
            for b in result.breaking_changes
        ],
        "changes": [
            {
                "kind": c.kind,
                "category": c.category.value,
                "field_path": c.field_path,
                "location": c.location,
                "message": c.message,
                "breaks": [d.value for d in c.breaks],
            }
            for c in result.changes
        ],
        "messages": list(result.messages),
        "recommendations": list(result.recommendations),
    }
