"""Applying an accepted break: the registry takes the incompatible version, keeps its level,
the next plan is empty, and applying the same plan again writes nothing."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aurum_sr import pipeline
from aurum_sr.apply import apply_plan
from aurum_sr.canonical import same_schema, schema_digest
from aurum_sr.errors import RegistryError
from aurum_sr.model import BreakApproval, CompatibilityLevel, Schema, SourceLocation
from aurum_sr.plan import PlanPolicy, SubjectAction
from aurum_sr.plan.document import dumps, loads
from aurum_sr.plan.reasons import AllowedBy
from aurum_sr.registry.memory import InMemoryRegistry
from tests.apply.helpers import memory_registry
from tests.compat.test_properties import Names, mutated, record_type
from tests.plan.factories import desired, spec

S = "aurum.orders-value"
STRICT = [level for level in CompatibilityLevel if level is not CompatibilityLevel.NONE]


def _seeded(old: str, level: CompatibilityLevel | None) -> InMemoryRegistry:
    registry = memory_registry()
    registry.register(S, Schema(old))
    if level is not None:
        registry.set_compatibility(level, S)
    return registry


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    level=st.sampled_from(STRICT),
    pinned=st.booleans(),
    saved=st.booleans(),
)
def test_an_accepted_break_is_registered_and_the_level_kept(
    data: st.DataObject, level: CompatibilityLevel, pinned: bool, saved: bool
) -> None:
    old_tree: dict[str, Any] = data.draw(record_type(Names("T")))
    new_tree: dict[str, Any] = data.draw(mutated(old_tree, 1))
    old, new = json.dumps(old_tree), json.dumps(new_tree)
    registry = _seeded(old, level if pinned else None)
    if not pinned:
        registry.set_compatibility(level)  # the global level, inherited by the subject
    approval = BreakApproval(
        "jane.doe", "reviewed", digest=schema_digest(new), location=SourceLocation("c.yml", 9, 9)
    )
    item = replace(
        spec(S, new, compatibility=level if pinned else None), accepted_breaks=(approval,)
    )
    state = desired(item)
    plan = pipeline.make_plan(state, registry, policy=PlanPolicy())
    assume(plan.subjects)  # a mutation that changes nothing the registry sees
    (subject,) = plan.subjects
    assert subject.verdict is not None
    assume(not subject.verdict.compatible)  # a compatible change needs no approval
    assert subject.action is SubjectAction.UPDATE, subject.blocked_reasons
    assert subject.verdict.allowed_by is AllowedBy.ACCEPTED_IN_CONTRACTS
    if saved:
        plan = loads(dumps(plan))
    try:
        apply_plan(plan, registry)
    except RegistryError as exc:  # a schema the engine calls invalid is not this test's subject
        assume("invalid" not in str(exc).lower())
        raise
    latest = registry.get_version(S, "latest")
    assert same_schema(latest.schema, Schema(new))
    assert registry.get_compatibility(S, default_to_global=True) is level
    again = pipeline.make_plan(state, registry, policy=PlanPolicy())
    assert not again.has_changes
    assert not apply_plan(plan, registry).changed  # the same plan again writes nothing


def test_applying_the_same_accepted_break_again_writes_nothing() -> None:
    old = json.dumps(
        {"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}]}
    )
    new = old.replace('"string"', '"long"')
    registry = _seeded(old, CompatibilityLevel.BACKWARD)
    approval = BreakApproval("jane.doe", "reviewed", version=2, location=SourceLocation("c.yml"))
    state = desired(
        replace(
            spec(S, new, compatibility=CompatibilityLevel.BACKWARD), accepted_breaks=(approval,)
        )
    )
    plan = pipeline.make_plan(state, registry, policy=PlanPolicy())
    first = apply_plan(plan, registry)
    assert len(first.changed) == 3
    second = apply_plan(plan, registry)
    assert not second.changed
    assert second.outcomes[0].message == "not needed: the registration it is for is in effect"
    assert registry.get_compatibility(S) is CompatibilityLevel.BACKWARD
