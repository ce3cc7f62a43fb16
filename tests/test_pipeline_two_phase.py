"""The two-phase read: latest versions first, whole histories only where the plan needs them.

A plan made this way must equal the plan made from a full read, byte for byte.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aurum_sr import pipeline
from aurum_sr.diff import diff
from aurum_sr.diff import drift as classify_drift
from aurum_sr.diff.needs import levels_needed, modes_needed
from aurum_sr.errors import PartialHistoryError
from aurum_sr.model import (
    CompatibilityLevel,
    DesiredReference,
    DesiredState,
    Schema,
    SchemaReference,
)
from aurum_sr.plan import Plan, PlanPolicy, RegisterSchema, SubjectAction, build_plan
from aurum_sr.plan.document import to_document
from aurum_sr.registry.http import HttpRegistry
from aurum_sr.registry.protocol import Registry
from aurum_sr.registry.reading import with_settings
from aurum_sr.testing import RegistryServer, ServerOptions
from tests.apply.helpers import memory_registry
from tests.apply.test_convergence import LiveSubject, WantedSubject, desired_from, scenarios, seeded
from tests.plan.factories import FIXED_TIME, desired, field, record, spec
from tests.registry.test_http import LEGACY, client

levels = st.sampled_from(list(CompatibilityLevel))


def full_read_plan(state: DesiredState, registry: Registry, policy: PlanPolicy) -> Plan:
    """The plan as it was made before the two-phase read: every history read up front."""
    live = pipeline.read_live(state, registry)
    changes = diff(state, live, prune=policy.prune)
    live = with_settings(
        live,
        registry,
        levels=levels_needed(state, changes),
        modes=modes_needed(state, changes),
    )
    return build_plan(
        state,
        live,
        changes,
        policy=policy,
        created_at=FIXED_TIME,
        capabilities=registry.capabilities(),
    )


class Reads:
    """Records every read_state call (subjects and whether latest-only)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[tuple[list[str], bool]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def read_state(self, subjects: Any, **kwargs: Any) -> Any:
        wanted = list(subjects)
        self.calls.append((wanted, bool(kwargs.get("latest_only", False))))
        return self.inner.read_state(wanted, **kwargs)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scenario=scenarios(),
    global_level=levels,
    prune=st.booleans(),
    permanent=st.booleans(),
)
def test_two_phase_plans_and_drift_equal_full_read_ones(
    scenario: tuple[dict[str, LiveSubject], dict[str, WantedSubject]],
    global_level: CompatibilityLevel,
    prune: bool,
    permanent: bool,
) -> None:
    live, wanted = scenario
    registry = seeded(live, global_level)
    state = desired_from(wanted)
    policy = PlanPolicy(prune=prune, permanent=permanent)
    two_phase = pipeline.make_plan(state, registry, policy=policy, created_at=FIXED_TIME)
    assert to_document(two_phase) == to_document(full_read_plan(state, registry, policy))
    full_drift = classify_drift(state, pipeline.read_live(state, registry))
    # Each report is stamped when it is made; a second may pass between the two.
    two_phase_drift = replace(pipeline.drift(state, registry), checked_at=full_drift.checked_at)
    assert two_phase_drift == full_drift


GEO_1 = record("Geo", field("lat", "double"))
GEO_2 = record("Geo", field("lat", "double"), field("lon", ["null", "double"], default=None))
ORDER_1 = record("Order", field("id", "long"), field("geo", "aurum.test.Geo"))
ORDER_2 = record(
    "Order",
    field("id", "long"),
    field("geo", "aurum.test.Geo"),
    field("note", ["null", "string"], default=None),
)


