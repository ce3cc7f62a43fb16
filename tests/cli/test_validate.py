"""`aurum-sr validate` on the example contracts: exit codes, human and JSON output, --debug."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from aurum_sr.cli import main
from tests.desired.repos import HEAD, write_repo

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_example_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--root", str(REPO_ROOT)]) == 0
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1] == "9 subjects valid, 0 warnings"


def test_json_output_is_a_stable_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--root", str(REPO_ROOT), "--format", "json"]) == 0
    first = capsys.readouterr().out
    assert main(["validate", "--root", str(REPO_ROOT), "--format", "json"]) == 0
    assert capsys.readouterr().out == first
    document = json.loads(first)
    assert list(document) == ["diagnostics", "format_version", "subjects", "valid"]
    assert document["format_version"] == 1
    assert document["valid"] is True and document["diagnostics"] == []
    assert document["subjects"] == sorted(document["subjects"])
    assert "aurum.scenario.request.v1-value" in document["subjects"]
    assert first == json.dumps(document, indent=2, sort_keys=True) + "\n"


def test_json_output_lists_diagnostics_when_invalid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_repo(tmp_path, HEAD + "    mode: WRITEONLY\n")
    assert main(["validate", "--root", str(root), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["valid"] is False and document["subjects"] == []
    (diagnostic,) = document["diagnostics"]
    assert diagnostic == {
        "severity": "error",
        "rule": "invalid-value",
        "message": "mode 'WRITEONLY' in subject 'shop.Geo' is not one of READWRITE, READONLY, "
        "READONLY_OVERRIDE, IMPORT",
        "path": "contracts/contracts.yml",
        "line": 6,
        "column": 11,
        "hint": "did you mean 'READONLY'? "
        "allowed values: READWRITE, READONLY, READONLY_OVERRIDE, IMPORT",
    }


def test_warnings_are_printed_and_still_exit_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_repo(tmp_path, HEAD, {"schemas/orphan.avsc": "{}"})
    assert main(["validate", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "schemas/orphan.avsc:1:1: warning[unlisted-schema]: no contract lists" in out
    assert out.strip().endswith("1 subject valid, 1 warning")
    assert main(["validate", "--root", str(root), "--strict"]) == 1
    assert "error[unlisted-schema]" in capsys.readouterr().out


def test_contracts_option_picks_another_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_repo(tmp_path, "not: [valid")
    (root / "other.yml").write_text(HEAD, encoding="utf-8")
    assert main(["validate", "--root", str(root), "--contracts", "other.yml"]) == 0
    assert "1 subject valid" in capsys.readouterr().out


def test_debug_adds_the_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_repo(tmp_path, HEAD + "    mode: WRITEONLY\n")
    assert main(["validate", "--root", str(root)]) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert main(["--debug", "validate", "--root", str(root)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" in captured.err
    assert "contracts/contracts.yml:6:11" in captured.err


def test_piped_output_is_plain_text(tmp_path: Path) -> None:
    root = write_repo(tmp_path, HEAD + "    mode: WRITEONLY\n")
    result = subprocess.run(
        [sys.executable, "-m", "aurum_sr", "validate", "--root", str(root)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert result.returncode == 1
    assert "\x1b[" not in result.stdout
    assert result.stdout.startswith("contracts/contracts.yml:6:11: error[invalid-value]: ")


def test_terminal_output_goes_through_rich(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_repo(tmp_path, HEAD + "    mode: WRITEONLY\n")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["validate", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "\x1b[" in out  # styled by rich
    plain = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", out).split())  # rich wraps long lines
    assert "contracts/contracts.yml:6:11: error[invalid-value]: mode 'WRITEONLY'" in plain
    assert "hint: did you mean 'READONLY'?" in plain
    assert plain.endswith("invalid: 1 error, 0 warnings")


def test_bad_configuration_is_an_expected_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_repo(tmp_path, HEAD)
    (root / "aurum-sr.toml").write_text("contracts = 'x'\n", encoding="utf-8")
    assert main(["validate", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "aurum-sr.toml: unknown configuration key 'contracts'" in err
    assert "hint: did you mean 'contracts_path'?" in err and "Traceback" not in err


def test_config_file_chooses_the_contracts_and_strictness(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_repo(tmp_path, "broken: [", {"schemas/orphan.avsc": "{}"})
    (root / "other.yml").write_text(HEAD, encoding="utf-8")
    (root / "aurum-sr.toml").write_text(
        'contracts_path = "other.yml"\nfail_on_missing_contract = true\n', encoding="utf-8"
    )
    assert main(["validate", "--root", str(root)]) == 1
    assert "schemas/orphan.avsc:1:1: error[unlisted-schema]" in capsys.readouterr().out
