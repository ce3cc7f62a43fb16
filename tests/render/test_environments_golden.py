"""Golden files of the three-environment plan (``plan --env all``): Markdown comment, JSON
document and terminal text, with prod blocked by the promotion gate."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from aurum_sr.errors import NotSupportedError
from aurum_sr.plan.environments import (
    EnvironmentPlan,
    EnvironmentsPlan,
    from_environments_document,
    to_document,
)
from aurum_sr.plan.promotion import gate
from aurum_sr.render.environments import render_drifts, render_plans
from aurum_sr.render.formats import OutputFormat
from tests.render.goldens import check_golden
from tests.render.scenarios import DRIFTS, compatible_new_version, no_changes

SUBJECT = "aurum.orders-value"
pytestmark = pytest.mark.usefixtures("pinned_version")


def three_environments() -> EnvironmentsPlan:
    """dev holds the change already; staging registers it; prod waits for staging."""
    prod = gate(compatible_new_version(), "staging", {SUBJECT: SUBJECT}, {})
    return EnvironmentsPlan(
        (
            EnvironmentPlan("dev", replace(no_changes(), environment="dev")),
            EnvironmentPlan("staging", replace(compatible_new_version(), environment="staging")),
            EnvironmentPlan("prod", replace(prod, environment="prod")),
        )
    )


@pytest.mark.parametrize(
    ("fmt", "suffix"),
    [(OutputFormat.MARKDOWN, "md"), (OutputFormat.JSON, "json"), (OutputFormat.HUMAN, "txt")],
)
def test_three_environment_plan_golden(fmt: OutputFormat, suffix: str) -> None:
    stream = io.StringIO()
    render_plans(three_environments(), fmt, stream, color=False)
    check_golden(f"environments_three.{suffix}", stream.getvalue())


def test_three_environment_drift_golden() -> None:
    reports = [
        ("dev", DRIFTS["drift_in_sync"]()),
        ("prod", DRIFTS["drift_compatibility_changed"]()),
    ]
    stream = io.StringIO()
    render_drifts(reports, OutputFormat.MARKDOWN, stream, color=False)
    check_golden("environments_drift.md", stream.getvalue())


def test_the_document_round_trips_and_its_worst_is_the_exit_codes() -> None:
    plans = three_environments()
    document = to_document(plans)
    assert document["worst"] == "blocked"
    assert from_environments_document(document) == plans
    assert plans.environment("prod").blocked and not plans.environment("dev").has_changes


@pytest.mark.parametrize("fmt", [OutputFormat.GITHUB, OutputFormat.JUNIT])
def test_other_formats_are_not_supported_yet(fmt: OutputFormat) -> None:
    with pytest.raises(NotSupportedError, match="not supported yet"):
        render_plans(three_environments(), fmt, io.StringIO(), color=False)
