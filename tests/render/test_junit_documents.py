"""`--format junit` for validate, check (OLD NEW and --against) and drift, through the commands:
one suite, the right cases failed with the right type, valid XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_CHANGES, EXIT_ERROR, EXIT_INCOMPATIBLE, EXIT_OK
from aurum_sr.scaffold import init
from aurum_sr.testing import RegistryServer
from tests.gitrepos import commit_all, new_repo, record

ORDER = "schemas/example/order.avsc"
ID = {"name": "order_id", "type": "string"}
NOTE = {"name": "note", "type": "string"}


def suite(capsys: pytest.CaptureFixture[str]) -> ET.Element:
    out = capsys.readouterr().out
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    (element,) = ET.fromstring(out.encode()).findall("testsuite")
    return element


def cases(element: ET.Element) -> dict[str, str | None]:
    """Case name -> failure type (None: passed)."""
    found: dict[str, str | None] = {}
    for case in element.findall("testcase"):
        failure = case.find("failure")
        found[case.attrib["name"]] = None if failure is None else failure.attrib["type"]
    return found


def test_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    init(tmp_path)
    assert main(["validate", "--root", str(tmp_path), "--format", "junit"]) == EXIT_OK
    element = suite(capsys)
    assert cases(element) == {"example.orders.v1-value": None}
    (tmp_path / ORDER).write_text('{"type": "record", "name": "Order", "fields": [}')
    assert main(["validate", "--root", str(tmp_path), "--format", "junit"]) == EXIT_ERROR
    element = suite(capsys)
    assert cases(element) == {ORDER: "invalid"}
    assert element.attrib["failures"] == "1"
    failure = element.find("testcase/failure")
    assert failure is not None and failure.attrib["message"].startswith(f"{ORDER}:1:")


def test_check_old_new(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.avsc", tmp_path / "new.avsc"
    old.write_text(record("Order", ID))
    new.write_text(record("Order", ID, NOTE))
    assert main(["check", str(old), str(new), "--format", "junit"]) == EXIT_INCOMPATIBLE
    element = suite(capsys)
    assert cases(element) == {str(new): "incompatible"}
    failure = element.find("testcase/failure")
    assert failure is not None and "note" in failure.attrib["message"]
    assert main(["check", str(new), str(new), "--format", "junit"]) == EXIT_OK
    assert cases(suite(capsys)) == {str(new): None}


def test_check_against(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = new_repo(tmp_path / "repo")
    init(repo)
    commit_all(repo, "first")
    (repo / ORDER).write_text(record("Order", ID, NOTE))
    args = ["check", "--against", "HEAD", "--root", str(repo), "--format", "junit"]
    assert main(args) == EXIT_INCOMPATIBLE
    element = suite(capsys)
    assert cases(element) == {"example.orders.v1-value": "incompatible"}
    assert {p.get("name") for p in element.iter("property")} == {"ref", "commit"}


def test_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    init(tmp_path)
    with RegistryServer() as registry:
        drift = ["drift", "--root", str(tmp_path), "--registry", registry.url, "--format", "junit"]
        assert main(drift) == EXIT_CHANGES
        assert cases(suite(capsys)) == {"example.orders.v1-value": "drift"}
        apply = ["apply", "--auto-approve", "--root", str(tmp_path), "--registry", registry.url]
        assert main([*apply, "--format", "json"]) == EXIT_OK
        capsys.readouterr()
        assert main(drift) == EXIT_OK
        assert cases(suite(capsys)) == {"registry matches the contracts": None}
