"""One table of registry error codes: what the engine raises, the server answers and the HTTP
client maps back are the same typed error, status, code and message."""

from __future__ import annotations

from typing import Any

import pytest

from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.errors import (
    IncompatibleSchemaError,
    RegistryError,
    SchemaRegistryConnectionError,
    SubjectNotFoundError,
)
from aurum_sr.registry.codes import ERRORS, ErrorCode, ErrorKind, registry_error
from aurum_sr.registry.http import HttpRegistry
from aurum_sr.secrets import Secret
from aurum_sr.testing import RegistryServer
from tests.factories import NO_RETRY
from tests.registry.helpers import V1, record

REFUSALS = [k for k in ERRORS.values() if k.http_status < 500]
SERVER_ERRORS = [k for k in ERRORS.values() if k.http_status >= 500]


def client(url: str, **kwargs: Any) -> HttpRegistry:
    return HttpRegistry(SchemaRegistryConfig(base_url=url, **kwargs), policy=NO_RETRY)


def test_every_code_is_in_the_table_under_its_own_key() -> None:
    assert set(ERRORS) == set(ErrorCode)
    for code, kind in ERRORS.items():
        assert kind.code == code
        assert kind.http_status == (409 if code in (409, 40901) else code // 100)


@pytest.mark.parametrize("kind", REFUSALS, ids=lambda k: str(int(k.code)))
def test_the_client_maps_each_refusal_to_its_typed_error(
    registry_server: RegistryServer, kind: ErrorKind
) -> None:
    registry_server.fail_next(kind.http_status, error_code=kind.code, message="said by registry")
    with client(registry_server.url) as reg, pytest.raises(RegistryError) as info:
        reg.list_versions("a-value")
    error = info.value
    assert type(error) is kind.error
    assert (error.http_status, error.error_code) == (kind.http_status, kind.code)
    assert error.registry_message == "said by registry"
    assert error.hint == kind.hint
    assert "said by registry" in str(error) and "a-value" in str(error)


@pytest.mark.parametrize("kind", SERVER_ERRORS, ids=lambda k: str(int(k.code)))
def test_server_errors_keep_their_code_and_message_after_the_retries(
    registry_server: RegistryServer, kind: ErrorKind
) -> None:
    registry_server.fail_next(kind.http_status, error_code=kind.code, message="leader moved")
    with client(registry_server.url) as reg, pytest.raises(SchemaRegistryConnectionError) as info:
        reg.list_subjects()
    assert (info.value.http_status, info.value.error_code) == (kind.http_status, kind.code)
    assert info.value.registry_message == "leader moved"


@pytest.mark.parametrize(
    "code", [ErrorCode.INCOMPATIBLE_SCHEMA, ErrorCode.INCOMPATIBLE_SCHEMA_40901]
)
def test_both_spellings_of_incompatible_are_one_error(
    registry_server: RegistryServer, code: ErrorCode
) -> None:
    registry_server.fail_next(409, error_code=code, method="POST", message="details: [x]")
    with client(registry_server.url) as reg, pytest.raises(IncompatibleSchemaError) as info:
        reg.register("a-value", V1)
    assert info.value.error_code == code and info.value.registry_message == "details: [x]"


def test_an_engine_error_crosses_the_wire_unchanged(registry_server: RegistryServer) -> None:
    assert registry_server.engine is not None
    registry_server.engine.register("a-value", V1)
    with pytest.raises(IncompatibleSchemaError) as local:
        registry_server.engine.register("a-value", record("Thing", ("id", "int")))
    with client(registry_server.url) as reg, pytest.raises(IncompatibleSchemaError) as remote:
        reg.register("a-value", record("Thing", ("id", "int")))
    assert local.value.registry_message is not None
    assert local.value.registry_message.startswith("Schema being registered is incompatible")
    assert remote.value.registry_message == local.value.registry_message
    assert (remote.value.http_status, remote.value.error_code) == (409, 409)


def test_registry_error_builds_the_table_s_error() -> None:
    error = registry_error(
        ErrorCode.SUBJECT_NOT_FOUND, "Subject 'x' not found", registry="r", subject="x"
    )
    assert isinstance(error, SubjectNotFoundError)
    assert (error.http_status, error.error_code) == (404, 40401)
    assert error.registry_message == "Subject 'x' not found"
    assert error.message == "Subject 'x' not found (subject 'x' in registry r)"


def test_a_framework_error_is_not_read_as_a_registry_code(registry_server: RegistryServer) -> None:
    registry_server.fail_next(422, error_code=422, message="Unrecognized field")
    with client(registry_server.url) as reg, pytest.raises(RegistryError) as info:
        reg.list_subjects()
    assert type(info.value) is RegistryError
    assert info.value.error_code == 422 and info.value.hint is None


def test_the_registry_message_never_carries_a_secret(registry_server: RegistryServer) -> None:
    secret = "s3cr3t-p4ss"
    registry_server.fail_next(422, error_code=42201, message=f"bad schema from user:{secret}")
    reg = client(registry_server.url, username="user", password=Secret(secret))
    with reg, pytest.raises(RegistryError) as info:
        reg.list_subjects()
    assert info.value.registry_message is not None
    assert secret not in info.value.registry_message and secret not in str(info.value)