def test_a_pinned_older_version_of_an_unchanged_subject_resolves_in_the_verdict() -> None:
    registry = memory_registry()
    registry.register("aurum.common-value", Schema(GEO_1))
    registry.register("aurum.common-value", Schema(GEO_2))
    pinned = (SchemaReference("aurum.test.Geo", "aurum.common-value", 1),)
    registry.register("aurum.order-value", Schema(ORDER_1, references=pinned))
    for n in range(5):  # unchanged bystanders, never read in full
        registry.register(f"aurum.other{n}-value", Schema(GEO_1))
    state = desired(
        spec("aurum.common-value", GEO_2),  # unchanged: latest is v2
        spec(
            "aurum.order-value",
            ORDER_2,
            references=(DesiredReference("aurum.test.Geo", "aurum.common-value", 1),),
        ),
        *(spec(f"aurum.other{n}-value", GEO_1) for n in range(5)),
    )
    reads = Reads(registry)
    policy = PlanPolicy()
    plan = pipeline.make_plan(state, reads, policy=policy, created_at=FIXED_TIME)  # type: ignore[arg-type]
    order = next(s for s in plan.subjects if s.subject == "aurum.order-value")
    assert order.action is SubjectAction.UPDATE and not plan.blocked
    assert order.verdict is not None and order.verdict.compatible
    assert order.verdict.checked_versions == (1,)
    # Latest-only first, then only the changed subject and what it references, in full.
    assert reads.calls == [
        (sorted(state.subjects), True),
        (["aurum.common-value", "aurum.order-value"], False),
    ]
    assert to_document(plan) == to_document(full_read_plan(state, registry, policy))


def test_a_changed_subject_is_checked_against_its_whole_history() -> None:
    registry = memory_registry()
    registry.set_compatibility(CompatibilityLevel.NONE, "aurum.a-value")
    registry.register("aurum.a-value", Schema(record("A", field("id"))))
    registry.register("aurum.a-value", Schema(record("A", field("id"), field("b"))))
    optional_c = field("c", ["null", "string"], default=None)
    registry.register("aurum.a-value", Schema(record("A", field("id"), field("b"), optional_c)))
    registry.delete_version("aurum.a-value", 3)
    registry.set_compatibility(CompatibilityLevel.BACKWARD_TRANSITIVE, "aurum.a-value")
    optional_d = field("d", ["null", "string"], default=None)
    state = desired(
        spec(
            "aurum.a-value",
            record("A", field("id"), field("b"), optional_d),
            compatibility=CompatibilityLevel.BACKWARD_TRANSITIVE,
        )
    )
    plan = pipeline.make_plan(state, registry, policy=PlanPolicy(), created_at=FIXED_TIME)
    subject = plan.subjects[0]
    assert subject.verdict is not None
    # Compatible with v2, the latest; not with v1 (b has no default): only the history says so.
    assert not subject.verdict.compatible and subject.action is SubjectAction.BLOCKED
    assert subject.verdict.checked_versions == (1, 2)
    assert {b.against_version for b in subject.verdict.breaking_changes} == {1}
    register = next(s for s in plan.steps if isinstance(s, RegisterSchema))
    assert register.expected_version == 4  # the soft-deleted v3 counts
    pre = plan.preconditions[0]
    assert [(v.version, v.deleted) for v in pre.versions] == [(1, False), (2, False), (3, True)]


def test_planning_from_a_latest_only_read_is_an_internal_error() -> None:
    registry = memory_registry()
    registry.register("aurum.a-value", Schema(record("A", field("id"))))
    state = desired(spec("aurum.a-value", record("A", field("id"), field("x", "int", default=0))))
    partial = registry.read_state(["aurum.a-value"], latest_only=True)
    changes = diff(state, partial)
    with pytest.raises(PartialHistoryError, match="aurum.a-value"):
        build_plan(state, partial, changes, policy=PlanPolicy())


