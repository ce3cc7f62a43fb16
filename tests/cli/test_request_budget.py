"""Request budgets: what `plan` and `apply` may send, counted by the in-process server.

A registry's limit is what it answers; every avoided request counts on a rate-limited one.
Creating N subjects costs the registrations and the listing pages that confirm them (or, on a
registry without the bulk listing, one read-back each); a no-change run sends only the listing and
the settings the contracts manage.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_OK
from aurum_sr.testing import RegistryServer, ServerOptions

N = 40


def write_repo(root: Path, count: int, *, compatibility: str | None = None) -> Path:
    """A repository of ``count`` topic-value subjects; the contracts manage no mode, and a level
    only when ``compatibility`` is given."""
    lines = ["format_version: 1", "defaults:", "  owner: team@aurum.example"]
    if compatibility is not None:
        lines.append(f"  compatibility: {compatibility}")
    lines += ["  owned_prefixes: [aurum.]", "  lint:", "    missing-doc: off", "subjects:"]
    (root / "schemas").mkdir(parents=True, exist_ok=True)
    for i in range(count):
        lines += [
            f"  - subject: aurum.t{i:03}-value",
            f"    schema: schemas/t{i:03}.avsc",
            f"    topic: aurum.t{i:03}",
            "    role: value",
        ]
        schema = {
            "type": "record",
            "name": f"T{i}",
            "namespace": "aurum",
            "fields": [{"name": "id", "type": "string"}],
        }
        (root / "schemas" / f"t{i:03}.avsc").write_text(json.dumps(schema), encoding="utf-8")
    (root / "contracts").mkdir(exist_ok=True)
    (root / "contracts" / "contracts.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def kinds(requests: list[tuple[str, str]]) -> Counter[str]:
    found: Counter[str] = Counter()
    for method, target in requests:
        path = target.split("?", 1)[0]
        if path.startswith("/config/"):
            found["subject config"] += 1
        elif path.startswith("/mode/"):
            found["subject mode"] += 1
        elif method == "POST" and path.endswith("/versions"):
            found["register"] += 1
        elif method == "POST" and path.startswith("/subjects/"):
            found["read-back"] += 1
        elif method == "GET" and path == "/schemas":
            found["listing"] += 1
        else:
            found["other"] += 1
    return found


@pytest.fixture(params=[True, False], ids=["register-answers-version", "register-answers-id"])
def server(request: pytest.FixtureRequest) -> Iterator[RegistryServer]:
    options = ServerOptions(register_returns_version=request.param)
    with RegistryServer(options=options) as running:
        yield running


def run(*args: str) -> None:
    assert main(list(args)) == EXIT_OK


def test_creating_n_subjects_costs_registrations_read_backs_and_the_listing(
    server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(write_repo(tmp_path, N))
    run("apply", "--root", root, "--registry", server.url, "--auto-approve", "--format", "json")
    found = kinds(server.requests)
    assert found["register"] == N
    assert found["read-back"] <= N
    assert found["subject config"] == found["subject mode"] == 0, found
    assert server.request_count <= 2 * N + 10, found
    assert len(json.loads(capsys.readouterr().out)["steps"]) == N


def test_with_the_bulk_listing_registrations_are_confirmed_by_its_pages(
    server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(write_repo(tmp_path, N))
    run("apply", "--root", root, "--registry", server.url, "--auto-approve", "--format", "json")
    found = kinds(server.requests)
    # The plan's two reads (global settings and listing each) and capability discovery, then
    # the confirming listing's pages: no read-back one by one.
    assert found["register"] == N and found["read-back"] == 0, found
    assert found["listing"] <= 4 and found["other"] <= 6, found
    assert server.request_count <= N + 10, found
    steps = json.loads(capsys.readouterr().out)["steps"]
    assert {(s["status"], s["version"]) for s in steps} == {("done", 1)}


def test_without_the_bulk_listing_each_registration_is_read_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(write_repo(tmp_path, N))
    with RegistryServer(options=ServerOptions(bulk_listing=False)) as server:
        run("apply", "--root", root, "--registry", server.url, "--auto-approve")
        found = kinds(server.requests)
        assert found["register"] == found["read-back"] == N, found
        assert server.request_count <= 2 * N + 10, found
    assert "Apply complete" in capsys.readouterr().out


def test_a_no_change_apply_sends_only_the_plan_reads(
    server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(write_repo(tmp_path, N, compatibility="BACKWARD"))
    run("apply", "--root", root, "--registry", server.url, "--auto-approve")
    server.reset_requests()
    run("plan", "--root", root, "--registry", server.url, "--detailed-exitcode")
    planned = sorted(server.requests)
    server.reset_requests()
    run("apply", "--root", root, "--registry", server.url, "--auto-approve")
    assert sorted(server.requests) == planned
    # The managed levels are all it reads per subject: one config each, no mode.
    assert kinds(planned)["subject config"] == N and kinds(planned)["subject mode"] == 0
    assert "nothing to do" in capsys.readouterr().out


def test_a_no_change_plan_over_unmanaged_levels_and_modes_reads_the_listing_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(write_repo(tmp_path, N))
    with RegistryServer() as server:
        run("apply", "--root", root, "--registry", server.url, "--auto-approve")
        server.reset_requests()
        run("plan", "--root", root, "--registry", server.url, "--detailed-exitcode")
        assert server.request_count <= 10, server.requests
        assert kinds(server.requests)["listing"] >= 1
    assert "No changes." in capsys.readouterr().out
