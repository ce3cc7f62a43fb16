"""The approval a blocked break offers names the file that lists the subject, and pastes as
valid contracts."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from aurum_sr.desired import yaml_io
from aurum_sr.diff import diff
from aurum_sr.model import CompatibilityLevel, SourceLocation
from aurum_sr.plan import Plan, PlanPolicy, build_plan
from aurum_sr.render import markdown
from aurum_sr.render.human import render_plan
from tests.plan.factories import FIXED_TIME, desired, field, live, record, spec, subject_state

S = "aurum.orders-value"
V1 = record("Order", field("id", "long"))
BREAKING = record("Order", field("id", "long"), field("currency"))


def _blocked(contract: str) -> Plan:
    item = spec(S, BREAKING, compatibility=CompatibilityLevel.BACKWARD)
    item = replace(item, location=SourceLocation(contract, 3, 5))
    d = desired(item)
    lv = live(subject_state(S, V1, compatibility=CompatibilityLevel.BACKWARD))
    return build_plan(d, lv, diff(d, lv), policy=PlanPolicy(), created_at=FIXED_TIME)


@pytest.mark.parametrize("contract", ["contracts/contracts.yml", "contracts/teams/orders.yml"])
def test_the_snippet_names_the_file_that_lists_the_subject(contract: str) -> None:
    plan = _blocked(contract)
    human, comment = io.StringIO(), io.StringIO()
    render_plan(plan, human, color=False)
    markdown.render_plan(plan, comment)
    for text in (human.getvalue(), comment.getvalue()):
        assert f"add under {S} in {contract} (fill in who" in text


def test_the_snippet_is_yaml_an_approval_reads_once_filled_in() -> None:
    comment = io.StringIO()
    markdown.render_plan(_blocked("contracts/contracts.yml"), comment)
    block = comment.getvalue().split("```yaml\n", 1)[1].split("```", 1)[0]
    filled = block.replace("<who approves>", "jane.doe").replace("<why the break is safe>", "ok")
    (approval,) = yaml_io.load(filled)["accepted_breaks"]
    assert set(approval) == {"digest", "by", "reason"}
    assert approval["digest"].startswith("sha256:") and len(approval["digest"]) == 71
