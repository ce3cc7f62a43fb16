"""A fake GitHub, the job's environment pointing at it, and saved plans to report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from aurum_sr.cli import main
from tests.e2e.helpers import REPO, snapshot_copy
from tests.github.fake_github import FakeGitHub


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        yield fake


@pytest.fixture
def job(github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pull-request job's environment; returns the job summary file."""
    number = github.open_pull_request()
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "pull_request": {"number": number}}))
    summary = tmp_path / "summary.md"
    for name, value in {
        "GITHUB_TOKEN": github.token,
        "GITHUB_REPOSITORY": github.repository,
        "GITHUB_API_URL": github.url,
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_RUN_ID": "4242",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("SCHEMA_REGISTRY_URL", "SCHEMA_REGISTRY_USERNAME", "SCHEMA_REGISTRY_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return summary


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``changes``: the example contracts against the snapshot; ``none``: the same after apply;
    ``drift`` and ``clean``: drift reports before and after."""
    tmp = tmp_path_factory.mktemp("plans")
    snapshot = snapshot_copy(tmp)
    registry = f"file:{snapshot}"
    changes, none = tmp / "changes.json", tmp / "none.json"
    plan = ["plan", "--root", str(REPO), "--registry", registry, "--format", "json"]
    drift, clean = tmp / "drift.json", tmp / "clean.json"
    check = ["drift", "--root", str(REPO), "--registry", registry, "--format", "json"]
    assert main([*plan, "--out", str(changes)]) == 0
    assert main([*check, "--out", str(drift)]) == 2
    assert (
        main(["apply", str(changes), "--allow-delete", "--registry", registry, "--format", "json"])
        == 0
    )
    assert main([*plan, "--out", str(none)]) == 0
    assert main([*check, "--out", str(clean)]) == 0
    return {"changes": changes, "none": none, "drift": drift, "clean": clean}


def outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
