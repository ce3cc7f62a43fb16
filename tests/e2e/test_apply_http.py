"""plan → apply → plan over a real socket against the in-process registry server, with faults."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aurum_sr import pipeline
from aurum_sr.apply import ApplyStoppedError, StepOutcome, StepStatus
from aurum_sr.desired import load_desired
from aurum_sr.errors import StalePlanError
from aurum_sr.model import DesiredState, Schema
from aurum_sr.plan import Plan, PlanPolicy, RegisterSchema
from aurum_sr.plan.document import dumps, loads
from aurum_sr.registry.http import HttpRegistry
from aurum_sr.testing import RegistryServer
from tests.e2e.helpers import REPO, http_client, in_effect, versions_holding
from tests.factories import FAST_RETRY

POLICY = PlanPolicy()


@pytest.fixture
def state() -> DesiredState:
    return load_desired(REPO).state


def make_plan(state: DesiredState, registry: HttpRegistry) -> Plan:
    return pipeline.make_plan(state, registry, policy=POLICY)


def test_plan_apply_plan_has_no_changes(seeded_server: RegistryServer, state: DesiredState) -> None:
    registry = http_client(seeded_server.url)
    plan = make_plan(state, registry)
    assert plan.has_changes and not plan.blocked
    result = pipeline.apply(plan, registry, allow_delete=True)
    assert result.ok and len(result.changed) == len(plan.steps)
    assert not make_plan(state, registry).has_changes


def test_the_same_saved_plan_applied_twice_changes_nothing(
    seeded_server: RegistryServer, state: DesiredState
) -> None:
    registry = http_client(seeded_server.url)
    text = dumps(make_plan(state, registry))
    pipeline.apply(loads(text), registry, allow_delete=True)
    seeded_server.reset_requests()
    second = pipeline.apply(loads(text), registry, allow_delete=True)
    assert second.ok and not second.changed
    assert not [r for r in seeded_server.requests if r[0] in ("PUT", "DELETE")]
    # POSTs here are lookups (POST /subjects/{s}), never registrations.
    assert not [r for r in seeded_server.requests if r[0] == "POST" and "/versions" in r[1]]


def test_a_saved_plan_is_refused_once_the_registry_moved(
    seeded_server: RegistryServer, state: DesiredState
) -> None:
    registry = http_client(seeded_server.url)
    plan = loads(dumps(make_plan(state, registry)))
    latest = registry.get_version("aurum.eia.series.v1-value", "latest")
    changed = latest.schema.schema_str.replace(
        '"fields"', '"doc": "edited outside git", "fields"', 1
    )
    registry.register("aurum.eia.series.v1-value", Schema(changed))
    seeded_server.reset_requests()
    with pytest.raises(StalePlanError, match=r"aurum.eia.series.v1-value: versions .* -> .*v3"):
        pipeline.apply(plan, registry, allow_delete=True)
    assert all(method == "GET" for method, _ in seeded_server.requests)


Fault = Callable[[RegistryServer], None]


def _fail_500(seeded_server: RegistryServer) -> None:
    seeded_server.fail_next(500, times=FAST_RETRY.max_attempts)


def _drop(seeded_server: RegistryServer) -> None:
    seeded_server.drop_next(times=FAST_RETRY.max_attempts)


def _conflict(seeded_server: RegistryServer) -> None:
    seeded_server.fail_next(409, method="POST")


@pytest.mark.parametrize("fault", [_fail_500, _drop, _conflict], ids=["500", "dropped", "409"])
def test_a_failure_mid_apply_is_reported_and_a_rerun_converges(
    seeded_server: RegistryServer, state: DesiredState, fault: Fault
) -> None:
    registry = http_client(seeded_server.url)
    plan = make_plan(state, registry)
    # The third write fails (for 409: the next registration after two writes).
    failing_at = 3
    if fault is _conflict:
        failing_at = next(
            i for i, s in enumerate(plan.steps, start=1) if i >= 3 and isinstance(s, RegisterSchema)
        )

    def on_step(outcome: StepOutcome) -> None:
        if outcome.index == failing_at - 1:
            fault(seeded_server)

    with pytest.raises(ApplyStoppedError) as caught:
        pipeline.apply(plan, registry, allow_delete=True, on_step=on_step)
    result = caught.value.result
    failed = result.failed
    assert failed is not None and failed.index == failing_at
    assert failed.message
    # The report is accurate: done steps are in effect, the failed and later ones are not.
    for outcome in result.outcomes:
        assert in_effect(registry, outcome.step) is (outcome.status is StepStatus.DONE), outcome
    # Re-running plan and apply converges: nothing lost, nothing registered twice.
    rerun = pipeline.apply(make_plan(state, registry), registry, allow_delete=True)
    assert rerun.ok
    assert not make_plan(state, registry).has_changes
    for step in plan.steps:
        if isinstance(step, RegisterSchema):
            assert len(versions_holding(registry, step.subject, step.schema_str)) == 1, step.subject
