"""The whole loop against every registry implementation the test server imitates.

For each flavor (docs/registries.md): the example contracts as shipped plan and apply on an
empty registry, and plan again as "No changes"; a formatting-only edit of every schema is no
change; a version registered outside git is drift; a saved plan made before it is refused. No
step may meet a 405 (a step the target cannot perform), and no plan step may be one the
registry's capabilities rule out.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from aurum_sr import pipeline
from aurum_sr.capabilities import Capability, Implementation
from aurum_sr.desired import load_desired
from aurum_sr.errors import StalePlanError
from aurum_sr.model import DesiredState, Lifecycle, Schema, SourceLocation, SubjectSpec
from aurum_sr.plan import Plan, PlanPolicy, SetMode
from aurum_sr.plan.document import dumps, loads
from aurum_sr.plan.reasons import (
    DataContractsNotStored,
    ModeInEffect,
    RegistryRefusesSchema,
    TargetCannotStore,
)
from aurum_sr.registry.http import HttpRegistry
from aurum_sr.testing import FLAVORS, KARAPACE, RegistryServer
from tests.e2e.helpers import REPO, http_client, without_data_contracts

POLICY = PlanPolicy()
EXPECTED = {
    "confluent": Implementation.CONFLUENT,
    "karapace": Implementation.KARAPACE,
    "redpanda": Implementation.UNKNOWN,
    "apicurio": Implementation.APICURIO,
}
"""What discovery makes of each flavor without a pin (Redpanda does not say what it is)."""


@pytest.fixture(params=sorted(FLAVORS))
def server(request: pytest.FixtureRequest) -> Iterator[RegistryServer]:
    with RegistryServer(FLAVORS[request.param].options()) as running:
        running.flavor = request.param  # type: ignore[attr-defined]
        yield running


@pytest.fixture
def state(server: RegistryServer) -> DesiredState:
    """The shipped contracts; on a registry that cannot store data contracts (which block the
    plan there: test_shipped_data_contracts_block_where_they_cannot_be_stored), without them."""
    shipped = load_desired(REPO).state
    return shipped if server.options.data_contracts else without_data_contracts(shipped)


def test_shipped_data_contracts_block_where_they_cannot_be_stored(server: RegistryServer) -> None:
    plan = _plan(load_desired(REPO).state, http_client(server.url))
    blocks = [
        (s.subject, b)
        for s in plan.subjects
        for b in s.blocked_reasons
        if isinstance(b, DataContractsNotStored)
    ]
    if server.options.data_contracts:
        assert not plan.blocked and not blocks
    else:
        assert [subject for subject, _ in blocks] == ["aurum.scenario.request.v1-value"]


def _plan(state: DesiredState, registry: HttpRegistry) -> Plan:
    return pipeline.make_plan(state, registry, policy=POLICY)


def test_the_example_contracts_plan_apply_and_plan_no_changes(
    server: RegistryServer, state: DesiredState
) -> None:
    registry = http_client(server.url)
    plan = _plan(state, registry)
    assert plan.capabilities is not None
    assert plan.capabilities.implementation is EXPECTED[server.flavor]  # type: ignore[attr-defined]
    assert plan.has_changes and not plan.blocked
    can_set_modes = plan.capabilities.supports(Capability.SUBJECT_MODE_WRITE)
    mode_steps = [s for s in plan.steps if isinstance(s, SetMode)]
    in_effect = [n for s in plan.subjects for n in s.notes if isinstance(n, ModeInEffect)]
    if can_set_modes:
        assert mode_steps and not in_effect
    else:
        # The pinned READWRITE is already in effect: a note, and no step to stop apply on.
        assert not mode_steps and in_effect
    before = server.request_count
    result = pipeline.apply(plan, registry)
    assert result.ok and len(result.changed) == len(plan.steps)
    mode_writes = [p for m, p in server.requests[before:] if m == "PUT" and "/mode" in p]
    assert bool(mode_writes) is can_set_modes  # never a write the registry answers 405 to
    again = _plan(state, http_client(server.url))
    assert not again.has_changes, [s.subject for s in again.subjects]


def _reformatted(tmp_path: Path) -> Path:
    """A copy of the example repository with every schema file re-indented, keys reversed."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "contracts", root / "contracts")
    shutil.copytree(REPO / "schemas", root / "schemas")
    for path in (root / "schemas").rglob("*.avsc"):
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(_reverse(data), indent=7) + "\n", encoding="utf-8")
    return root


