"""Injected faults: which requests they meet, how often, and what they answer."""

from __future__ import annotations

import requests

from aurum_sr.testing import Fault, RegistryServer
from aurum_sr.testing.faults import Faults


def test_a_fault_meets_only_matching_requests_and_only_as_often_as_asked() -> None:
    faults = Faults()
    faults.add(Fault("status", method="POST", path="/subjects/a", times=2))
    assert faults.take(1, "GET", "/subjects/a/versions") is None
    assert faults.take(2, "POST", "/config") is None
    assert faults.take(3, "POST", "/subjects/a/versions") is not None
    assert faults.take(4, "POST", "/subjects/a") is not None
    assert faults.take(5, "POST", "/subjects/a") is None


def test_the_first_pending_fault_wins() -> None:
    faults = Faults()
    first, second = Fault("status", 500), Fault("status", 503)
    faults.add(first)
    faults.add(second)
    assert faults.take(1, "GET", "/") is first
    assert faults.take(2, "GET", "/") is second


def test_a_status_fault_answers_a_registry_error_body(registry_server: RegistryServer) -> None:
    registry_server.fail_next(
        500, error_code=50003, message="Error while forwarding the request to the master"
    )
    answer = requests.get(f"{registry_server.url}/subjects", timeout=5)
    assert answer.status_code == 500
    assert answer.json() == {
        "error_code": 50003,
        "message": "Error while forwarding the request to the master",
    }
    registry_server.fail_next(500)
    assert requests.get(f"{registry_server.url}/subjects", timeout=5).json()["error_code"] == 50001
    assert requests.get(f"{registry_server.url}/subjects", timeout=5).status_code == 200


def test_a_path_limited_fault_waits_for_its_path(registry_server: RegistryServer) -> None:
    registry_server.fail_next(503, path="/config")
    assert requests.get(f"{registry_server.url}/subjects", timeout=5).status_code == 200
    assert requests.get(f"{registry_server.url}/config?x=1", timeout=5).status_code == 503
