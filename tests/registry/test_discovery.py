"""Capability discovery over a real socket: what each answer decides, and what it costs."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurum_sr import pipeline
from aurum_sr.capabilities import (
    Capability,
    Implementation,
    Support,
    capabilities_of,
    implementation_named,
)
from aurum_sr.config import SchemaRegistryConfig, load_config
from aurum_sr.desired import load_desired
from aurum_sr.errors import ConfigError, PlanError
from aurum_sr.model import Mode, Schema
from aurum_sr.plan import PlanPolicy
from aurum_sr.plan.document import dumps, loads
from aurum_sr.registry.http import HttpRegistry
from aurum_sr.registry.http.discovery import from_url
from aurum_sr.registry.memory import InMemoryRegistry
from aurum_sr.registry.retry import RetryPolicy
from aurum_sr.testing import APICURIO, CONFLUENT, FLAVORS, KARAPACE, REDPANDA, RegistryServer
from tests.e2e.helpers import REPO, without_data_contracts

FAST = RetryPolicy(max_attempts=4, max_seconds=3.0, base_seconds=0.01, cap_seconds=0.02)


def client(url: str, flavor: str | None = None) -> HttpRegistry:
    config = SchemaRegistryConfig(base_url=url, timeout_seconds=5.0, flavor=flavor)
    return HttpRegistry(config, policy=FAST)


def _discover(server: RegistryServer, flavor: str | None = None) -> tuple[object, int]:
    registry = client(server.url, flavor)
    found = registry.capabilities()
    used = registry.request_count
    assert registry.capabilities() is found and registry.request_count == used  # once
    return found, used


def test_confluent_says_its_version_in_one_request() -> None:
    with RegistryServer(CONFLUENT.options()) as server:
        found, used = _discover(server)
    assert found == capabilities_of(Implementation.CONFLUENT, version="7.6.1", found_by="metadata")
    assert used == 1


def test_karapace_is_told_by_its_missing_metadata_and_mode_writes_in_two_requests() -> None:
    with RegistryServer(KARAPACE.options()) as server:
        found, used = _discover(server)
        assert server.engine is not None and server.engine.global_mode is Mode.READWRITE
    assert found == capabilities_of(Implementation.KARAPACE, found_by="probe")
    assert used == 2


def test_a_registry_that_sets_modes_but_does_not_say_what_it_is_is_unknown() -> None:
    with RegistryServer(REDPANDA.options()) as server:
        found, used = _discover(server)
        # The probe's value is refused as no mode: nothing was set.
        assert server.engine is not None and server.engine.global_mode is Mode.READWRITE
    assert found.implementation is Implementation.UNKNOWN  # type: ignore[attr-defined]
    assert found[Capability.SUBJECT_MODE_WRITE] is Support.SUPPORTED  # type: ignore[index]
    assert found[Capability.CONTEXTS] is Support.UNKNOWN  # type: ignore[index]
    assert used == 2


def test_a_probe_refused_for_another_reason_leaves_mode_writes_unknown() -> None:
    with RegistryServer(REDPANDA.options()) as server:
        server.fail_next(403, method="PUT", message="superuser required")
        found, _ = _discover(server)
    assert found[Capability.SUBJECT_MODE_WRITE] is Support.UNKNOWN  # type: ignore[index]


def test_apicurio_is_told_by_its_url_without_a_request() -> None:
    with RegistryServer(APICURIO.options()) as server:
        found, used = _discover(server)
    assert found == capabilities_of(Implementation.APICURIO, found_by="url")
    assert used == 0


@pytest.mark.parametrize("name", ["karapace", "Karapace", "redpanda", "confluent-cloud"])
def test_a_pinned_flavor_costs_no_request(name: str) -> None:
    with RegistryServer(CONFLUENT.options()) as server:
        found, used = _discover(server, name)
    implementation = implementation_named(name)
    assert implementation is not None
    assert found == capabilities_of(implementation, found_by="pinned")
    assert used == 0


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://psrc-abc12.us-east-2.aws.confluent.cloud", Implementation.CONFLUENT_CLOUD),
        ("http://registry:8080/apis/ccompat/v7", Implementation.APICURIO),
        ("http://registry:8080/apis/ccompat/v7/", Implementation.APICURIO),
        ("http://registry:8081", None),
        ("http://confluent.cloud.example.com", None),
    ],
)
def test_what_the_url_says(url: str, expected: Implementation | None) -> None:
    found = from_url(url)
    assert (found.implementation if found else None) is expected


def test_local_backends_report_their_own_engine_without_discovery() -> None:
    registry = InMemoryRegistry()
    assert registry.capabilities().implementation is Implementation.SNAPSHOT
    assert registry.capabilities().supports(Capability.SUBJECT_MODE_WRITE)
    assert registry.status().capabilities == registry.capabilities()


def test_status_lists_the_capabilities() -> None:
    with RegistryServer(KARAPACE.options()) as server:
        status = client(server.url).status()
    assert status.capabilities is not None
    assert status.capabilities.lacks(Capability.SUBJECT_MODE_WRITE)


# -- the configuration pin ---------------------------------------------------------------------


def test_the_flavor_is_pinned_in_the_configuration_file(tmp_path: Path) -> None:
    (tmp_path / "aurum-sr.toml").write_text('flavor = "Karapace"\n', encoding="utf-8")
    config = load_config(tmp_path, environ={})
    assert config.flavor == "karapace"


def test_an_unknown_flavor_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    (tmp_path / "aurum-sr.toml").write_text('flavor = "kafkapace"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"aurum-sr.toml: flavor must be one of confluent, "):
        load_config(tmp_path, environ={})


def test_a_pinned_flavor_decides_the_plan_without_discovery() -> None:
    # A Confluent server pinned as Karapace: the pin is believed, so no mode step is planned.
    state = load_desired(REPO).state
    with RegistryServer(CONFLUENT.options()) as server:
        plan = pipeline.make_plan(state, client(server.url, "karapace"), policy=PlanPolicy())
        assert not [p for m, p in server.requests if "metadata" in p or m == "PUT"]
    assert plan.capabilities is not None and plan.capabilities.found_by == "pinned"
    assert not [s for s in plan.steps if s.kind == "set_mode"]


# -- apply and the capabilities a plan assumed ---------------------------------------------------


def test_apply_refuses_a_plan_made_for_a_registry_that_can_do_more() -> None:
    # The plan assumed Confluent (pinned); the registry behind the URL turns out to be Karapace.
    state = load_desired(REPO).state
    with RegistryServer(KARAPACE.options()) as server:
        made = client(server.url, "confluent")
        plan = loads(dumps(pipeline.make_plan(state, made, policy=PlanPolicy())))
        assert [s for s in plan.steps if s.kind == "set_mode"]
        before = server.request_count
        with pytest.raises(PlanError, match=r"made for a confluent registry.*subject_mode_write"):
            pipeline.apply(plan, client(server.url))
        writes = [(m, p) for m, p in server.requests[before:] if m != "GET"]
    assert writes == [("PUT", "/mode")]  # the discovery probe only: nothing written


def test_apply_takes_a_plan_made_for_the_same_kind_of_registry() -> None:
    state = without_data_contracts(load_desired(REPO).state)
    with RegistryServer(KARAPACE.options()) as server:
        plan = loads(dumps(pipeline.make_plan(state, client(server.url), policy=PlanPolicy())))
        result = pipeline.apply(plan, client(server.url))
    assert result.ok


# -- client behaviour per implementation ---------------------------------------------------------


def test_karapace_forwarding_errors_after_start_are_retried() -> None:
    with RegistryServer(KARAPACE.options(forwarding_errors=2)) as server:
        registry = client(server.url)
        registered = registry.register("aurum.x-value", Schema('{"type": "string"}'))
        posts = [p for m, p in server.requests if m == "POST" and p.endswith("/versions")]
    assert registered.version == 1
    assert len(posts) == 3  # two answered 50003, the third registered


@pytest.mark.parametrize("name", sorted(FLAVORS))
def test_discovery_costs_at_most_three_requests_on_a_no_change_plan(name: str) -> None:
    state = load_desired(REPO).state
    if not FLAVORS[name].behaviour.data_contracts:
        state = without_data_contracts(state)
    with RegistryServer(FLAVORS[name].options()) as server:
        pipeline.apply(
            pipeline.make_plan(state, client(server.url), policy=PlanPolicy()), client(server.url)
        )
        pinned = implementation_named(name)
        assert pinned is not None
        known = client(server.url, pinned.value)
        assert not pipeline.make_plan(state, known, policy=PlanPolicy()).has_changes
        fresh = client(server.url)
        assert not pipeline.make_plan(state, fresh, policy=PlanPolicy()).has_changes
    assert fresh.request_count - known.request_count <= 3
