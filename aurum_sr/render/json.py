"""The plan and drift report as JSON documents for machines."""

from __future__ import annotations

import json
from typing import Any, TextIO

from pydantic import TypeAdapter

from aurum_sr.diff.drift import DriftReport
from aurum_sr.plan.document import to_document
from aurum_sr.plan.model import Plan

DRIFT_FORMAT_VERSION = 1
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
    return document


def render_drift(report: DriftReport, stream: TextIO) -> None:
    stream.write(json.dumps(drift_document(report), indent=2, sort_keys=True, ensure_ascii=False))
    stream.write("\n")
