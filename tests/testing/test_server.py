"""The in-process registry server speaks the registry's REST API and error bodies."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from aurum_sr.model import Schema
from aurum_sr.testing import RegistryServer, ServerOptions
from tests.registry.helpers import V1

CT = {"Content-Type": "application/vnd.schemaregistry.v1+json"}


def test_fixture_gives_a_running_server(registry_server: RegistryServer) -> None:
    assert registry_server.url.startswith("http://127.0.0.1:")
    assert requests.get(registry_server.url + "/", timeout=5).json() == {}
    assert registry_server.engine is not None
    assert registry_server.request_count == 1


def test_register_and_read_over_the_wire(registry_server: RegistryServer) -> None:
    url = registry_server.url
    answer = requests.post(
        f"{url}/subjects/a-value/versions", json={"schema": V1.schema_str}, headers=CT, timeout=5
    )
    assert answer.status_code == 200
    assert answer.json()["id"] == 1 and answer.json()["version"] == 1
    got = requests.get(f"{url}/subjects/a-value/versions/latest", timeout=5).json()
    assert (got["subject"], got["version"], got["id"]) == ("a-value", 1, 1)
    assert requests.get(f"{url}/schemas/ids/1", timeout=5).json()["schema"] == V1.schema_str
    assert requests.get(f"{url}/subjects", timeout=5).json() == ["a-value"]
    meta = requests.get(f"{url}/v1/metadata/version", timeout=5).json()
    assert meta["version"] == "7.6.1"


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/subjects/missing/versions", 404, 40401),
        ("GET", "/schemas/ids/77", 404, 40403),
        ("GET", "/config/missing", 404, 40408),
        ("GET", "/mode/missing", 404, 40409),
        ("GET", "/no/such/thing", 404, 404),
        ("GET", "/subjects/a/versions/zero", 422, 42202),
        ("PUT", "/config", 422, 42203),
    ],
)
def test_error_bodies(
    registry_server: RegistryServer, method: str, path: str, status: int, code: int
) -> None:
    answer = requests.request(
        method, registry_server.url + path, json={"compatibility": "SIDEWAYS"}, timeout=5
    )
    assert answer.status_code == status
    assert answer.json()["error_code"] == code
    assert answer.json()["message"]


def test_legacy_codes_for_missing_subject_settings() -> None:
    with RegistryServer(options=ServerOptions(subject_setting_codes=False)) as srv:
        assert requests.get(f"{srv.url}/config/x", timeout=5).json()["error_code"] == 40401


def test_fault_on_the_nth_request_and_latency() -> None:
    with RegistryServer(options=ServerOptions(latency=0.05)) as srv:
        srv.fail_request(2, status=503)
        start = time.monotonic()
        codes = [requests.get(f"{srv.url}/subjects", timeout=5).status_code for _ in range(3)]
        assert codes == [200, 503, 200]
        assert time.monotonic() - start >= 0.15


def test_retry_after_header_and_dropped_connection() -> None:
    with RegistryServer() as srv:
        srv.fail_next(429, retry_after=2)
        answer = requests.get(f"{srv.url}/subjects", timeout=5)
        assert answer.status_code == 429 and answer.headers["Retry-After"] == "2"
        srv.drop_next()
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{srv.url}/subjects", timeout=5)


def test_engine_can_be_seeded_directly() -> None:
    with RegistryServer() as srv:
        assert srv.engine is not None
        srv.engine.register("a-value", Schema(V1.schema_str))
        assert requests.get(f"{srv.url}/subjects", timeout=5).json() == ["a-value"]


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_serve_loads_a_snapshot_and_answers_over_http(tmp_path: Path, stop: str) -> None:
    import shutil
    import signal
    import subprocess
    import sys

    snapshot = tmp_path / "snapshot.json"
    shutil.copy(Path(__file__).resolve().parents[2] / "registry" / "snapshot.json", snapshot)
    before = snapshot.read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-m", "aurum_sr.testing", "--snapshot", str(snapshot)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("registry listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1].strip()
        subjects = requests.get(f"{url}/subjects", timeout=5).json()
        assert "aurum.common.GeoLocation" in subjects
        proc.send_signal(getattr(signal, stop))
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    assert snapshot.read_bytes() == before
