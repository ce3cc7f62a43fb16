"""`aurum-sr check`: exit codes, human and JSON output, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_INCOMPATIBLE, EXIT_OK

V1 = {
    "type": "record",
    "name": "Order",
    "fields": [{"name": "id", "type": "long"}, {"name": "amount", "type": "int"}],
}
V2 = {"type": "record", "name": "Order", "fields": [{"name": "id", "type": "long"}]}
V3 = {
    "type": "record",
    "name": "Order",
    "fields": [{"name": "id", "type": "long"}, {"name": "amount", "type": "string", "default": ""}],
}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    out = {}
    for name, value in (("v1", V1), ("v2", V2), ("v3", V3)):
        path = tmp_path / f"{name}.avsc"
        path.write_text(json.dumps(value))
        out[name] = str(path)
    return out


def test_compatible_exits_0(files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", files["v1"], files["v2"]]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("COMPATIBLE under BACKWARD")
    assert "field_removed" in out


def test_incompatible_exits_3_with_explanation(
    files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "check",
            files["v2"],
            files["v3"],
            "--previous",
            files["v1"],
            "--level",
            "BACKWARD_TRANSITIVE",
        ]
    )
    assert code == EXIT_INCOMPATIBLE
    out = capsys.readouterr().out
    assert out.startswith("INCOMPATIBLE under BACKWARD_TRANSITIVE")
    assert "Order.amount  [type_mismatch, new reads old, against v1]" in out
    assert "fix: keep `Order.amount` as int" in out
    assert "\x1b[" not in out  # plain when not a terminal


def test_json_output_is_stable(files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "check",
            files["v2"],
            files["v3"],
            "-p",
            files["v1"],
            "--level",
            "FULL_TRANSITIVE",
            "--format",
            "json",
        ]
    )
    assert code == EXIT_INCOMPATIBLE
    text = capsys.readouterr().out
    doc = json.loads(text)
    assert text == json.dumps(doc, sort_keys=True, indent=2) + "\n"
    assert doc["format_version"] == 1
    assert doc["compatible"] is False
    assert doc["checked_versions"] == [1, 2]
    assert doc["versions"] == {"1": files["v1"], "2": files["v2"]}
    first = doc["breaking_changes"][0]
    assert (first["field_path"], first["against_version"]) == ("Order.amount", 1)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such schema file"),
        ("{not json", "schema is not valid JSON (line 1"),
        ('{"type": "record", "name": "X"}', "schema is not valid Avro"),
    ],
)
def test_bad_input_exits_1_naming_the_file(
    files: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | None,
    expected: str,
) -> None:
    bad = tmp_path / "bad.avsc"
    if content is not None:
        bad.write_text(content)
    assert main(["check", files["v1"], str(bad)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert f"{bad}: {expected}" in err
    assert "Traceback" not in err


def test_bad_level_and_format(files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", files["v1"], files["v2"], "--level", "SIDEWAYS"]) == EXIT_ERROR
    assert main(["check", files["v1"], files["v2"], "--format", "xml"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "unknown compatibility mode" in err
    assert "Invalid value for '--format' / '-f': 'xml' is not one of human, json" in err


def test_console_script_exit_code(files: dict[str, str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "aurum_sr", "check", files["v1"], files["v3"], "-l", "FORWARD"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == EXIT_INCOMPATIBLE, proc.stderr
    assert "INCOMPATIBLE under FORWARD" in proc.stdout


@pytest.mark.parametrize("flag", ["--mode", "-m"])
def test_mode_still_names_the_level_with_a_deprecation_warning(
    flag: str, files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", files["v1"], files["v3"], flag, "FORWARD"]) == EXIT_INCOMPATIBLE
    captured = capsys.readouterr()
    assert captured.out.startswith("INCOMPATIBLE under FORWARD")
    assert "`check --mode` is deprecated" in captured.err
    assert "use --level FORWARD" in captured.err


def test_level_and_mode_together_are_refused(
    files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["check", files["v1"], files["v3"], "--level", "FULL", "--mode", "FORWARD"]
    assert main(args) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "--mode is the old name of --level; give only one" in err
    assert "Traceback" not in err


def test_help_names_level_and_hides_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--help"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "-l, --level LEVEL" in out
    assert "--mode" not in out and "-m," not in out


def test_the_level_defaults_to_backward(
    files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", files["v1"], files["v2"]]) == EXIT_OK
    assert capsys.readouterr().out.startswith("COMPATIBLE under BACKWARD")
    assert main(["check", files["v1"], files["v2"], "--level", "FORWARD"]) == EXIT_INCOMPATIBLE