def _reverse(value: object) -> object:
    if isinstance(value, dict):
        return {k: _reverse(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reverse(v) for v in value]
    return value


def test_a_formatting_only_edit_of_every_schema_is_no_change(
    server: RegistryServer, state: DesiredState, tmp_path: Path
) -> None:
    registry = http_client(server.url)
    pipeline.apply(_plan(state, registry), registry)
    edited = load_desired(_reformatted(tmp_path)).state
    if not server.options.data_contracts:
        edited = without_data_contracts(edited)
    plan = _plan(edited, http_client(server.url))
    assert not plan.has_changes, [s.subject for s in plan.subjects]


SUBJECT = "aurum.eia.series.v1-value"


def _out_of_band(registry: HttpRegistry) -> None:
    latest = registry.get_version(SUBJECT, "latest")
    changed = latest.schema.schema_str.replace(
        '"fields"', '"doc": "edited outside git", "fields"', 1
    )
    registry.register(SUBJECT, Schema(changed))


def test_an_out_of_band_version_is_drift(server: RegistryServer, state: DesiredState) -> None:
    registry = http_client(server.url)
    pipeline.apply(_plan(state, registry), registry)
    assert not pipeline.drift(state, registry).drifted
    _out_of_band(registry)
    report = pipeline.drift(state, http_client(server.url))
    assert report.subjects == (SUBJECT,)


def test_a_saved_plan_is_refused_once_the_registry_moved(
    server: RegistryServer, state: DesiredState
) -> None:
    registry = http_client(server.url)
    text = dumps(_plan(state, registry))
    other = str(state.subjects[SUBJECT].schema_str).replace(
        '"fields"', '"doc": "registered outside git", "fields"', 1
    )
    registry.register(SUBJECT, Schema(other))
    before = server.request_count
    with pytest.raises(StalePlanError, match=SUBJECT):
        pipeline.apply(loads(text), http_client(server.url))
    # Nothing written: reads, and at most the discovery probe (a PUT /mode nothing accepts).
    writes = [(m, p) for m, p in server.requests[before:] if m != "GET"]
    assert all(p.endswith("/mode") for _, p in writes), writes


ERROR_RECORD = json.dumps(
    {
        "type": "record",
        "name": "Outcome",
        "namespace": "aurum.test",
        "fields": [
            {"name": "id", "type": "long"},
            {
                "name": "failure",
                "type": ["null", {"type": "error", "name": "Failure", "fields": []}],
                "default": None,
            },
        ],
    }
)


def test_a_schema_the_target_cannot_store_blocks_the_plan_before_anything_is_written(
    server: RegistryServer,
) -> None:
    subject = "aurum.test.outcome-value"
    state = DesiredState(
        root="/repo",
        contracts_path="contracts/contracts.yml",
        format_version=1,
        subjects={subject: _spec(subject, ERROR_RECORD)},
        owned_prefixes=("aurum.test.",),
    )
    registry = http_client(server.url)
    plan = _plan(state, registry)
    cannot = [
        b for s in plan.subjects for b in s.blocked_reasons if isinstance(b, TargetCannotStore)
    ]
    if server.options.refuses_error_records:  # Karapace answers 500 on registration
        assert plan.blocked and cannot
        assert not [m for m, _ in server.requests if m == "POST"]
    else:
        assert not plan.blocked and not cannot
        assert pipeline.apply(plan, registry).ok


def _spec(subject: str, schema: str) -> SubjectSpec:
    return SubjectSpec(
        subject=subject,
        location=SourceLocation("contracts/contracts.yml", 1, 1),
        lifecycle=Lifecycle.PRESENT,
        schema_file="schemas/outcome.avsc",
        schema_str=schema,
    )


DASHED = json.dumps(
    {
        "type": "record",
        "name": "Reading",
        "namespace": "aurum.test",
        "fields": [{"name": "kind", "type": {"type": "enum", "name": "Kind-v1", "symbols": ["A"]}}],
    }
)


@pytest.mark.parametrize("validates_first", [True, False], ids=["lookup-parses", "lookup-looks"])
def test_remote_check_asks_a_new_subject_s_registrability_with_a_lookup(
    validates_first: bool,
) -> None:
    # A Karapace built on the PyPI avro package refuses names with '-'. Where its lookup parses
    # before it looks, --remote-check finds that out at plan time, without writing anything.
    subject = "aurum.test.reading-value"
    options = KARAPACE.options(strict_avro_names=True, lookup_validates_first=validates_first)
    state = DesiredState(
        root="/repo",
        contracts_path="contracts/contracts.yml",
        format_version=1,
        subjects={subject: _spec(subject, DASHED)},
        owned_prefixes=("aurum.test.",),
    )
    with RegistryServer(options) as server:
        registry = http_client(server.url)
        plan = pipeline.make_plan(state, registry, policy=POLICY, remote_check=True)
        registrations = [p for m, p in server.requests if m == "POST" and "/versions" in p]
    refused = [
        b for s in plan.subjects for b in s.blocked_reasons if isinstance(b, RegistryRefusesSchema)
    ]
    assert not registrations
    marked = [w for s in plan.subjects for w in s.warnings]
    assert marked  # implementation-dependent (names with '-') either way
    if validates_first:
        assert plan.blocked and refused and "invalid" in refused[0].message.lower()
    else:
        assert not refused and not plan.blocked  # "not found" says nothing either way


def test_the_same_saved_plan_applied_twice_changes_nothing(
    server: RegistryServer, state: DesiredState
) -> None:
    text = dumps(_plan(state, http_client(server.url)))
    assert pipeline.apply(loads(text), http_client(server.url)).ok
    before = server.request_count
    second = pipeline.apply(loads(text), http_client(server.url))
    assert second.ok and not second.changed
    writes = [(m, p) for m, p in server.requests[before:] if m in ("PUT", "DELETE")]
    assert all(p.endswith("/mode") for _, p in writes), writes  # the discovery probe at most
