"""Every JSON document says what made it (aurum-sr version), when, and what it counted, as
structured counts rather than a sentence."""

from __future__ import annotations

from aurum_sr import __version__
from aurum_sr.plan.document import from_document, to_document
from aurum_sr.render.apply import apply_document
from aurum_sr.render.json import drift_document, drift_from_document
from tests.plan.factories import FIXED_TIME
from tests.render.documents import APPLIES
from tests.render.scenarios import DRIFTS, PLANS


def test_plan_document_carries_counts_and_version_and_still_loads() -> None:
    plan = PLANS["deletion"]()
    document = to_document(plan)
    assert document["aurum_sr_version"] == __version__
    assert document["created_at"]
    summary = document["summary"]
    assert summary == {
        "create": sum(1 for s in plan.subjects if s.action.value == "create"),
        "update": sum(1 for s in plan.subjects if s.action.value in ("update", "rollback")),
        "delete": sum(1 for s in plan.subjects if s.action.value == "delete"),
        "blocked": sum(1 for s in plan.subjects if s.action.value == "blocked"),
        "steps": len(plan.steps),
    }
    assert summary["delete"] > 0
    assert from_document(document) == plan


def test_apply_document_summary_is_counts() -> None:
    applied = APPLIES["apply_stopped"]()
    document = apply_document(applied.plan, applied.result)
    summary = document["summary"]
    assert summary == {
        "steps": len(applied.plan.steps),
        "done": 1,
        "changed": 1,
        "failed": 1,
        "not_started": len(applied.plan.steps) - 2,
    }
    assert isinstance(document["plan"]["summary"], dict)
    assert document["message"].startswith("Apply stopped at step 2")
    assert document["aurum_sr_version"] == __version__ and document["command"] == "apply"


def test_drift_document_has_a_timestamp_counts_and_reads_back() -> None:
    report = DRIFTS["drift_version_outside_git"]()
    document = drift_document(report)
    assert document["checked_at"] == FIXED_TIME.isoformat(timespec="seconds")
    assert document["aurum_sr_version"] == __version__
    assert document["summary"] == {
        "findings": len(report.findings),
        "subjects": len(report.subjects),
    }
    assert drift_from_document(document) == report
