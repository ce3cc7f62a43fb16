"""A break approved in git, end to end over a real socket: the plan is blocked and says how to
accept; the approval goes into contracts.yml; the plan passes and shows who accepted it; the
saved plan is applied and the in-process registry holds the new version under its old level."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_INCOMPATIBLE, EXIT_OK
from aurum_sr.model import CompatibilityLevel
from aurum_sr.testing import RegistryServer
from tests.e2e.helpers import http_client

SUBJECT = "aurum.orders-value"
CONTRACTS = (
    "format_version: 1\n"
    "subjects:\n"
    f"  - subject: {SUBJECT}\n"
    "    schema: schemas/order.avsc\n"
    "    topic: aurum.orders\n"
    "    role: value\n"
    "    owner: team@aurum.example\n"
    "    compatibility: BACKWARD\n"
)
V1 = (
    '{"type": "record", "name": "Order", "namespace": "aurum", "doc": "An order.",'
    ' "fields": [{"name": "id", "type": "string", "doc": "Key."}]}'
)
BREAKING = V1.replace('"string"', '"long"')


@pytest.fixture(autouse=True)
def _no_registry_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SCHEMA_REGISTRY_URL", "SCHEMA_REGISTRY_USERNAME", "SCHEMA_REGISTRY_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[RegistryServer]:
    with RegistryServer() as running:
        yield running


def _repo(root: Path) -> Path:
    (root / "contracts").mkdir(parents=True)
    (root / "schemas").mkdir()
    (root / "contracts" / "contracts.yml").write_text(CONTRACTS, encoding="utf-8")
    (root / "schemas" / "order.avsc").write_text(V1, encoding="utf-8")
    return root


def test_plan_blocked_then_approved_in_git_then_applied(
    server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path / "repo")
    base = ["--root", str(root), "--registry", server.url]
    assert main(["apply", *base, "--auto-approve"]) == EXIT_OK
    (root / "schemas" / "order.avsc").write_text(BREAKING, encoding="utf-8")
    capsys.readouterr()

    # Blocked: the terminal says how to accept, with the digest to copy.
    assert main(["plan", *base]) == EXIT_INCOMPATIBLE
    out = capsys.readouterr().out
    assert "blocked: incompatible under BACKWARD" in out
    assert f"to accept this break in git, add under {SUBJECT} in contracts/contracts.yml" in out
    (digest,) = set(re.findall(r"sha256:[0-9a-f]{64}", out))
    assert f"- digest: {digest}" in out
    # ... and so does the pull-request comment, as a YAML block.
    assert main(["plan", *base, "--format", "markdown"]) == EXIT_INCOMPATIBLE
    markdown = capsys.readouterr().out
    assert f"```yaml\naccepted_breaks:\n  - digest: {digest}\n" in markdown

    # The approval, pasted under the subject with who and why filled in.
    with (root / "contracts" / "contracts.yml").open("a", encoding="utf-8") as contracts:
        contracts.write(
            "    accepted_breaks:\n"
            f"      - digest: {digest}\n"
            "        by: jane.doe\n"
            "        reason: every consumer reads ids as long since release 42\n"
        )
    plan_file = tmp_path / "plan.json"
    assert main(["plan", *base, "--out", str(plan_file)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "verdict: incompatible, accepted under BACKWARD" in out
    assert "accepted by jane.doe (contracts/contracts.yml:10:9): every consumer reads" in out
    assert "x Order.id: " in out  # the breaking change is still listed
    saved = json.loads(plan_file.read_text(encoding="utf-8"))
    (subject,) = saved["subjects"]
    assert subject["verdict"]["allowed_by"] == "accepted_in_contracts"
    assert subject["verdict"]["accepted"]["by"] == "jane.doe"

    # Apply the saved plan: the registry takes the break and keeps its level.
    assert main(["apply", str(plan_file), "--registry", server.url]) == EXIT_OK
    assert "Apply complete: 3 step(s) done" in capsys.readouterr().out
    registry = http_client(server.url)
    try:
        assert registry.list_versions(SUBJECT) == [1, 2]
        assert '"long"' in registry.get_version(SUBJECT, 2).schema.schema_str
        assert registry.get_compatibility(SUBJECT) is CompatibilityLevel.BACKWARD
    finally:
        registry.close()

    # Planning again: nothing to do, and the spent approval is pointed out for removal.
    assert main(["plan", *base, "--detailed-exitcode"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "No changes." in out
    assert "the registry already holds what it names as v2" in out


def test_an_approval_for_another_schema_does_not_unblock(
    server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path / "repo")
    base = ["--root", str(root), "--registry", server.url]
    assert main(["apply", *base, "--auto-approve"]) == EXIT_OK
    (root / "schemas" / "order.avsc").write_text(BREAKING, encoding="utf-8")
    with (root / "contracts" / "contracts.yml").open("a", encoding="utf-8") as contracts:
        contracts.write(
            "    accepted_breaks:\n"
            f"      - digest: sha256:{'0' * 64}\n"
            "        by: jane.doe\n"
            "        reason: an earlier review\n"
        )
    capsys.readouterr()
    assert main(["apply", *base, "--auto-approve"]) != EXIT_OK
    captured = capsys.readouterr()
    assert "accepts nothing: it names sha256:0000" in captured.out
    assert "accepted_breaks" in captured.err
    registry = http_client(server.url)
    try:
        assert registry.list_versions(SUBJECT) == [1]
    finally:
        registry.close()
