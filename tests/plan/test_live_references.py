"""Deletes checked against the live registry: a subject the contracts do not manage that
references a deleted one blocks the plan, with the referrer named (over a real socket)."""

from __future__ import annotations

import json

import pytest

from aurum_sr import pipeline
from aurum_sr.desired import load_desired
from aurum_sr.model import Schema, SchemaReference
from aurum_sr.plan import PlanPolicy, SubjectAction
from aurum_sr.plan.reasons import ReferencedInRegistry
from aurum_sr.render.words import blocked_reason
from aurum_sr.testing import RegistryServer
from tests.e2e.helpers import REPO, http_client

LEGACY = "aurum.legacy.prices.v0-value"
WRAP = "other.wrap-value"


def _wrapper() -> Schema:
    text = json.dumps(
        {
            "type": "record",
            "name": "Wrap",
            "namespace": "other",
            "fields": [{"name": "price", "type": "aurum.legacy.LegacyPrice"}],
        }
    )
    return Schema(text, references=(SchemaReference("aurum.legacy.LegacyPrice", LEGACY, 1),))


@pytest.mark.parametrize("referenced", [True, False])
def test_a_live_referrer_outside_the_contracts_blocks_the_delete(
    seeded_server: RegistryServer, referenced: bool
) -> None:
    engine = seeded_server.engine
    assert engine is not None
    if referenced:
        engine.register(WRAP, _wrapper())
    registry = http_client(seeded_server.url)
    state = load_desired(REPO).state
    plan = pipeline.make_plan(state, registry, policy=PlanPolicy(allow_delete=True))
    legacy = next(s for s in plan.subjects if s.subject == LEGACY)
    if not referenced:
        assert legacy.action is SubjectAction.DELETE and not plan.blocked
        return
    assert legacy.action is SubjectAction.BLOCKED and plan.blocked
    assert legacy.blocked_reasons == (ReferencedInRegistry(1, WRAP, 1),)
    assert f"referenced by {WRAP} v1 in the registry" in blocked_reason(legacy.blocked_reasons[0])


def test_only_deleted_subjects_are_asked_about(seeded_server: RegistryServer) -> None:
    asked: list[tuple[str, int]] = []
    registry = http_client(seeded_server.url)
    real = registry.referenced_by

    def spy(subject: str, version: int) -> list[tuple[str, int]] | None:
        asked.append((subject, version))
        return real(subject, version)

    registry.referenced_by = spy  # type: ignore[method-assign]
    pipeline.make_plan(load_desired(REPO).state, registry, policy=PlanPolicy(allow_delete=True))
    assert asked == [(LEGACY, 1)]


def test_the_apply_time_refusal_points_at_a_fresh_saved_plan(
    seeded_server: RegistryServer,
) -> None:
    from aurum_sr.errors import ReferencedSchemaError

    engine = seeded_server.engine
    assert engine is not None
    engine.register(WRAP, _wrapper())
    with pytest.raises(ReferencedSchemaError) as info:
        http_client(seeded_server.url).delete_subject(LEGACY)
    assert info.value.hint is not None
    assert "plan --out plan.json" in info.value.hint and "saved plan file" in info.value.hint
