"""SchemaRegistryManager over the in-memory backend and over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.errors import (
    ConfigError,
    ContractError,
    IncompatibleSchemaError,
    InvalidSchemaError,
    SchemaInputError,
)
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


# The seed's switches, honoured by register_subject.

INT_ID = record("Order", ("id", "int"))
STRING_ID = record("Order", ("id", "string"))


def _with(**switches: object) -> tuple[SchemaRegistryManager, InMemoryRegistry]:
    reg = InMemoryRegistry()
    config = SchemaRegistryConfig(**switches)  # type: ignore[arg-type]
    return SchemaRegistryManager(config, registry=reg), reg


def test_enforce_compatibility_refuses_before_writing() -> None:
    m, reg = _with()
    m.register_subject("o-value", INT_ID, "BACKWARD")
    writes = reg.request_count
    with pytest.raises(IncompatibleSchemaError) as info:
        m.register_subject("o-value", STRING_ID, "FULL")  # the level change is not sent either
    assert "nothing was written" in info.value.message
    assert "incompatible under FULL" in info.value.message
    assert reg.list_versions("o-value") == [1]
    assert reg.get_compatibility("o-value") is CompatibilityLevel.BACKWARD
    assert reg.request_count - writes < 10  # reads only


def test_fail_on_incompatible_off_lets_the_registry_decide() -> None:
    m, reg = _with(fail_on_incompatible=False)
    m.register_subject("o-value", INT_ID, "BACKWARD")
    with pytest.raises(IncompatibleSchemaError) as info:  # now the registry's own 409
        m.register_subject("o-value", STRING_ID)
    assert info.value.http_status == 409
    m.register_subject("o-value", STRING_ID, "NONE")  # the registry accepts under NONE
    assert reg.list_versions("o-value") == [1, 2]


def test_validate_schema_refuses_invalid_avro_before_sending() -> None:
    m, reg = _with()
    bad = '{"type": "record", "name": "X", "fields": [{"name": "a", "type": "nope"}]}'
    before = reg.request_count
    with pytest.raises(InvalidSchemaError) as info:
        m.register_subject("x-value", bad)
    assert "nothing was sent" in info.value.message
    assert reg.request_count == before


def test_enforce_contracts_refuses_unlisted_subjects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(repo)
    m, reg = _with(enforce_contracts=True)
    with pytest.raises(ContractError) as info:
        m.register_subject("not-in-contracts-value", INT_ID)
    assert "does not list it" in info.value.message
    with pytest.raises(ContractError):
        m.register_subject("aurum.legacy.prices.v0-value", INT_ID)  # lifecycle: absent
    key = (repo / "schemas/scenario/request_key.avsc").read_text(encoding="utf-8")
    assert m.register_subject("aurum.scenario.request.v1-key", key) > 0
    monkeypatch.chdir(tmp_path)  # no contracts file here
    missing, _ = _with(enforce_contracts=True, fail_on_missing_contract=True)
    with pytest.raises(ConfigError):
        missing.register_subject("a-value", INT_ID)
