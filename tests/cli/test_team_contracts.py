"""Contracts across several files, end to end: a main contracts file including two teams' files,
through validate, plan (the in-process server over a real socket), check --against a git ref,
import --merge and codegen. Every command sees the union."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_INCOMPATIBLE, EXIT_OK
from aurum_sr.model import Schema
from aurum_sr.testing import RegistryServer
from tests.gitrepos import commit_all, git, new_repo, record

MAIN = """\
format_version: 1
defaults:
  compatibility: BACKWARD
  owner: platform@example
  naming_strategy: record
include:
  - contracts/teams/*.yml
subjects:
  - subject: example.common.Money
    schema: schemas/common/money.avsc
"""
ORDERS = """\
format_version: 1
subjects:
  - subject: example.orders.Order
    schema: schemas/orders/order.avsc
    owner: orders@example
    references:
      - name: example.common.Money
        subject: example.common.Money
"""
WEATHER = """\
format_version: 1
subjects:
  - subject: example.weather.Reading
    schema: schemas/weather/reading.avsc
    owner: weather@example
"""
MONEY = record("Money", {"name": "cents", "type": "long"}, namespace="example.common")
ORDER_FIELDS = [{"name": "id", "type": "string"}, {"name": "total", "type": "example.common.Money"}]
READING_FIELDS = [{"name": "celsius", "type": "double"}]
READING = record("Reading", *READING_FIELDS, namespace="example.weather")


def _write(root: Path) -> Path:
    files = {
        "contracts/contracts.yml": MAIN,
        "contracts/teams/orders.yml": ORDERS,
        "contracts/teams/weather.yml": WEATHER,
        "schemas/common/money.avsc": MONEY,
        "schemas/orders/order.avsc": record("Order", *ORDER_FIELDS),
        "schemas/weather/reading.avsc": READING,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = _write(new_repo(tmp_path / "repo"))
    commit_all(root, "contracts in three files")
    return root


SUBJECTS = ("example.common.Money", "example.orders.Order", "example.weather.Reading")


def test_validate_plan_and_codegen_see_every_file(
    repo: Path, registry_server: RegistryServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--root", str(repo), "--format", "json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["subjects"] == list(SUBJECTS)

    plan = ["plan", "--root", str(repo), "--registry", registry_server.url]
    assert main(plan) == EXIT_OK
    out = capsys.readouterr().out
    assert "Plan: 3 to create, 0 to update, 0 to delete, 0 blocked." in out
    assert "+ example.weather.Reading  create subject (register v1)" in out

    models = repo / "models.py"
    assert main(["codegen", "--out", str(models), "--root", str(repo)]) == EXIT_OK
    text = models.read_text()
    assert "class Reading" in text and "class Order" in text and "class Money" in text


def test_check_against_a_ref_reads_the_refs_team_files(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(repo, "switch", "-q", "-c", "feature")
    required = {"name": "station", "type": "string"}  # no default: breaks BACKWARD
    (repo / "schemas/weather/reading.avsc").write_text(
        record("Reading", *READING_FIELDS, required, namespace="example.weather")
    )
    # The orders team moves its subject into its own second file: not a new subject.
    (repo / "contracts/teams/orders.yml").write_text("format_version: 1\nsubjects:\n")
    (repo / "contracts/teams/orders-more.yml").write_text(ORDERS)
    assert main(["check", "--against", "main", "--root", str(repo), "--format", "json"]) == (
        EXIT_INCOMPATIBLE
    )
    report = json.loads(capsys.readouterr().out)
    assert [(s["subject"], s["status"], s["compatible"]) for s in report["subjects"]] == [
        ("example.weather.Reading", "changed", False)
    ]


def test_import_merge_keeps_the_team_files_subjects(
    repo: Path, registry_server: RegistryServer, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = registry_server.engine
    assert engine is not None
    engine.register("example.weather.Reading", Schema(READING))
    engine.register(
        "example.billing.Invoice",
        Schema(record("Invoice", {"name": "n", "type": "int"}, namespace="example.billing")),
    )
    before = (repo / "contracts/teams/weather.yml").read_text()
    args = ["import", "--registry", registry_server.url, "--root", str(repo), "--merge"]
    assert main(args) == EXIT_OK
    printed = capsys.readouterr().out
    assert "imported 1 subject(s)" in printed
    main_text = (repo / "contracts/contracts.yml").read_text()
    assert "subject: example.billing.Invoice" in main_text
    assert "example.weather.Reading" not in main_text  # listed by the weather team's file
    assert (repo / "contracts/teams/weather.yml").read_text() == before


def test_a_subject_in_two_files_names_both_places(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "contracts/teams/weather.yml").write_text(WEATHER + ORDERS.split("subjects:\n")[1])
    assert main(["validate", "--root", str(repo)]) == EXIT_ERROR
    err = capsys.readouterr()
    text = err.out + err.err
    assert "contracts/teams/weather.yml:6" in text
    assert "first in contracts/teams/orders.yml:3" in text
    assert "Traceback" not in text
