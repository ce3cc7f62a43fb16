"""The seed's CI entry points: `SchemaRegistrationScript` and `scripts/ci/register_schemas.py`,
against the in-process registry server over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aurum_sr.model import CompatibilityLevel
from aurum_sr.registration import (
    RegistrationResult,
    RegistrationStatus,
    SchemaRegistrationScript,
)
from aurum_sr.testing import RegistryServer
from tests.gitrepos import record
from tests.workflows import REPO

ID = {"name": "order_id", "type": "string"}
NOTE = {"name": "note", "type": "string"}
NOTE_DEFAULT = {"name": "note", "type": "string", "default": ""}
SCRIPT = REPO / "scripts" / "ci" / "register_schemas.py"


@pytest.fixture
def schemas(tmp_path: Path) -> Path:
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "order.avsc").write_text(record("Order", ID))
    (folder / "customer.avsc").write_text(record("Customer", ID, namespace="example.crm"))
    return folder


@pytest.fixture
def registry() -> Iterator[RegistryServer]:
    with RegistryServer() as server:
        yield server


def statuses(results: list[RegistrationResult]) -> dict[str, str]:
    return {r.subject: r.status.value for r in results}


def test_dry_run_then_register_then_unchanged(schemas: Path, registry: RegistryServer) -> None:
    script = SchemaRegistrationScript(registry_url=registry.url)
    dry = script.register_schemas_from_directory(schemas, "BACKWARD", dry_run=True)
    assert statuses(dry) == {
        "example.crm.Customer": "would register",
        "example.orders.Order": "would register",
    }
    assert registry.engine is not None and registry.engine.list_subjects() == []
    done = script.register_schemas_from_directory(schemas, CompatibilityLevel.FULL)
    assert {r.status for r in done} == {RegistrationStatus.REGISTERED}
    assert all(r.version == 1 and r.schema_id for r in done)
    assert registry.engine.get_compatibility("example.orders.Order") is CompatibilityLevel.FULL
    again = script.register_schemas_from_directory(schemas, CompatibilityLevel.FULL)
    assert {r.status for r in again} == {RegistrationStatus.UNCHANGED}


def test_an_incompatible_schema_blocks_every_registration(
    schemas: Path, registry: RegistryServer, tmp_path: Path
) -> None:
    script = SchemaRegistrationScript(registry_url=registry.url)
    script.register_schemas_from_directory(schemas, "BACKWARD")
    (schemas / "order.avsc").write_text(record("Order", ID, NOTE))  # no default: breaks
    (schemas / "customer.avsc").write_text(
        record("Customer", ID, NOTE_DEFAULT, namespace="example.crm")
    )
    results = script.register_schemas_from_directory(schemas, "BACKWARD")
    assert statuses(results) == {
        "example.crm.Customer": "not registered",
        "example.orders.Order": "incompatible",
    }
    assert "note" in results[1].message
    assert registry.engine is not None
    assert registry.engine.list_versions("example.crm.Customer") == [1]
    text = script.generate_schema_report(results, tmp_path / "report.json")
    document = json.loads(text)
    assert document["ok"] is False and document["results"][1]["status"] == "incompatible"
    markdown = script.generate_schema_report(results, tmp_path / "report.md")
    assert "| `example.orders.Order` |" in markdown and "incompatible" in markdown


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_script(schemas: Path, registry: RegistryServer, tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    base = ["--schema-dir", str(schemas), "--registry-url", registry.url]
    dry = run(*base, "--dry-run", "--report", str(report))
    assert dry.returncode == 0, dry.stderr
    assert "would register example.orders.Order" in dry.stdout and report.is_file()
    done = run(*base, "--compatibility", "FULL", "--fail-on-error")
    assert done.returncode == 0 and "registered     example.orders.Order v1" in done.stdout
    (schemas / "order.avsc").write_text(record("Order", ID, NOTE))
    assert run(*base, "--compatibility", "FULL").returncode == 0  # reported, not failed
    broken = run(*base, "--compatibility", "FULL", "--fail-on-error")
    assert broken.returncode == 3 and "incompatible   example.orders.Order" in broken.stdout
    bad = run("--schema-dir", str(tmp_path / "missing"), "--registry-url", registry.url)
    assert (
        bad.returncode == 1
        and "holds no .avsc file" in bad.stderr
        or "is not a folder" in bad.stderr
    )
    level = run(*base, "--compatibility", "SOMETIMES")
    assert level.returncode == 1 and "SOMETIMES" in level.stderr and "Traceback" not in level.stderr
