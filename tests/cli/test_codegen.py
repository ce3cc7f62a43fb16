"""`aurum-sr codegen`: writes the models module; --check tells CI whether it is current."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.codegen import render_contracts
from aurum_sr.errors import EXIT_ERROR, EXIT_OK
from tests.codegen.contracts import REPO, example_state


def test_writes_the_module(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pkg" / "models.py"
    assert main(["codegen", "--out", str(out), "--root", str(REPO)]) == EXIT_OK
    assert out.read_text() == render_contracts(example_state())[0]
    assert f"wrote {out}" in capsys.readouterr().err
    assert out.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in out.parent.iterdir()] == ["models.py"]  # no temporary left


def test_check_passes_when_current_and_fails_when_stale_or_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "models.py"
    assert main(["codegen", "--out", str(out), "--root", str(REPO), "--check"]) == EXIT_ERROR
    assert "is missing: run `aurum-sr codegen --out" in capsys.readouterr().err
    assert not out.exists()

    assert main(["codegen", "--out", str(out), "--root", str(REPO)]) == EXIT_OK
    assert main(["codegen", "--out", str(out), "--root", str(REPO), "--check"]) == EXIT_OK
    assert "is up to date" in capsys.readouterr().err

    out.write_text(out.read_text().replace("Degrees north", "Degrees south"))
    stale = out.read_text()
    assert main(["codegen", "--out", str(out), "--root", str(REPO), "--check"]) == EXIT_ERROR
    assert "is stale" in capsys.readouterr().err
    assert out.read_text() == stale  # --check writes nothing


def test_out_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["codegen"]) == EXIT_ERROR
    assert "--out" in capsys.readouterr().err


def test_unwritable_out_is_an_expected_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["codegen", "--out", str(blocker / "models.py"), "--root", str(REPO)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err


def test_root_defaults_to_the_repository_around_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO / "schemas" / "iso")
    out = tmp_path / "models.py"
    assert main(["codegen", "--out", str(out)]) == EXIT_OK
    assert out.read_text() == (REPO / "examples" / "models.py").read_text()


def test_invalid_contracts_are_reported_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "contracts.yml").write_text("format_version: [\n")
    assert main(["codegen", "--out", str(tmp_path / "m.py"), "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "contracts/contracts.yml" in err and "Traceback" not in err
    assert not (tmp_path / "m.py").exists()
