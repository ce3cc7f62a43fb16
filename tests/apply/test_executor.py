"""apply_plan: what it refuses before writing, step order and idempotency, stop-and-report."""

from __future__ import annotations

import pytest

from aurum_sr import pipeline
from aurum_sr.apply import (
    ApplyInterruptedError,
    ApplyStoppedError,
    StepOutcome,
    StepStatus,
    apply_plan,
)
from aurum_sr.errors import (
    IncompatibleSchemaError,
    PlanBlockedError,
    PlanError,
    SchemaRegistryConnectionError,
    StalePlanError,
)
from aurum_sr.model import (
    CompatibilityLevel,
    DesiredReference,
    DesiredState,
    Lifecycle,
    Mode,
    Schema,
    SchemaReference,
)
from aurum_sr.plan import Plan, PlanPolicy, RegisterSchema
from aurum_sr.plan.document import dumps, loads
from tests.apply.helpers import Recording, memory_registry, snapshot_of
from tests.plan.factories import desired, field, record, spec

ORDER_V1 = record("Order", field("id"))
ORDER_V2 = record("Order", field("id"), field("note", ["null", "string"], default=None))
ORDER_BREAKING = record("Order", field("id", "long"))
GEO = record("Geo", field("lat", "double"), namespace="aurum.common")
GEO_V2 = record(
    "Geo", field("lat", "double"), field("lon", "double", default=0.0), namespace="aurum.common"
)
SITE = record("Site", field("where", "aurum.common.Geo"))


def plan_for(state: DesiredState, registry: object, **policy: object) -> Plan:
    return pipeline.make_plan(state, registry, policy=PlanPolicy(**policy))  # type: ignore[arg-type]


def test_apply_then_plan_again_has_no_changes() -> None:
    registry = memory_registry()
    state = desired(
        spec("aurum.orders-value", ORDER_V1, compatibility=CompatibilityLevel.FULL),
        spec("aurum.sites-value", GEO, mode=Mode.READWRITE),
    )
    plan = plan_for(state, registry)
    result = apply_plan(plan, registry)
    assert result.ok and all(o.changed for o in result.outcomes)
    assert [o.version for o in result.registered] == [1, 1]
    again = plan_for(state, registry)
    assert not again.has_changes, again.steps


def test_planned_reference_uses_the_version_this_run_registered() -> None:
    registry = memory_registry()
    base = desired(spec("aurum.common.Geo", GEO))
    apply_plan(plan_for(base, registry), registry)
    state = desired(
        spec("aurum.common.Geo", GEO_V2),
        spec(
            "aurum.sites-value",
            SITE,
            references=(DesiredReference("aurum.common.Geo", "aurum.common.Geo"),),
        ),
    )
    plan = plan_for(state, registry)
    site_step = next(s for s in plan.steps if s.subject == "aurum.sites-value")
    assert isinstance(site_step, RegisterSchema) and site_step.references[0].planned
    result = apply_plan(plan, registry)
    site = registry.get_version("aurum.sites-value", "latest")
    assert site.schema.references == (SchemaReference("aurum.common.Geo", "aurum.common.Geo", 2),)
    assert not plan_for(state, registry).has_changes
    # Applied again: the planned reference comes from the version found registered.
    again = apply_plan(plan, registry)
    assert not again.changed
    assert [o.version for o in again.registered] == [o.version for o in result.registered]


def test_a_blocked_plan_is_refused_and_nothing_is_written() -> None:
    registry = memory_registry()
    apply_plan(plan_for(desired(spec("aurum.orders-value", ORDER_V1)), registry), registry)
    before = snapshot_of(registry)
    plan = plan_for(desired(spec("aurum.orders-value", ORDER_BREAKING)), registry)
    assert plan.blocked
    wrapped = Recording(registry)
    with pytest.raises(PlanBlockedError, match="aurum.orders-value"):
        apply_plan(plan, wrapped)  # type: ignore[arg-type]
    assert wrapped.writes == [] and snapshot_of(registry) == before


