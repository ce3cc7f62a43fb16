"""Flavor presets: named starting points for the server's behaviour."""

from __future__ import annotations

import json

import pytest
import requests

from aurum_sr.errors import NotSupportedError
from aurum_sr.testing import (
    APICURIO,
    CONFLUENT,
    FLAVORS,
    KARAPACE,
    REDPANDA,
    RegistryServer,
    ServerOptions,
    flavor,
)


def test_confluent_is_the_default_server() -> None:
    assert set(FLAVORS) == {"confluent", "karapace", "redpanda", "apicurio"}
    assert CONFLUENT.options() == ServerOptions()


def test_options_add_run_settings_without_touching_the_preset() -> None:
    options = CONFLUENT.options(latency=0.01, port=0, basic_auth=("u", "p"))
    assert (options.latency, options.basic_auth) == (0.01, ("u", "p"))
    assert options.server_version == CONFLUENT.behaviour.server_version
    assert CONFLUENT.behaviour.latency == 0.0 and CONFLUENT.behaviour.basic_auth is None


def test_flavors_are_found_by_name_whatever_the_case() -> None:
    assert flavor(" Confluent ") is CONFLUENT


def test_an_unknown_flavor_is_not_supported_yet_and_names_the_known_ones() -> None:
    with pytest.raises(NotSupportedError) as info:
        flavor("schemaless")
    assert "schemaless" in str(info.value) and "karapace" in str(info.value)


def test_a_confluent_server_says_its_version() -> None:
    with RegistryServer(CONFLUENT.options()) as server:
        meta = requests.get(f"{server.url}/v1/metadata/version", timeout=5).json()
    assert meta["version"] == CONFLUENT.behaviour.server_version


# -- what each imitation answers (docs/registries.md says what each is based on) --------------

SCHEMA = {"type": "record", "name": "R", "fields": [{"type": "string", "name": "b"}]}


def _register(url: str, subject: str, schema: object) -> requests.Response:
    return requests.post(
        f"{url}/subjects/{subject}/versions", json={"schema": json.dumps(schema)}, timeout=5
    )


def test_karapace_reads_modes_but_answers_405_to_setting_them() -> None:
    with RegistryServer(KARAPACE.options()) as server:
        assert _register(server.url, "a-value", SCHEMA).ok
        put = requests.put(f"{server.url}/mode/a-value", json={"mode": "READONLY"}, timeout=5)
        delete = requests.delete(f"{server.url}/mode/a-value", timeout=5)
        read = requests.get(f"{server.url}/mode/a-value", timeout=5)
        unknown = requests.get(f"{server.url}/mode/nobody-value", timeout=5)
        meta = requests.get(f"{server.url}/v1/metadata/version", timeout=5)
    assert (put.status_code, put.json()) == (405, "Method Not Allowed")
    assert delete.status_code == 405
    assert read.json() == {"mode": "READWRITE"}  # no override, yet an answer
    assert unknown.json()["error_code"] == 40401
    assert meta.status_code == 404


def test_karapace_stores_schema_text_with_sorted_keys_and_ignores_listing_parameters() -> None:
    with RegistryServer(KARAPACE.options()) as server:
        _register(server.url, "a-value", SCHEMA)
        _register(server.url, "b-value", SCHEMA)
        stored = requests.get(f"{server.url}/subjects/a-value/versions/1", timeout=5).json()
        listed = requests.get(
            f"{server.url}/schemas", params={"subjectPrefix": "b", "limit": "1"}, timeout=5
        ).json()
    assert stored["schema"] == json.dumps(SCHEMA, sort_keys=True, separators=(",", ":"))
    assert sorted(e["subject"] for e in listed) == ["a-value", "b-value"]


def test_karapace_says_why_an_incompatible_schema_is_refused_without_verbose() -> None:
    other = {"type": "record", "name": "R", "fields": [{"name": "b", "type": "int"}]}
    with RegistryServer(KARAPACE.options()) as server:
        _register(server.url, "a-value", SCHEMA)
        answer = requests.post(
            f"{server.url}/compatibility/subjects/a-value/versions/latest",
            json={"schema": json.dumps(other)},
            timeout=5,
        ).json()
        every = requests.post(
            f"{server.url}/compatibility/subjects/a-value/versions",
            json={"schema": json.dumps(other)},
            timeout=5,
        )
    assert answer["is_compatible"] is False and answer["messages"]
    assert every.status_code == 404  # only the per-version form is served


def test_karapace_answers_50003_to_writes_while_it_starts() -> None:
    with RegistryServer(KARAPACE.options(forwarding_errors=1)) as server:
        first = _register(server.url, "a-value", SCHEMA)
        second = _register(server.url, "a-value", SCHEMA)
    assert (first.status_code, first.json()["error_code"]) == (500, 50003)
    assert second.ok


def test_redpanda_sets_modes_but_has_no_bulk_listing_or_metadata() -> None:
    with RegistryServer(REDPANDA.options()) as server:
        _register(server.url, "a-value", SCHEMA)
        put = requests.put(f"{server.url}/mode/a-value", json={"mode": "READONLY"}, timeout=5)
        schemas = requests.get(f"{server.url}/schemas", timeout=5)
        meta = requests.get(f"{server.url}/v1/metadata/version", timeout=5)
    assert put.ok
    assert (schemas.status_code, meta.status_code) == (404, 404)


def test_apicurio_serves_the_api_under_its_ccompat_path_without_modes() -> None:
    with RegistryServer(APICURIO.options()) as server:
        assert server.url.endswith("/apis/ccompat/v7")
        root = server.url.removesuffix("/apis/ccompat/v7")
        assert _register(server.url, "a-value", SCHEMA).ok
        outside = requests.get(f"{root}/subjects", timeout=5)
        mode = requests.get(f"{server.url}/mode", timeout=5)
    assert outside.status_code == 404
    assert mode.status_code == 404
