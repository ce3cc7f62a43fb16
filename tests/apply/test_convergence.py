"""The invariant apply exists for: after applying a plan, a new plan has no changes."""

from __future__ import annotations

from dataclasses import dataclass, replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aurum_sr import pipeline
from aurum_sr.apply import ApplyStoppedError, StepStatus, apply_plan
from aurum_sr.model import CompatibilityLevel, DesiredState, Lifecycle, Mode, Schema
from aurum_sr.plan import PlanPolicy
from aurum_sr.plan.document import dumps, loads
from aurum_sr.registry.memory import InMemoryRegistry
from tests.apply.helpers import Recording, memory_registry
from tests.plan.factories import desired, field, record, spec

SUBJECTS = ("aurum.a-value", "aurum.b-value", "aurum.c-value")
UNMANAGED = "aurum.stray-value"
OPTIONAL = ("x", "y", "z")


def variant(subject: str, index: int) -> str:
    """Versions of one record that are all mutually compatible at every level: optional
    fields with defaults come and go (and index 4 only changes a doc, still a new version)."""
    name = subject.split(".")[1].split("-")[0].capitalize()
    if index == 4:
        return record(name, field("id", doc="the key"))
    extra = [
        field(n, ["null", "string"], default=None) for i, n in enumerate(OPTIONAL) if index >> i & 1
    ]
    return record(name, field("id"), *extra)


levels = st.sampled_from(list(CompatibilityLevel))


@dataclass(frozen=True)
class LiveSubject:
    history: tuple[int, ...]
    deleted: tuple[bool, ...]
    compatibility: CompatibilityLevel | None
    mode: Mode | None


@dataclass(frozen=True)
class WantedSubject:
    absent: bool
    variant: int
    compatibility: CompatibilityLevel | None
    mode: Mode | None


live_subjects = st.builds(
    LiveSubject,
    history=st.lists(st.integers(0, 4), max_size=3).map(tuple),
    deleted=st.lists(st.booleans(), min_size=3, max_size=3).map(tuple),
    compatibility=st.none() | levels,
    mode=st.sampled_from([None, Mode.READWRITE]),
)
wanted_subjects = st.builds(
    WantedSubject,
    absent=st.booleans(),
    variant=st.integers(0, 4),
    compatibility=st.none() | levels,
    mode=st.sampled_from([None, Mode.READWRITE, Mode.READONLY]),
)


def seeded(live: dict[str, LiveSubject], global_level: CompatibilityLevel) -> InMemoryRegistry:
    registry = memory_registry()
    for name, subject in live.items():
        for index in subject.history:
            registry.register(name, Schema(variant(name, index)))
        for version, gone in zip(
            registry.list_versions(name) if subject.history else [], subject.deleted, strict=False
        ):
            if gone:
                registry.delete_version(name, version)
        if subject.compatibility is not None:
            registry.set_compatibility(subject.compatibility, name)
        if subject.mode is not None:
            registry.set_mode(subject.mode, name)
    registry.set_compatibility(global_level)
    return registry


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[dict[str, LiveSubject], dict[str, WantedSubject]]:
    """Live subjects and wanted subjects; a wanted schema is often one the subject already
    holds (unchanged, or an older version: a rollback)."""
    live = draw(st.dictionaries(st.sampled_from((*SUBJECTS, UNMANAGED)), live_subjects, max_size=4))
    wanted: dict[str, WantedSubject] = {}
    for name in draw(st.lists(st.sampled_from(SUBJECTS), min_size=1, max_size=3, unique=True)):
        subject = draw(wanted_subjects)
        history = live[name].history if name in live else ()
        if history:
            rollback: bool = draw(st.booleans())
            if rollback:
                subject = replace(subject, variant=draw(st.sampled_from(history)))
        wanted[name] = subject
    return live, wanted


def desired_from(wanted: dict[str, WantedSubject]) -> DesiredState:
    return desired(
        *(
            spec(name, lifecycle=Lifecycle.ABSENT)
            if w.absent
            else spec(name, variant(name, w.variant), compatibility=w.compatibility, mode=w.mode)
            for name, w in wanted.items()
        )
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), global_level=levels, prune=st.booleans())
def test_after_apply_a_new_plan_has_no_changes(
    scenario: tuple[dict[str, LiveSubject], dict[str, WantedSubject]],
    global_level: CompatibilityLevel,
    prune: bool,
) -> None:
    live, wanted = scenario
    registry = seeded(live, global_level)
    state = desired_from(wanted)
    policy = PlanPolicy(prune=prune)
    plan = pipeline.make_plan(state, registry, policy=policy)
    assert not plan.blocked, [s.blocked_reasons for s in plan.subjects]
    apply_plan(plan, registry, allow_delete=True)
    again = pipeline.make_plan(state, registry, policy=policy)
    assert not again.has_changes, [s.summary for s in again.subjects]
    # And the same plan applied once more writes nothing.
    assert not apply_plan(plan, registry, allow_delete=True).changed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), global_level=levels, fail_at=st.integers(1, 8))
def test_a_failed_apply_resumed_from_the_same_saved_plan_converges(
    scenario: tuple[dict[str, LiveSubject], dict[str, WantedSubject]],
    global_level: CompatibilityLevel,
    fail_at: int,
) -> None:
    live, wanted = scenario
    registry = seeded(live, global_level)
    state = desired_from(wanted)
    policy = PlanPolicy(prune=True)
    saved = loads(dumps(pipeline.make_plan(state, registry, policy=policy)))
    flaky = Recording(registry, fail_write=fail_at)
    try:
        first = apply_plan(saved, flaky, allow_delete=True)  # type: ignore[arg-type]
    except ApplyStoppedError as exc:
        first = exc.result
        # Every write but the failed one is a step reported done; none after it ran.
        failed = exc.result.failed
        assert failed is not None and len(flaky.writes) == fail_at
        assert all(o.status is StepStatus.NOT_STARTED for o in first.outcomes[failed.index :])
    assert len(first.changed) == len(flaky.writes) - (0 if first.ok else 1)
    # The saved plan is not stale to itself: applying it again finishes the job.
    assert apply_plan(saved, registry, allow_delete=True).ok
    assert not pipeline.make_plan(state, registry, policy=policy).has_changes
