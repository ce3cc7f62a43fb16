"""Parallel apply ends where sequential apply ends, and a failure anywhere leaves a resumable run.

Random registries (histories, soft deletes, subject-level levels and modes, referrers of a
shared type) and random contracts are planned, then applied over HTTP to two identical
in-process servers: one step at a time on one, eight at a time on the other. Both must end
with the same subjects, versions, contents, levels and modes (ids may differ).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from aurum_sr import pipeline
from aurum_sr.apply import ApplyStoppedError, StepStatus, apply_plan
from aurum_sr.canonical import canonical_text
from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.model import (
    CompatibilityLevel,
    DesiredReference,
    DesiredState,
    Lifecycle,
    Mode,
    Schema,
    SchemaReference,
)
from aurum_sr.plan import Plan, PlanPolicy
from aurum_sr.plan.document import dumps, loads
from aurum_sr.plan.steps import DeleteSubject, DeleteVersion, RegisterSchema, SetCompatibility
from aurum_sr.registry.engine import RegistryEngine
from aurum_sr.registry.http import HttpRegistry
from aurum_sr.registry.memory import InMemoryRegistry
from aurum_sr.testing import RegistryServer
from tests.plan.factories import desired, field, record, spec

GEO = "aurum.common.Geo"
PLAIN = tuple(f"aurum.p{i}-value" for i in range(4))
REFERRERS = tuple(f"aurum.r{i}-value" for i in range(3))
STRAY = "aurum.stray-value"
OPTIONAL = ("x", "y", "z")
WORKERS = 8


def variant(subject: str, index: int) -> str:
    """Versions that are compatible with each other at every level (optional fields come and
    go); a referrer's record holds a field of the shared type."""
    extra = [
        field(n, ["null", "string"], default=None) for i, n in enumerate(OPTIONAL) if index >> i & 1
    ]
    if subject == GEO:
        return record("Geo", field("lat", "double"), *extra, namespace="aurum.common")
    name = subject.split(".")[1].split("-")[0].capitalize()
    where = [field("where", GEO)] if subject in REFERRERS else []
    return record(name, field("id"), *where, *extra)


@dataclass(frozen=True)
class Live:
    history: tuple[int, ...]
    deleted: tuple[bool, ...]
    compatibility: CompatibilityLevel | None
    mode: Mode | None


@dataclass(frozen=True)
class Wanted:
    absent: bool
    variant: int
    compatibility: CompatibilityLevel | None
    mode: Mode | None


levels = st.sampled_from(list(CompatibilityLevel))
lives = st.builds(
    Live,
    history=st.lists(st.integers(0, 7), max_size=3, unique=True).map(tuple),
    deleted=st.lists(st.booleans(), min_size=3, max_size=3).map(tuple),
    compatibility=st.none() | levels,
    mode=st.sampled_from([None, Mode.READWRITE]),
)
wanteds = st.builds(
    Wanted,
    absent=st.booleans(),
    variant=st.integers(0, 7),
    compatibility=st.none() | levels,
    mode=st.sampled_from([None, Mode.READWRITE, Mode.READONLY]),
)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[dict[str, Live], dict[str, Wanted]]:
    live = draw(st.dictionaries(st.sampled_from((GEO, *PLAIN, *REFERRERS, STRAY)), lives))
    if GEO not in live or not live[GEO].history:
        # Referrers need their shared type registered first.
        live = {n: s for n, s in live.items() if n not in REFERRERS}
    names = draw(st.lists(st.sampled_from((*PLAIN, *REFERRERS)), min_size=1, unique=True))
    wanted = {n: draw(wanteds) for n in names}
    if any(n in REFERRERS for n in names) or GEO in live:
        # Never a rollback of the shared type: its older versions may still be referenced, and
        # the registry refuses to delete those (a plan that tries stops at its first step).
        older = live[GEO].history[:-1] if GEO in live else ()
        geo = draw(st.integers(0, 7).filter(lambda v: v not in older))
        wanted[GEO] = Wanted(False, geo, None, None)
    for name in REFERRERS:
        if name in wanted:
            # Referrers stay: the shared type is never deleted under them.
            wanted[name] = Wanted(
                False, *[getattr(wanted[name], f) for f in ("variant", "compatibility", "mode")]
            )
    return live, wanted


def seed(engine: RegistryEngine, live: dict[str, Live], level: CompatibilityLevel) -> None:
    registry = InMemoryRegistry(engine)
    registry.set_compatibility(CompatibilityLevel.NONE)
    order = sorted(live, key=lambda n: (n != GEO, n))
    for name in order:
        subject = live[name]
        refs: tuple[SchemaReference, ...] = ()
        if name in REFERRERS:
            refs = (SchemaReference(GEO, GEO, registry.get_version(GEO, "latest").version),)
        for index in subject.history:
            registry.register(name, Schema(variant(name, index), references=refs))
        versions = registry.list_versions(name) if subject.history else []
        for version, gone in zip(versions, subject.deleted, strict=False):
            if gone and name != GEO and version != versions[-1]:
                registry.delete_version(name, version)
        if subject.compatibility is not None:
            registry.set_compatibility(subject.compatibility, name)
        if subject.mode is not None:
            registry.set_mode(subject.mode, name)
    registry.set_compatibility(level)