def _seed_over_http(srv: RegistryServer, n: int) -> tuple[HttpRegistry, DesiredState]:
    reg = client(srv.url)
    specs = []
    for i in range(n):
        name = f"aurum.s{i:03d}-value"
        schemas = [
            record(f"S{i}", field("id")),
            record(f"S{i}", field("id"), field("x", ["null", "string"], default=None)),
            record(f"S{i}", field("id"), field("y", ["null", "string"], default=None)),
        ]
        for schema in schemas:
            reg.register(name, Schema(schema))
        reg.delete_version(name, 2)
        specs.append(spec(name, schemas[-1]))
    return reg, desired(*specs)


@pytest.mark.parametrize(
    ("options", "per_subject"),
    [(LEGACY, 2), (ServerOptions(), 1)],
    ids=["no-bulk-listing", "bulk-listing"],
)
def test_a_no_change_plan_reads_at_most_the_issue_budget(
    options: ServerOptions, per_subject: int
) -> None:
    n = 40
    with RegistryServer(options=options) as srv:
        reg, state = _seed_over_http(srv, n)
        fresh = client(srv.url)  # nothing learned about the server yet
        plan = pipeline.make_plan(state, fresh, policy=PlanPolicy())
        used = fresh.request_count
        listings = [p for _, p in srv.requests[-used:] if p.startswith("/schemas?")]
        full = client(srv.url)
        full_read_plan(state, full, PlanPolicy())
    assert not plan.has_changes
    assert used <= per_subject * n + 10, used
    if options.bulk_listing:
        # 120 versions fit one page either way: the saving here is in what the page holds.
        assert used <= full.request_count
        assert listings and all("latestOnly=true" in p for p in listings)
    else:
        assert used < full.request_count
    del reg


def geo(index: int) -> str:
    extra = [field(n, ["null", "double"], default=None) for n in ("lon", "alt")[:index]]
    return record("Geo", field("lat", "double"), *extra)


def order(index: int) -> str:
    extra = [field(n, ["null", "string"], default=None) for n in ("note", "tag")[:index]]
    return record("Order", field("id", "long"), field("geo", "aurum.test.Geo"), *extra)


def outcome(make: Any) -> object:
    """A plan's document, or the error making it raised (both ways must agree)."""
    try:
        return to_document(make())
    except Exception as exc:  # noqa: BLE001 - compared, not swallowed
        return (type(exc).__name__, str(exc))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), global_level=levels, prune=st.booleans(), permanent=st.booleans())
def test_two_phase_plans_with_references_equal_full_read_ones(
    data: st.DataObject, global_level: CompatibilityLevel, prune: bool, permanent: bool
) -> None:
    registry = memory_registry()
    common_history = data.draw(st.lists(st.integers(0, 2), min_size=1, max_size=3))
    for index in common_history:
        registry.register("aurum.common-value", Schema(geo(index)))
    common_versions = registry.list_versions("aurum.common-value")
    for index in data.draw(st.lists(st.integers(0, 2), max_size=3)):
        pin = data.draw(st.sampled_from(common_versions))
        refs = (SchemaReference("aurum.test.Geo", "aurum.common-value", pin),)
        registry.register("aurum.order-value", Schema(order(index), references=refs))
    for n in range(data.draw(st.integers(0, 2))):
        registry.register(f"aurum.other{n}-value", Schema(geo(0)))
    registry.set_compatibility(global_level)
    pinned = data.draw(st.none() | st.sampled_from(common_versions))
    state = desired(
        spec("aurum.common-value", geo(data.draw(st.integers(0, 2)))),
        spec(
            "aurum.order-value",
            order(data.draw(st.integers(0, 2))),
            references=(DesiredReference("aurum.test.Geo", "aurum.common-value", pinned),),
        ),
        spec("aurum.other0-value", geo(data.draw(st.integers(0, 1)))),
    )
    policy = PlanPolicy(prune=prune, permanent=permanent)
    two_phase = outcome(
        lambda: pipeline.make_plan(state, registry, policy=policy, created_at=FIXED_TIME)
    )
    assert two_phase == outcome(lambda: full_read_plan(state, registry, policy))
