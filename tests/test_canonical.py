"""Schema identities computed ahead of the diff, while a run waits on the registry."""

from __future__ import annotations

import pytest

from aurum_sr import canonical, pipeline
from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.model import LiveState, Schema, SchemaType
from aurum_sr.plan import PlanPolicy
from aurum_sr.registry.http import HttpRegistry
from aurum_sr.testing import RegistryServer, ServerOptions
from tests.plan.factories import desired, field, record, spec

V1 = record("Order", field("id"))
V2 = record("Order", field("id"), field("note", ["null", "string"], default=None))


@pytest.fixture
def digests(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, SchemaType], bytes]:
    fresh: dict[tuple[str, SchemaType], bytes] = {}
    monkeypatch.setattr(canonical, "_DIGESTS", fresh)
    return fresh


def test_warm_keeps_each_identity_and_leaves_unreadable_texts_to_the_diff(
    digests: dict[tuple[str, SchemaType], bytes],
) -> None:
    canonical.warm([(V1, SchemaType.AVRO), ("{not json", SchemaType.AVRO)])
    assert digests == {(V1, SchemaType.AVRO): canonical.digest_of(canonical.canonical_text(V1))}


def test_read_state_computes_the_latest_identities_while_settings_are_read(
    digests: dict[tuple[str, SchemaType], bytes],
) -> None:
    with RegistryServer(options=ServerOptions(latency=0.002)) as server:
        registry = HttpRegistry(SchemaRegistryConfig(base_url=server.url))
        registry.register("aurum.orders-value", Schema(V1))
        latest = registry.register("aurum.orders-value", Schema(V2))
        digests.clear()
        registry.read_state(["aurum.orders-value"], latest_only=True)
        # The latest version only, as the registry stores its text: what the diff compares.
        assert set(digests) == {(latest.schema.schema_str, SchemaType.AVRO)}
        registry.close()


def test_a_plan_has_the_desired_identities_once_its_read_returns(
    digests: dict[tuple[str, SchemaType], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    state = desired(*(spec(f"aurum.s{i}-value", V2) for i in range(5)))
    seen: list[set[tuple[str, SchemaType]]] = []
    real = pipeline.read_latest

    def observed(*args: object, **kwargs: object) -> LiveState:
        live = real(*args, **kwargs)  # type: ignore[arg-type]
        seen.append(set(digests))
        return live

    monkeypatch.setattr(pipeline, "read_latest", observed)
    with RegistryServer(options=ServerOptions(latency=0.002)) as server:
        registry = HttpRegistry(SchemaRegistryConfig(base_url=server.url))
        plan = pipeline.make_plan(state, registry, policy=PlanPolicy())
        registry.close()
    assert len(plan.steps) == 5
    assert seen and (V2, SchemaType.AVRO) in seen[0]