def test_deletes_need_allow_delete() -> None:
    registry = memory_registry()
    apply_plan(plan_for(desired(spec("aurum.old-value", ORDER_V1)), registry), registry)
    gone = desired(spec("aurum.old-value", lifecycle=Lifecycle.ABSENT))
    plan = plan_for(gone, registry)
    wrapped = Recording(registry)
    with pytest.raises(PlanError, match="--allow-delete"):
        apply_plan(plan, wrapped)  # type: ignore[arg-type]
    assert wrapped.writes == []
    result = apply_plan(plan, registry, allow_delete=True)
    assert result.ok and registry.list_subjects() == []
    # A soft delete of an already soft-deleted subject is done, not an error.
    again = apply_plan(plan, registry, allow_delete=True)
    assert again.ok and not again.changed
    assert again.outcomes[0].message == "subject already soft-deleted"


def test_a_stale_plan_is_refused_with_what_moved_and_nothing_written() -> None:
    registry = memory_registry()
    apply_plan(plan_for(desired(spec("aurum.orders-value", ORDER_V1)), registry), registry)
    plan = plan_for(
        desired(spec("aurum.orders-value", ORDER_V2, compatibility=CompatibilityLevel.FULL)),
        registry,
    )
    # Someone registers a version and changes the level outside the plan.
    registry.register(
        "aurum.orders-value", Schema(record("Order", field("id"), field("x", "int", default=0)))
    )
    registry.set_compatibility(CompatibilityLevel.NONE, "aurum.orders-value")
    before = snapshot_of(registry)
    wrapped = Recording(registry)
    with pytest.raises(StalePlanError) as caught:
        apply_plan(plan, wrapped)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "aurum.orders-value: versions [v1 (id 1)] -> [v1 (id 1), v2 (id 2)]" in message
    assert "aurum.orders-value: compatibility inherited -> NONE" in message
    assert wrapped.writes == [] and snapshot_of(registry) == before


def test_a_global_change_makes_the_plan_stale() -> None:
    registry = memory_registry()
    plan = plan_for(desired(spec("aurum.orders-value", ORDER_V1)), registry)
    registry.set_compatibility(CompatibilityLevel.NONE)
    with pytest.raises(StalePlanError, match=r"\(global\): compatibility BACKWARD -> NONE"):
        apply_plan(plan, registry)


def test_a_plan_applied_twice_changes_nothing_the_second_time() -> None:
    registry = memory_registry()
    state = desired(
        spec("aurum.orders-value", ORDER_V1, compatibility=CompatibilityLevel.FULL),
        spec("aurum.common.Geo", GEO),
    )
    plan = plan_for(state, registry)
    text = dumps(plan)
    apply_plan(plan, registry)
    after_first = snapshot_of(registry)
    wrapped = Recording(registry)
    second = apply_plan(loads(text), wrapped)  # type: ignore[arg-type]
    assert second.ok and not second.changed and wrapped.writes == []
    assert snapshot_of(registry) == after_first


def test_wrong_registry_is_refused() -> None:
    registry = memory_registry()
    plan = plan_for(desired(spec("aurum.orders-value", ORDER_V1)), registry)
    from dataclasses import replace

    other = replace(plan, registry="https://prod-registry.example:8081")
    with pytest.raises(PlanError, match="made against https://prod-registry.example:8081"):
        apply_plan(other, registry)


def _three_subjects() -> DesiredState:
    return desired(
        spec("aurum.a-value", record("A", field("id"))),
        spec("aurum.b-value", record("B", field("id"))),
        spec("aurum.c-value", record("C", field("id")), compatibility=CompatibilityLevel.FULL),
        spec("aurum.d-value", record("D", field("id"))),
    )