def contracts(wanted: dict[str, Wanted]) -> DesiredState:
    specs = []
    for name, w in sorted(wanted.items()):
        if w.absent:
            specs.append(spec(name, lifecycle=Lifecycle.ABSENT))
            continue
        refs = (DesiredReference(GEO, GEO),) if name in REFERRERS else ()
        specs.append(
            spec(
                name,
                variant(name, w.variant),
                compatibility=w.compatibility,
                mode=w.mode,
                references=refs,
            )
        )
    return desired(*specs)


def client(server: RegistryServer) -> HttpRegistry:
    return HttpRegistry(
        SchemaRegistryConfig(base_url=server.url, max_workers=WORKERS, max_retries=0)
    )


def everything(registry: HttpRegistry) -> dict[str, Any]:
    """What the registry holds, ids left out: per subject its versions (number, deleted,
    canonical content, references), level and mode; and the global settings."""
    state = registry.read_state(registry.list_subjects(deleted=True) + [STRAY, *PLAIN])
    return {
        "global": (state.global_compatibility, state.global_mode),
        "subjects": {
            name: (
                [
                    (v.version, v.deleted, canonical_text(v.schema.schema_str), v.schema.references)
                    for v in s.versions
                ],
                s.compatibility,
                s.mode,
            )
            for name, s in state.subjects.items()
        },
    }


POLICY = PlanPolicy(prune=True, allow_delete=True)


def planned(registry: HttpRegistry, state: DesiredState) -> Plan:
    return pipeline.make_plan(state, registry, policy=POLICY)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), level=levels)
def test_parallel_apply_ends_where_sequential_apply_ends(
    scenario: tuple[dict[str, Live], dict[str, Wanted]], level: CompatibilityLevel
) -> None:
    live, wanted = scenario
    state = contracts(wanted)
    ends = []
    for workers in (1, WORKERS):
        engine = RegistryEngine("bench")
        seed(engine, live, level)
        with RegistryServer(engine=engine) as server:
            registry = client(server)
            plan = planned(registry, state)
            event(f"blocked={plan.blocked} steps={min(len(plan.steps), 6)}")
            if plan.blocked:
                return  # nothing to compare: neither run writes
            result = apply_plan(plan, registry, allow_delete=True, max_workers=workers)
            assert result.ok
            ends.append(everything(registry))
            assert not planned(registry, state).has_changes
            registry.close()
    assert ends[0] == ends[1]


def request_of(plan: Plan, index: int) -> tuple[str, str]:
    """The method and path prefix of the write step ``index`` (1-based) sends."""
    step = plan.steps[index - 1]
    if isinstance(step, RegisterSchema):
        return "POST", f"/subjects/{step.subject}/versions"
    if isinstance(step, SetCompatibility):
        return "PUT", f"/config/{step.subject}"
    if isinstance(step, DeleteVersion):
        return "DELETE", f"/subjects/{step.subject}/versions/{step.version}"
    if isinstance(step, DeleteSubject):
        return "DELETE", f"/subjects/{step.subject}"
    return "PUT", f"/mode/{step.subject}"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), level=levels, data=st.data())
def test_a_failure_at_a_random_step_leaves_a_report_a_rerun_converges_from(
    scenario: tuple[dict[str, Live], dict[str, Wanted]],
    level: CompatibilityLevel,
    data: st.DataObject,
) -> None:
    live, wanted = scenario
    state = contracts(wanted)
    engine = RegistryEngine("bench")
    seed(engine, live, level)
    with RegistryServer(engine=engine) as server:
        registry = client(server)
        plan = planned(registry, state)
        if plan.blocked or not plan.steps:
            registry.close()
            return
        saved = loads(dumps(plan))
        at = data.draw(st.integers(1, len(plan.steps)), label="failing step")
        method, path = request_of(plan, at)
        server.fail_next(500, method=method, path=path)
        try:
            result = apply_plan(saved, registry, allow_delete=True, max_workers=WORKERS)
        except ApplyStoppedError as exc:
            event("stopped")
            result = exc.result
            failed = result.with_status(StepStatus.FAILED)
            assert [o.index for o in failed] == [at]
            # Nothing that waits for the failed step ran.
            assert all(
                o.status is StepStatus.NOT_STARTED
                for o in result.outcomes[at:]
                if o.step.subject == failed[0].step.subject
            )
        assert len(result.outcomes) == len(plan.steps)
        # The same saved plan finishes the job from wherever the run stopped.
        resumed = apply_plan(saved, registry, allow_delete=True, max_workers=WORKERS)
        assert resumed.ok
        done_before = {o.index for o in result.with_status(StepStatus.DONE)}
        assert not any(o.changed for o in resumed.outcomes if o.index in done_before)
        assert not planned(registry, state).has_changes
        registry.close()
