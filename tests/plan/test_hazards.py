"""Hazard warnings: a key subject's new schema warns that key bytes and partitioning change,
even when compatible."""

from __future__ import annotations

from dataclasses import replace

import pytest

from aurum_sr.diff import diff
from aurum_sr.model import Role
from aurum_sr.plan import PlanPolicy, build_plan
from aurum_sr.plan.reasons import KeySchemaChanges
from aurum_sr.render.words import subject_warning
from tests.plan.factories import FIXED_TIME, desired, field, live, record, spec, subject_state

V1 = record("OrderKey", field("id", "long"))
V2 = record("OrderKey", field("id", "long"), field("region", "string", default="eu"))


@pytest.mark.parametrize(
    ("subject", "role", "existing", "warned"),
    [
        ("aurum.orders-key", None, True, True),  # by the name's -key suffix
        ("aurum.orders-id", Role.KEY, True, True),  # by the contract's role
        ("aurum.orders-value", None, True, False),
        ("aurum.orders-value", Role.VALUE, True, False),
        ("aurum.orders-key", Role.KEY, False, False),  # a first version moves no keys
    ],
)
def test_a_key_schema_change_warns_even_when_compatible(
    subject: str, role: Role | None, existing: bool, warned: bool
) -> None:
    d = desired(replace(spec(subject, V2), role=role))
    lv = live(subject_state(subject, V1)) if existing else live()
    policy = PlanPolicy()
    plan = build_plan(d, lv, diff(d, lv), policy=policy, created_at=FIXED_TIME)
    found = next(s for s in plan.subjects if s.subject == subject)
    assert not plan.blocked
    assert (KeySchemaChanges() in found.warnings) is warned
    if warned:
        assert found.verdict is not None and found.verdict.compatible
        assert "partition" in subject_warning(KeySchemaChanges())
