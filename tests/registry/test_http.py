"""HttpRegistry against the in-process server: retries, faults, error mapping, older servers,
request counts."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import requests

from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.errors import (
    IncompatibleSchemaError,
    RegistryError,
    SchemaRegistryConnectionError,
    SubjectNotFoundError,
)
from aurum_sr.model import CompatibilityLevel, Mode
from aurum_sr.registry.http import EndpointMissingError, HttpRegistry
from aurum_sr.registry.http.session import open_session
from aurum_sr.registry.http.transport import Transport
from aurum_sr.registry.retry import RetryPolicy
from aurum_sr.secrets import Secret
from aurum_sr.testing import RegistryServer, ServerOptions
from tests.factories import FAST_RETRY
from tests.registry.helpers import ADDRESS, V1, V2, V3, with_address


def client(url: str, **kwargs: object) -> HttpRegistry:
    config = SchemaRegistryConfig(base_url=url, timeout_seconds=2.0, **kwargs)  # type: ignore[arg-type]
    return HttpRegistry(config, policy=FAST_RETRY)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408, 429])
def test_retryable_status_then_success(registry_server: RegistryServer, status: int) -> None:
    reg = client(registry_server.url)
    registry_server.fail_next(status, times=2)
    assert reg.list_subjects() == []
    assert registry_server.request_count == 3
    assert reg.request_count == 3


def test_retry_after_is_honoured(registry_server: RegistryServer) -> None:
    reg = client(registry_server.url)
    registry_server.fail_next(429, retry_after=0.3)
    start = time.monotonic()
    reg.list_subjects()
    assert time.monotonic() - start >= 0.3


def test_connection_reset_is_retried(registry_server: RegistryServer) -> None:
    reg = client(registry_server.url)
    reg.register("a-value", V1)
    before = registry_server.request_count
    registry_server.drop_next()
    assert reg.list_versions("a-value") == [1]
    assert registry_server.request_count - before == 2


def test_register_is_retried_after_a_server_error(registry_server: RegistryServer) -> None:
    reg = client(registry_server.url)
    registry_server.fail_next(503, method="POST")
    assert reg.register("a-value", V1).version == 1


def test_slow_answers_time_out_then_fail_clearly(registry_server: RegistryServer) -> None:
    config = SchemaRegistryConfig(base_url=registry_server.url, timeout_seconds=0.2)
    reg = HttpRegistry(config, policy=RetryPolicy(3, 5.0, 0.01, 0.02))
    registry_server.slow_next(1.0, times=10)
    with pytest.raises(SchemaRegistryConnectionError) as info:
        reg.list_subjects()
    assert registry_server.url in str(info.value)
    assert "did not answer" in str(info.value)
    assert registry_server.request_count == 3


def test_slow_then_fast_succeeds(registry_server: RegistryServer) -> None:
    config = SchemaRegistryConfig(base_url=registry_server.url, timeout_seconds=0.2)
    reg = HttpRegistry(config, policy=FAST_RETRY)
    registry_server.slow_next(1.0)
    assert reg.list_subjects() == []


def test_persistent_failure_names_the_registry(registry_server: RegistryServer) -> None:
    reg = client(registry_server.url)
    registry_server.fail_next(503, times=100)
    with pytest.raises(SchemaRegistryConnectionError) as info:
        reg.list_subjects()
    assert info.value.http_status == 503
    assert registry_server.url in str(info.value)
    assert registry_server.request_count == FAST_RETRY.max_attempts


def test_total_retry_time_is_capped(registry_server: RegistryServer) -> None:
    reg = HttpRegistry(
        SchemaRegistryConfig(base_url=registry_server.url), policy=RetryPolicy(100, 0.3, 0.05, 0.1)
    )
    registry_server.fail_next(503, times=1000)
    start = time.monotonic()
    with pytest.raises(SchemaRegistryConnectionError):
        reg.list_subjects()
    assert time.monotonic() - start < 1.0


def test_unreachable_registry() -> None:
    with RegistryServer() as gone:
        url = gone.url
    reg = client(url)
    with pytest.raises(SchemaRegistryConnectionError) as info:
        reg.list_subjects()
    assert url in str(info.value)
    assert reg.status().reachable is False


@pytest.mark.parametrize("status", [404, 409, 422])
def test_client_errors_are_not_retried(registry_server: RegistryServer, status: int) -> None:
    reg = client(registry_server.url)
    registry_server.fail_next(status, method="POST")
    with pytest.raises(RegistryError):
        reg.register("a-value", V1)
    assert registry_server.request_count == 1


def test_409_is_incompatible_whatever_the_error_code(registry_server: RegistryServer) -> None:
    reg = client(registry_server.url)
    registry_server.fail_next(409, method="POST")  # error_code 409, the pre-8.0.4 spelling
    with pytest.raises(IncompatibleSchemaError) as info:
        reg.register("a-value", V1)
    assert info.value.subject == "a-value"
    assert "a-value" in str(info.value)


def test_framework_404_is_not_subject_not_found(registry_server: RegistryServer) -> None:
    reg = client(registry_server.url)
    with pytest.raises(EndpointMissingError) as info:
        Transport(SchemaRegistryConfig(base_url=registry_server.url), policy=FAST_RETRY).get(
            "/no/such/endpoint"
        )
    assert not isinstance(info.value, SubjectNotFoundError)
    with pytest.raises(SubjectNotFoundError):
        reg.list_versions("missing")


LEGACY = ServerOptions(
    server_version="5.5.1",
    bulk_listing=False,
    deleted_flag=False,
    subject_setting_codes=False,
    metadata_endpoint=False,
    combined_compatibility=False,
    register_returns_version=False,
)


def _populate(reg: HttpRegistry) -> None:
    reg.register("t.Address", ADDRESS)
    reg.register("a-value", V1)
    reg.register("a-value", V2)
    reg.delete_version("a-value", 2)
    reg.register("a-value", V3)
    reg.register("b-value", with_address())
    reg.set_compatibility(CompatibilityLevel.FULL, "b-value")
    reg.set_mode(Mode.READONLY, "b-value")
    reg.register("gone-value", V1)
    reg.delete_subject("gone-value")
    reg.register("z-value", V1)


@pytest.mark.parametrize(
    "options",
    [
        LEGACY,
        ServerOptions(deleted_flag=False),  # CP 6.1–7.x: bulk listing, no deleted flag
        ServerOptions(server_version="8.1.0"),
    ],
    ids=["cp5.5", "cp7", "cp8"],
)
def test_read_state_is_the_same_on_every_server_generation(options: ServerOptions) -> None:
    with RegistryServer(options=options) as old, RegistryServer() as new:
        states = []
        for srv in (old, new):
            reg = client(srv.url)
            _populate(reg)
            state = reg.read_state(
                ["a-value", "b-value", "gone-value", "t.Address", "never-value"],
                list_prefixes=[""],
            )
            states.append(state)
        a, b = states
        assert a.subjects == b.subjects
        assert a.other_subjects == b.other_subjects == ("z-value",)
        assert [v.deleted for v in a.subjects["a-value"].versions] == [False, True, False]
        assert a.subjects["gone-value"].exists is False
        assert a.subjects["b-value"].mode is Mode.READONLY


def test_older_server_fallbacks_for_status_and_compatibility() -> None:
    with RegistryServer(options=LEGACY) as old:
        reg = client(old.url)
        _populate(reg)
        status = reg.status()
        assert status.reachable and status.server_version is None
        assert (status.total_subjects, status.total_schemas) == (4, 4)  # V2 is soft-deleted
        assert reg.test_compatibility("a-value", V3).is_compatible
        assert reg.get_compatibility("a-value") is None
        assert reg.get_mode("a-value") is None
        assert reg.register("a-value", V3).version == 3  # id-only register answer


def test_read_state_request_budget() -> None:
    subjects = [f"aurum.s{i}-value" for i in range(20)]
    with RegistryServer() as srv:
        reg = client(srv.url)
        for s in subjects:
            reg.register(s, V1)  # one schema shared by every subject
        srv.reset_requests()
        before = reg.request_count
        state = reg.read_state(subjects, list_prefixes=["aurum."], modes_for=())
        used = reg.request_count - before
        assert len(state.subjects) == 20
        assert used <= len(subjects) + 10
        assert sum(1 for m, p in srv.requests if p.startswith("/schemas/ids")) == 0
        # The shared schema is cached by id: resolving it costs nothing.
        assert reg.get_schema_by_id(state.subjects[subjects[0]].versions[0].schema_id)
        assert reg.request_count - before == used


def test_read_state_on_legacy_server_reads_per_subject() -> None:
    with RegistryServer(options=LEGACY) as srv:
        reg = client(srv.url)
        reg.register("aurum.a-value", V1)
        srv.reset_requests()
        reg.read_state(["aurum.a-value", "aurum.b-value"], modes_for=())
        paths = [p for _, p in srv.requests]
        assert any(p.startswith("/schemas?") for p in paths)  # tried once
        assert not any(p.startswith("/subjects/aurum.b-value/versions") for p in paths)
        srv.reset_requests()
        reg.read_state(["aurum.a-value"], modes_for=())
        assert not any(p.startswith("/schemas?") for p in (p for _, p in srv.requests))


def test_basic_auth_from_config_and_from_url() -> None:
    options = ServerOptions(basic_auth=("alice", "s3cr3t-pw"))
    with RegistryServer(options=options) as srv:
        ok = client(srv.url, username="alice", password=Secret("s3cr3t-pw"))
        assert ok.list_subjects() == []
        in_url = client(srv.url.replace("http://", "http://alice:s3cr3t-pw@"))
        assert in_url.list_subjects() == []
        assert "s3cr3t-pw" not in in_url.name
        wrong = client(srv.url, username="alice", password=Secret("nope-pw"))
        with pytest.raises(RegistryError) as info:
            wrong.list_subjects()
        assert info.value.http_status == 401
        assert "nope-pw" not in str(info.value)
        assert srv.request_count == 3  # 401 is not retried


def test_bearer_token_and_extra_headers() -> None:
    with RegistryServer(options=ServerOptions(bearer_token="tok-123")) as srv:
        reg = client(srv.url, bearer_token=Secret("tok-123"), extra_headers=(("X-Team", "a"),))
        assert reg.list_subjects() == []


def test_basic_and_bearer_together_is_a_config_error() -> None:
    from aurum_sr.errors import ConfigError

    with pytest.raises(ConfigError):
        client(
            "http://127.0.0.1:1",
            username="u",
            password=Secret("p"),
            bearer_token=Secret("t"),
        )


def test_servers_without_modes_or_paging_still_read() -> None:
    odd = ServerOptions(mode_endpoints=False, honours_paging=False)
    with RegistryServer(options=odd) as srv:
        reg = client(srv.url)
        reg.register("a-value", V1)
        reg.register("b-value", V2)
        state = reg.read_state(["a-value", "b-value"], list_prefixes=[""])
        assert state.global_mode is Mode.READWRITE
        assert state.subjects["a-value"].mode is None
        assert [v.version for v in state.subjects["b-value"].versions] == [1]
        pages = [p for m, p in srv.requests if p.startswith("/schemas?")]
        assert len(pages) == 2  # the second page repeats the first: stop there


def http_session(url: str, **kwargs: Any) -> requests.Session:
    return open_session(SchemaRegistryConfig(base_url=url, **kwargs)).http


def test_tls_settings_reach_the_session(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    session = http_session(
        "https://registry.example:8081",
        ca_bundle="/etc/ca.pem",
        client_cert="/etc/client.pem",
        client_key="/etc/client.key",
    )
    assert session.verify == "/etc/ca.pem"
    assert session.cert == ("/etc/client.pem", "/etc/client.key")
    assert http_session("https://registry.example").verify is True
    assert http_session("https://r.example", ssl_verify=False).verify is False


def test_environment_settings_are_read_once_for_the_registry_host(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/env/ca.pem")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine registry.example login netrc-user password netrc-pass\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))

    session = http_session("https://registry.example")
    assert session.trust_env is False  # no per-request re-reading of the environment
    assert session.verify == "/env/ca.pem"
    assert session.proxies["https"] == "http://proxy.example:3128"
    assert session.auth == ("netrc-user", "netrc-pass")

    assert "https" not in http_session("https://internal.example").proxies  # NO_PROXY
    configured = http_session("https://registry.example", ca_bundle="/etc/ca.pem")
    assert configured.verify == "/etc/ca.pem"  # the configuration wins
    assert http_session("https://registry.example", ssl_verify=False).verify is False
    token = http_session("https://registry.example", bearer_token=Secret("t0ken"))
    assert token.auth is None  # a bearer token is not joined by netrc credentials


def test_subjects_are_one_percent_encoded_path_segment(registry_server: RegistryServer) -> None:
    reg = client(registry_server.url)
    reg.register("team/orders:v1 x", V1)
    assert ("POST", "/subjects/team%2Forders%3Av1%20x/versions") in registry_server.requests
    assert reg.get_version("team/orders:v1 x", 1).subject == "team/orders:v1 x"


def test_tls_failure_is_not_retried_and_says_so(registry_server: RegistryServer) -> None:
    reg = client(registry_server.url.replace("http://", "https://"))  # a plain-HTTP server
    with pytest.raises(SchemaRegistryConnectionError) as info:
        reg.list_subjects()
    assert "TLS handshake" in str(info.value)
    assert reg.request_count == 1


def test_read_state_reads_subjects_concurrently_within_the_bound() -> None:
    subjects = [f"aurum.s{i}-value" for i in range(12)]
    with RegistryServer(options=ServerOptions(latency=0.02)) as srv:
        reg = HttpRegistry(SchemaRegistryConfig(base_url=srv.url, max_workers=4), policy=FAST_RETRY)
        reg.read_state(subjects, modes_for=())
        assert 1 < srv.max_in_flight <= 4
