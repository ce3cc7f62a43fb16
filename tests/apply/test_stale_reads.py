"""A plan reads a subject's level and mode only where it depends on them; a saved plan still
refuses when what it depended on moved, and does not refuse over what it never read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aurum_sr import pipeline
from aurum_sr.apply import apply_plan
from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.errors import StalePlanError
from aurum_sr.model import CompatibilityLevel, DesiredState, Mode, Schema
from aurum_sr.plan import Plan, PlanPolicy
from aurum_sr.plan.document import dumps, loads
from aurum_sr.registry.http import HttpRegistry
from aurum_sr.testing import RegistryServer
from tests.plan.factories import desired, field, record, spec

V1 = record("A", field("id"))
V2 = record("A", field("id"), field("note", ["null", "string"], default=None))
OTHER = record("A", field("id"), field("other", ["null", "long"], default=None))
EXISTING = "aurum.a-value"
NEW = "aurum.new-value"


@pytest.fixture
def server() -> Iterator[RegistryServer]:
    with RegistryServer() as running:
        yield running


@pytest.fixture
def registry(server: RegistryServer) -> Iterator[HttpRegistry]:
    client = HttpRegistry(SchemaRegistryConfig(base_url=server.url, max_retries=0))
    client.register(EXISTING, Schema(V1))
    yield client
    client.close()


def saved(state: DesiredState, registry: HttpRegistry) -> Plan:
    return loads(dumps(pipeline.make_plan(state, registry, policy=PlanPolicy())))


def test_the_level_a_registration_was_checked_under_is_read_and_its_move_refused(
    registry: HttpRegistry,
) -> None:
    plan = saved(desired(spec(EXISTING, V2)), registry)  # the contract leaves the level alone
    assert plan.subjects[0].verdict is not None
    registry.set_compatibility(CompatibilityLevel.NONE, EXISTING)
    with pytest.raises(StalePlanError, match=rf"{EXISTING}: compatibility inherited -> NONE"):
        apply_plan(plan, registry)
    assert registry.list_versions(EXISTING) == [1]  # nothing written


def test_the_mode_of_a_subject_written_to_is_read_and_its_move_refused(
    registry: HttpRegistry,
) -> None:
    plan = saved(desired(spec(EXISTING, V2)), registry)
    registry.set_mode(Mode.READONLY, EXISTING)
    with pytest.raises(StalePlanError, match=rf"{EXISTING}: mode inherited -> READONLY"):
        apply_plan(plan, registry)


def test_a_new_subject_whose_level_was_never_read_is_not_stale_over_it(
    server: RegistryServer, registry: HttpRegistry
) -> None:
    server.reset_requests()
    plan = saved(desired(spec(EXISTING, V1), spec(NEW, V1)), registry)
    # Listings and global settings only: neither subject's level nor its mode was read.
    assert not [p for _, p in server.requests if p.startswith(("/config/", "/mode/"))]
    registry.set_compatibility(CompatibilityLevel.FULL, NEW)
    result = apply_plan(plan, registry)
    assert result.ok and [o.step.subject for o in result.changed] == [NEW]


def test_a_new_subject_that_got_a_version_meanwhile_is_stale(registry: HttpRegistry) -> None:
    plan = saved(desired(spec(NEW, V1)), registry)
    registry.register(NEW, Schema(OTHER))
    with pytest.raises(StalePlanError, match=rf"{NEW}: versions \[none\] -> \[v1"):
        apply_plan(plan, registry)
    assert registry.list_versions(NEW) == [1]


def test_a_managed_level_is_read_up_front_and_its_move_refused(registry: HttpRegistry) -> None:
    state = desired(spec(EXISTING, V1, compatibility=CompatibilityLevel.BACKWARD))
    plan = saved(state, registry)  # pins BACKWARD on the subject
    registry.set_compatibility(CompatibilityLevel.FULL, EXISTING)
    with pytest.raises(StalePlanError, match=rf"{EXISTING}: compatibility inherited -> FULL"):
        apply_plan(plan, registry)
