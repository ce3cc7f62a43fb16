"""Hostile or broken local input (issue #13): each case exits 1 with a located message, never 70,
never a hang. Test names carry the issue's item number."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_OK
from tests.desired.repos import GEO, HEAD, write_repo
from tests.e2e.helpers import REPO, snapshot_copy

DEEP = '{"type": "record", "name": "Deep", "fields": [], "x": ' + "[" * 1200 + "]" * 1200 + "}"
HUGE_INT = '{"type": "record", "name": "Big", "fields": [], "x": ' + "9" * 5000 + "}"


def _validate(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["validate", "--root", str(root)])
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert code == EXIT_ERROR, out
    assert "Traceback" not in out and "unexpected error" not in out
    return out


@pytest.mark.parametrize(
    ("text", "says"),
    [(DEEP, "nested more than 100 deep"), (HUGE_INT, "integer of 5,000 digits")],
    ids=["deep", "huge-int"],
)
def test_item05_deep_json_and_huge_integers_in_avsc_are_located_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, says: str
) -> None:
    root = write_repo(tmp_path, HEAD, {"schemas/geo.avsc": text})
    out = _validate(root, capsys)
    assert "schemas/geo.avsc:1:" in out and says in out


def test_item05_json_depth_limit_is_configurable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    nested = dict(GEO, x=[[[[["deep"]]]]])
    root = write_repo(tmp_path, HEAD, {"schemas/geo.avsc": nested})
    assert main(["validate", "--root", str(root)]) == EXIT_OK
    monkeypatch.setenv("AURUM_SR_MAX_JSON_DEPTH", "4")
    assert "nested more than 4 deep" in _validate(root, capsys)


def test_item05_huge_integer_in_contracts_yml_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_repo(tmp_path, HEAD + "    x: " + "9" * 5000 + "\n")
    out = _validate(root, capsys)
    assert "contracts/contracts.yml:6:" in out and "over the limit" in out


@pytest.mark.parametrize("text", [DEEP, HUGE_INT.replace('"Big", "fields": [], ', '"Big", ')])
def test_item05_deep_or_huge_saved_plans_and_snapshots_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    assert main(["show", str(bad)]) == EXIT_ERROR
    assert main(["plan", "--root", str(REPO), "--registry", f"file:{bad}"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "Traceback" not in err and "unexpected error" not in err
    assert err.count("line 1, column") == 2, err


def test_item05_check_refuses_deep_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old.avsc"
    old.write_text(json.dumps(GEO), encoding="utf-8")
    new = tmp_path / "new.avsc"
    new.write_text(DEEP, encoding="utf-8")
    assert main(["check", str(old), str(new)]) == EXIT_ERROR
    assert "nested more than 100 deep" in capsys.readouterr().err


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_item07_nan_and_infinity_in_avsc_are_refused_at_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], constant: str
) -> None:
    text = json.dumps(dict(GEO, fields=[{"name": "x", "type": "double", "default": 0}]))
    text = text.replace('"default": 0', f'"default": {constant}')
    root = write_repo(tmp_path, HEAD, {"schemas/geo.avsc": text})
    out = _validate(root, capsys)
    assert "schemas/geo.avsc:1:" in out
    assert "NaN or Infinity" in out or "become Infinity" in out


def test_item13_yaml_complex_key_holding_a_mapping_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_repo(tmp_path, HEAD + "? [{a: 1}]\n: 1\n")
    out = _validate(root, capsys)
    assert "contracts/contracts.yml:6:3" in out and "mapping key must be a plain value" in out


def test_item18_fifo_schema_file_is_not_called_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_repo(tmp_path, HEAD)
    (root / "schemas" / "geo.avsc").unlink()
    os.mkfifo(root / "schemas" / "geo.avsc")
    out = _validate(root, capsys)
    assert "named pipe (FIFO), not a regular file" in out
    assert "does not exist" not in out and "did you mean" not in out


def test_item18_symlink_loop_schema_file_is_not_called_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_repo(tmp_path, HEAD)
    (root / "schemas" / "geo.avsc").unlink()
    (root / "schemas" / "geo.avsc").symlink_to(root / "schemas" / "geo.avsc")
    out = _validate(root, capsys)
    assert "did you mean" not in out
    assert "symbolic link loop" in out or "outside" in out or "loop" in out, out


def test_item18_non_utf8_contracts_is_not_filed_as_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_repo(tmp_path, HEAD)
    (root / "contracts" / "contracts.yml").write_bytes(HEAD.encode() + b"# caf\xe9\n")
    out = _validate(root, capsys)
    assert "error[unreadable-file]" in out and "not UTF-8" in out
    assert "missing-file" not in out


def test_item19_duplicate_keys_in_avsc_are_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = json.dumps(GEO, indent=2).replace('"doc": "A point.",', '"doc": "A.",\n  "doc": "B.",')
    root = write_repo(tmp_path, HEAD, {"schemas/geo.avsc": text})
    out = _validate(root, capsys)
    assert "appears twice" in out and '"doc"' in out
    assert "schemas/geo.avsc:6:" in out, out


def test_item20_contracts_fifo_is_refused_without_hanging(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_repo(tmp_path, HEAD)
    (root / "contracts" / "contracts.yml").unlink()
    os.mkfifo(root / "contracts" / "contracts.yml")  # opening it for reading would block
    out = _validate(root, capsys)
    assert "named pipe (FIFO), not a regular file" in out


def test_item20_check_refuses_a_device_and_oversized_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "old.avsc"
    old.write_text(json.dumps(GEO), encoding="utf-8")
    assert main(["check", str(old), "/dev/zero"]) == EXIT_ERROR
    assert "is a device, not a regular file" in capsys.readouterr().err
    monkeypatch.setenv("AURUM_SR_MAX_INPUT_BYTES", "10")
    assert main(["check", str(old), str(old)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "over the limit of 10" in err and "AURUM_SR_MAX_INPUT_BYTES" in err


def test_item20_oversized_snapshot_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = snapshot_copy(tmp_path)
    monkeypatch.setenv("AURUM_SR_MAX_INPUT_BYTES", "100")
    assert main(["plan", "--root", str(REPO), "--registry", f"file:{snapshot}"]) == EXIT_ERROR
    assert "over the limit of 100" in capsys.readouterr().err


def test_item18_deeply_nested_valid_schema_gives_a_short_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    inner: object = "int"
    for _ in range(400):
        inner = {"type": "array", "items": inner}
    schema = dict(GEO, fields=[{"name": "a", "doc": "d", "type": inner}])
    root = write_repo(tmp_path, HEAD, {"schemas/geo.avsc": json.dumps(schema)})
    out = _validate(root, capsys)
    assert "nested more than 100 deep" in out and len(out) < 1000
    monkeypatch.setenv("AURUM_SR_MAX_JSON_DEPTH", "500")  # past our limit: the parser's own
    out = _validate(root, capsys)
    assert "schemas/geo.avsc:1:" in out and len(out) < 2000, len(out)


def test_item22_a_contracts_file_over_its_limit_names_the_file_and_the_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_repo(tmp_path, HEAD)
    size = (root / "contracts" / "contracts.yml").stat().st_size
    monkeypatch.setenv("AURUM_SR_MAX_CONTRACTS_BYTES", str(size - 1))
    out = _validate(root, capsys)
    assert "contracts/contracts.yml" in out and "unreadable-file" in out
    assert f"over the limit of {size - 1:,} (AURUM_SR_MAX_CONTRACTS_BYTES)" in out
    assert "raise AURUM_SR_MAX_CONTRACTS_BYTES" in out
    monkeypatch.setenv("AURUM_SR_MAX_CONTRACTS_BYTES", str(size))
    assert main(["validate", "--root", str(root)]) == EXIT_OK


def test_item22_the_contracts_limit_is_tighter_than_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """By default a 40 MiB contracts file is refused (about 0.7 GB to read),
    before it is read, while a schema file of that size would still be read."""
    root = write_repo(tmp_path, HEAD)
    with (root / "contracts" / "contracts.yml").open("r+b") as handle:
        handle.truncate(40 * 1024 * 1024)  # sparse: nothing is written or read
    out = _validate(root, capsys)
    assert "contracts/contracts.yml" in out
    assert "over the limit of 33,554,432 (AURUM_SR_MAX_CONTRACTS_BYTES)" in out