@pytest.mark.parametrize(
    "error",
    [
        IncompatibleSchemaError(
            "Schema being registered is incompatible", http_status=409, error_code=409
        ),
        SchemaRegistryConnectionError(
            "cannot reach registry https://ops:s3cret@registry.example:8081"
        ),
        RuntimeError("a bug"),
    ],
    ids=["409", "unreachable", "bug"],
)
def test_a_failure_stops_reports_every_step_and_a_rerun_converges(error: Exception) -> None:
    registry = memory_registry()
    state = _three_subjects()
    plan = plan_for(state, registry)
    # a, b, set c level, c, d: fail the third write.
    wrapped = Recording(registry, fail_write=3, error=error)
    seen: list[StepOutcome] = []
    with pytest.raises(ApplyStoppedError) as caught:
        apply_plan(plan, wrapped, on_step=seen.append)  # type: ignore[arg-type]
    result = caught.value.result
    statuses = [o.status for o in result.outcomes]
    assert statuses == [
        StepStatus.DONE,
        StepStatus.DONE,
        StepStatus.FAILED,
        StepStatus.NOT_STARTED,
        StepStatus.NOT_STARTED,
    ]
    assert [o.index for o in seen] == [1, 2, 3]
    failed = result.failed
    assert failed is not None and failed.index == 3
    assert "s3cret" not in failed.message and "s3cret" not in str(caught.value)
    assert "step 3 (set compatibility of aurum.c-value to FULL" in str(caught.value)
    # The registry holds exactly what the report says is done.
    assert registry.list_subjects() == ["aurum.a-value", "aurum.b-value"]
    # Re-running (a fresh plan) converges: nothing lost, nothing registered twice.
    rerun = apply_plan(plan_for(state, registry), registry)
    assert rerun.ok
    assert not plan_for(state, registry).has_changes
    for name in ("aurum.a-value", "aurum.b-value", "aurum.c-value", "aurum.d-value"):
        assert registry.list_versions(name) == [1]
    # The saved plan applied again also converges (its own effects are not "stale").
    assert apply_plan(plan, registry).ok


def test_credentials_in_a_registry_message_are_masked() -> None:
    registry = memory_registry()
    plan = plan_for(desired(spec("aurum.a-value", record("A", field("id")))), registry)
    wrapped = Recording(registry, fail_write=1)
    with pytest.raises(ApplyStoppedError) as caught:
        apply_plan(plan, wrapped)  # type: ignore[arg-type]
    failed = caught.value.result.failed
    assert failed is not None and "hunter2" not in failed.message
    assert "https://ops:***@registry.example:8081" in failed.message
    assert failed.http_status == 500 and failed.error_code == 50001


def test_a_write_whose_answer_was_lost_is_reported_uncertain_and_resumed() -> None:
    registry = memory_registry()
    state = _three_subjects()
    saved = loads(dumps(plan_for(state, registry)))
    lost = SchemaRegistryConnectionError("connection reset by peer")
    wrapped = Recording(registry, fail_write=2, error=lost, after=True)
    with pytest.raises(ApplyStoppedError) as caught:
        apply_plan(saved, wrapped)  # type: ignore[arg-type]
    failed = caught.value.result.failed
    assert failed is not None and failed.index == 2
    assert "may or may not have applied this step" in failed.message
    assert registry.list_versions("aurum.b-value") == [1]  # it did take effect
    # The same saved plan resumes: b is found registered, the rest is written once.
    resumed = apply_plan(saved, registry)
    assert [o.changed for o in resumed.outcomes] == [False, False, True, True, True]
    assert not plan_for(state, registry).has_changes


def test_an_interrupt_mid_apply_reports_how_far_it_got_and_exits_130() -> None:
    registry = memory_registry()
    plan = plan_for(_three_subjects(), registry)
    wrapped = Recording(registry, fail_write=2, error=KeyboardInterrupt())
    with pytest.raises(ApplyInterruptedError) as caught:
        apply_plan(plan, wrapped)  # type: ignore[arg-type]
    assert caught.value.exit_code == 130
    statuses = [o.status.value for o in caught.value.result.outcomes]
    assert statuses == ["done", "failed", "not started", "not started", "not started"]
    assert "interrupted" in caught.value.result.outcomes[1].message
