"""SchemaRegistryManager over the in-memory backend and over HTTP."""

from __future__ import annotations

import json

import pytest

from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.errors import SchemaInputError
from aurum_sr.manager import SchemaRegistryManager
from aurum_sr.model import CompatibilityLevel
from aurum_sr.registry.memory import InMemoryRegistry
from aurum_sr.testing import RegistryServer
from tests.registry.helpers import V1, V2, record


def manager(ttl: float = 300.0) -> tuple[SchemaRegistryManager, InMemoryRegistry]:
    reg = InMemoryRegistry()
    return SchemaRegistryManager(SchemaRegistryConfig(cache_ttl_seconds=ttl), registry=reg), reg


def test_register_and_latest() -> None:
    m, reg = manager()
    assert m.get_latest_schema("a-value") is None
    first = m.register_subject("a-value", json.loads(V1.schema_str), "FULL")
    assert reg.get_compatibility("a-value") is CompatibilityLevel.FULL
    latest = m.get_latest_schema("a-value")
    assert latest is not None and latest.schema_id == first
    second = m.register_subject("a-value", V2.schema_str)
    latest = m.get_latest_schema("a-value")
    assert latest is not None and latest.schema_id == second and latest.version == 2


def test_reads_are_cached_and_own_writes_invalidate() -> None:
    m, reg = manager()
    m.register_subject("a-value", V1)
    m.get_latest_schema("a-value")
    before = reg.request_count
    m.get_latest_schema("a-value")
    assert reg.request_count == before  # served from the cache
    reg.register("a-value", V2)  # a write the manager did not make: still cached
    latest = m.get_latest_schema("a-value")
    assert latest is not None and latest.version == 1
    m.register_subject("a-value", V2)  # the manager's own write invalidates
    latest = m.get_latest_schema("a-value")
    assert latest is not None and latest.version == 2


def test_zero_ttl_disables_the_cache() -> None:
    m, reg = manager(ttl=0)
    m.register_subject("a-value", V1)
    m.get_latest_schema("a-value")
    before = reg.request_count
    m.get_latest_schema("a-value")
    assert reg.request_count == before + 1


def test_check_compatibility() -> None:
    m, _ = manager()
    assert m.check_compatibility("a-value", V1).is_compatible  # nothing registered yet
    m.register_subject("a-value", V1)
    assert m.check_compatibility("a-value", V2).is_compatible
    result = m.check_compatibility("a-value", record("Order", ("id", "string")))
    assert not result.is_compatible
    assert result.level is CompatibilityLevel.BACKWARD
    assert result.breaking_changes


def test_bad_schema_input() -> None:
    m, _ = manager()
    with pytest.raises(SchemaInputError):
        m.register_subject("a-value", "{not json")
    with pytest.raises(SchemaInputError):
        m.register_subject("a-value", 42)  # type: ignore[arg-type]


def test_status_and_unreachable_status() -> None:
    with RegistryServer() as srv:
        m = SchemaRegistryManager(SchemaRegistryConfig(base_url=srv.url, max_retries=0))
        m.register_subject("a-value", V1)
        status = m.get_registry_status()
        assert status["reachable"] is True
        assert (status["total_subjects"], status["total_schemas"]) == (1, 1)
        assert status["global_compatibility"] == "BACKWARD"
        assert status["global_mode"] == "READWRITE"
        url = srv.url
    gone = SchemaRegistryManager(
        SchemaRegistryConfig(base_url=url, max_retries=0, retry_max_seconds=0.5)
    )
    status = gone.get_registry_status()
    assert status["reachable"] is False
    assert url in status["error"]
