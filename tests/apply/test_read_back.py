"""Read-back verification (hardening item 9): apply calls a step done only when the registry
holds what it wrote, and stops as stale when another writer moved a subject during the apply.

The registry is the in-process server behind a fault-injecting proxy on real sockets.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from aurum_sr import pipeline
from aurum_sr.apply import ApplyStoppedError, StepStatus, apply_plan
from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.model import CompatibilityLevel, Lifecycle, Mode, Schema
from aurum_sr.plan import PlanPolicy
from aurum_sr.registry.http import HttpRegistry
from aurum_sr.registry.retry import RetryPolicy
from aurum_sr.testing import RegistryServer, ServerOptions
from aurum_sr.testing.proxy import FaultProxy, Rule
from tests.plan.factories import desired, field, record, spec

FAST = RetryPolicy(max_attempts=2, max_seconds=2.0, base_seconds=0.01, cap_seconds=0.02)
ORDER = record("Order", field("id"))
ORDER_V2 = record("Order", field("id"), field("note", ["null", "string"], default=None))
OTHER = record("Order", field("id"), field("extra", ["null", "long"], default=None))


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[RegistryServer]:
    options = getattr(request, "param", None) or ServerOptions()
    with RegistryServer(options=options) as running:
        yield running


@pytest.fixture
def proxy(server: RegistryServer) -> Iterator[FaultProxy]:
    with FaultProxy(server.url) as running:
        yield running


def client(url: str) -> HttpRegistry:
    return HttpRegistry(SchemaRegistryConfig(base_url=url, timeout_seconds=2.0), policy=FAST)


def test_item09_registration_answered_but_not_stored_fails_the_step(proxy: FaultProxy) -> None:
    reg = client(proxy.url)
    state = desired(spec("aurum.orders-value", ORDER))
    plan = pipeline.make_plan(state, reg, policy=PlanPolicy())
    proxy.add(
        Rule(
            "swallow",
            method="POST",
            path="/subjects/aurum.orders-value/versions",
            body=json.dumps({"id": 1, "version": 1}).encode(),
        )
    )
    with pytest.raises(ApplyStoppedError) as caught:
        apply_plan(plan, reg)
    failed = caught.value.result.failed
    assert failed is not None and failed.status is StepStatus.FAILED
    assert "the write was not stored" in failed.message
    assert "Apply complete" not in str(caught.value)
    again = pipeline.make_plan(state, reg, policy=PlanPolicy())
    assert again.has_changes


@pytest.mark.parametrize(
    ("setting", "where"),
    [
        ({"compatibility": CompatibilityLevel.FULL}, "/config/aurum.orders-value"),
        ({"mode": Mode.READONLY}, "/mode/aurum.orders-value"),
    ],
    ids=["compatibility", "mode"],
)
def test_item09_setting_answered_but_not_stored_fails_the_step(
    server: RegistryServer, proxy: FaultProxy, setting: dict[str, object], where: str
) -> None:
    client(server.url).register("aurum.orders-value", Schema(ORDER))
    reg = client(proxy.url)
    state = desired(spec("aurum.orders-value", ORDER, **setting))  # type: ignore[arg-type]
    plan = pipeline.make_plan(state, reg, policy=PlanPolicy())
    proxy.add(Rule("swallow", method="PUT", path=where, body=b"{}"))
    with pytest.raises(ApplyStoppedError) as caught:
        apply_plan(plan, reg)
    failed = caught.value.result.failed
    assert failed is not None and "reading it back it holds" in failed.message
    assert "the write was not stored" in failed.message


def test_item09_delete_answered_but_not_done_fails_the_step(
    server: RegistryServer, proxy: FaultProxy
) -> None:
    seed = client(server.url)
    seed.register("aurum.orders-value", Schema(ORDER))
    reg = client(proxy.url)
    state = desired(spec("aurum.orders-value", lifecycle=Lifecycle.ABSENT))
    plan = pipeline.make_plan(state, reg, policy=PlanPolicy(allow_delete=True))
    proxy.add(Rule("swallow", method="DELETE", path="/subjects/aurum.orders-value", body=b"[1]"))
    with pytest.raises(ApplyStoppedError) as caught:
        apply_plan(plan, reg, allow_delete=True)
    failed = caught.value.result.failed
    assert failed is not None and "still there" in failed.message


def test_item09_concurrent_writer_during_apply_stops_it_as_stale(
    server: RegistryServer, proxy: FaultProxy
) -> None:
    seed = client(server.url)
    seed.register("aurum.orders-value", Schema(ORDER))
    reg = client(proxy.url)
    state = desired(spec("aurum.orders-value", ORDER_V2))
    plan = pipeline.make_plan(state, reg, policy=PlanPolicy())

    def another_writer() -> None:
        seed.register("aurum.orders-value", Schema(OTHER))

    proxy.add(
        Rule(
            "before",
            method="POST",
            path="/subjects/aurum.orders-value/versions",
            action=another_writer,
        )
    )
    with pytest.raises(ApplyStoppedError) as caught:
        apply_plan(plan, reg)
    failed = caught.value.result.failed
    assert failed is not None and failed.version == 3
    assert "the plan expected v2" in failed.message and "stale" in failed.message


def test_item09_read_back_one_by_one_without_the_bulk_listing() -> None:
    with RegistryServer(options=ServerOptions(bulk_listing=False)) as server:
        reg = client(server.url)
        n = 20
        state = desired(*(spec(f"aurum.s{i}-value", ORDER) for i in range(n)))
        plan, seen = pipeline.plan_with_state(state, reg, policy=PlanPolicy())
        before = server.request_count
        result = pipeline.apply(plan, reg, max_workers=4, seen=seen)
        assert result.ok and len(result.registered) == n
        # Per subject: the registration and its one read-back, nothing else.
        assert server.request_count - before == 2 * n
        assert all(method == "POST" for method, _ in server.requests[before:])


def test_item09_bulk_listing_confirms_registrations_together(server: RegistryServer) -> None:
    reg = client(server.url)
    n = 20
    state = desired(*(spec(f"aurum.s{i}-value", ORDER) for i in range(n)))
    plan, seen = pipeline.plan_with_state(state, reg, policy=PlanPolicy())
    before = server.request_count
    result = pipeline.apply(plan, reg, max_workers=4, seen=seen)
    assert result.ok and len(result.registered) == n
    sent = server.requests[before:]
    registrations = [t for m, t in sent if m == "POST"]
    listings = [t for m, t in sent if m == "GET" and t.startswith("/schemas?")]
    # The registrations, and the listing pages that confirm them (no read-back one by one).
    assert len(registrations) == n and all(t.endswith("/versions") for t in registrations)
    assert 1 <= len(listings) <= 3 and len(sent) == n + len(listings)
    assert all("latestOnly=true" in t for t in listings)
    assert {(o.version, o.message) for o in result.registered} == {(1, "registered v1 (id 1)")}


@pytest.mark.parametrize(
    "options",
    [
        ServerOptions(register_returns_version=False),
        ServerOptions(honours_paging=False),
        ServerOptions(honours_latest_only=False),
        ServerOptions(honours_prefix=False),
        ServerOptions(deleted_flag=False),
    ],
    ids=["id-only-answer", "ignores-paging", "ignores-latest-only", "ignores-prefix", "no-flag"],
)
def test_item09_bulk_confirmation_on_registries_that_list_differently(
    options: ServerOptions,
) -> None:
    with RegistryServer(options=options) as server:
        seed = client(server.url)
        for i in range(0, 12, 3):  # some subjects already hold a version (and a deleted one)
            seed.register(f"aurum.s{i}-value", Schema(OTHER))
            seed.register(f"aurum.s{i}-value", Schema(ORDER))
            seed.delete_version(f"aurum.s{i}-value", 2)
        reg = client(server.url)
        state = desired(*(spec(f"aurum.s{i}-value", ORDER_V2) for i in range(12)))
        plan, seen = pipeline.plan_with_state(state, reg, policy=PlanPolicy())
        before = server.request_count
        result = pipeline.apply(plan, reg, max_workers=4, seen=seen)
        sent = server.requests[before:]
        assert not [t for m, t in sent if m == "POST" and not t.endswith("/versions")]
        expected = {f"aurum.s{i}-value": 3 if i % 3 == 0 else 1 for i in range(12)}
        assert {o.step.subject: o.version for o in result.registered} == expected
        for subject, version in expected.items():
            assert reg.get_version(subject, "latest").version == version
        assert not pipeline.make_plan(state, reg, policy=PlanPolicy()).has_changes


def another_writer(seed: HttpRegistry) -> None:
    seed.register("aurum.orders-value", Schema(OTHER))


@pytest.mark.parametrize(
    "server", [ServerOptions(register_returns_version=False)], indirect=True, ids=["id-only"]
)
def test_item09_a_writer_before_us_is_stale_even_when_only_the_listing_tells(
    server: RegistryServer, proxy: FaultProxy
) -> None:
    seed = client(server.url)
    seed.register("aurum.orders-value", Schema(ORDER))
    reg = client(proxy.url)
    state = desired(spec("aurum.orders-value", ORDER_V2))
    plan, seen = pipeline.plan_with_state(state, reg, policy=PlanPolicy())
    proxy.add(
        Rule(
            "before",
            method="POST",
            path="/subjects/aurum.orders-value/versions",
            action=lambda: another_writer(seed),
        )
    )
    with pytest.raises(ApplyStoppedError) as caught:
        pipeline.apply(plan, reg, seen=seen)
    failed = caught.value.result.failed
    assert failed is not None and failed.version == 3 and "stale" in failed.message
    # The listing told: nothing was read back one by one.
    assert not [s for s in proxy.seen if s.method == "POST" and not s.path.endswith("/versions")]


def test_item09_a_writer_after_us_is_not_ours_to_report(
    server: RegistryServer, proxy: FaultProxy
) -> None:
    seed = client(server.url)
    seed.register("aurum.orders-value", Schema(ORDER))
    reg = client(proxy.url)
    state = desired(spec("aurum.orders-value", ORDER_V2))
    plan, seen = pipeline.plan_with_state(state, reg, policy=PlanPolicy())
    # Between our registration and the confirming listing, another writer adds v3: the listing
    # no longer shows ours as the latest, so it is read back on its own, and found as v2.
    proxy.add(
        Rule(
            "before",
            method="GET",
            path="/schemas",
            query="latestOnly=true",
            action=lambda: another_writer(seed),
        )
    )
    result = pipeline.apply(plan, reg, seen=seen)
    assert [(o.version, o.status) for o in result.registered] == [(2, StepStatus.DONE)]
    assert ("POST", "/subjects/aurum.orders-value") in {
        (s.method, s.path.split("?")[0]) for s in proxy.seen
    }
