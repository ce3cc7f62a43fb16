"""`aurum-sr github report`: job summary, annotations and step outputs from a saved document."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_OK
from tests.github.conftest import outputs


def test_a_plan(job: Path, plans: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["github", "report", str(plans["changes"])]) == EXIT_OK
    assert "::notice title=aurum-sr plan::Plan: 3 to create" in capsys.readouterr().out
    assert job.read_text().startswith("## aurum-sr plan")
    got = outputs(job.parent / "output.txt")
    assert got["has-changes"] == "true" and got["blocked"] == "false"
    assert got["summary"].startswith("Plan: 3 to create")


def test_a_drift_report(
    job: Path, plans: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["github", "report", str(plans["drift"])]) == EXIT_OK
    out = capsys.readouterr().out
    assert "::notice title=aurum-sr drift::Drift:" in out
    assert "## aurum-sr drift" in job.read_text()
    got = outputs(job.parent / "output.txt")
    assert got["drifted"] == "true" and int(got["drift-findings"]) > 0
    assert main(["github", "report", str(plans["clean"])]) == EXIT_OK
    assert outputs(job.parent / "output.txt")["drift-findings"] == "0"


def test_outside_a_runner_nothing_is_written(
    plans: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GITHUB_OUTPUT", raising=False)
    assert main(["github", "report", str(plans["none"])]) == EXIT_OK
    assert "GITHUB_STEP_SUMMARY is not set" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["not json", '{"drifted": true, "format_version": 9}', "[]"])
def test_bad_documents(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    assert main(["github", "report", str(bad)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert str(bad) in err and "hint:" in err
