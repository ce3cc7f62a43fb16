"""The plan and drift report as JSON documents for machines."""

from __future__ import annotations

import json
from typing import Any, TextIO

from pydantic import TypeAdapter, ValidationError

from aurum_sr import __version__
from aurum_sr.diff.drift import DriftReport
from aurum_sr.errors import PlanFileError
from aurum_sr.plan.document import to_document
from aurum_sr.plan.model import Plan

DRIFT_FORMAT_VERSION = 1
_DERIVED = frozenset({"format_version", "drifted", "summary", "aurum_sr_version"})
"""Keys a drift document carries for readers, not part of the report model."""
_DRIFT: TypeAdapter[DriftReport] = TypeAdapter(DriftReport)


def render_plan(plan: Plan, stream: TextIO) -> None:
    """The plan document itself (the same JSON ``plan --out`` saves)."""
    stream.write(json.dumps(to_document(plan), indent=2, sort_keys=True, ensure_ascii=False))
    stream.write("\n")


def drift_document(report: DriftReport) -> dict[str, Any]:
    """The drift report as a versioned JSON-ready dict."""
    document: dict[str, Any] = _DRIFT.dump_python(report, mode="json")
    document["format_version"] = DRIFT_FORMAT_VERSION
    document["drifted"] = report.drifted
    document["summary"] = {"findings": len(report.findings), "subjects": len(report.subjects)}
    document["aurum_sr_version"] = __version__
    return document


def drift_from_document(document: Any) -> DriftReport:
    """The drift report a :func:`drift_document` holds.

    Raises:
        PlanFileError: not a drift document, another format version, or fields that do not fit.
    """
    if not isinstance(document, dict) or "drifted" not in document:
        raise PlanFileError(
            "this is not an aurum-sr drift report (no `drifted` key)",
            hint="save one with `aurum-sr drift --out drift.json`",
        )
    if document.get("format_version") != DRIFT_FORMAT_VERSION:
        raise PlanFileError(
            f"the drift report has format_version {document.get('format_version')!r}; this "
            f"aurum-sr reads format_version {DRIFT_FORMAT_VERSION}",
            hint="run `aurum-sr drift --out drift.json` again with this version of aurum-sr",
        )
    body = {k: v for k, v in document.items() if k not in _DERIVED}
    try:
        return _DRIFT.validate_python(body)
    except ValidationError as exc:
        raise PlanFileError(
            f"the drift report does not fit this aurum-sr's model: {exc.error_count()} error(s)",
            hint="run `aurum-sr drift --out drift.json` again with this version of aurum-sr",
        ) from None


def render_drift(report: DriftReport, stream: TextIO) -> None:
    stream.write(json.dumps(drift_document(report), indent=2, sort_keys=True, ensure_ascii=False))
    stream.write("\n")
