"""Writes go only where the user said: `apply` refuses the embedded default and a snapshot file
that does not exist; read-only commands on the default say so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_OK
from tests.e2e.helpers import REPO


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the example repository with no registry snapshot and none configured."""
    for name in ("SCHEMA_REGISTRY_URL", "SCHEMA_REGISTRY_USERNAME", "SCHEMA_REGISTRY_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    shutil.copytree(REPO / "contracts", tmp_path / "contracts")
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_apply_refuses_the_implicit_default(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["apply", "--auto-approve"]) == EXIT_ERROR
    captured = capsys.readouterr()
    assert "no registry was given" in captured.err and "nothing was written" in captured.err
    assert "--registry" in captured.err and "Traceback" not in captured.err
    assert "Apply complete" not in captured.out
    assert not (repo / "registry").exists()


def test_apply_refuses_the_default_even_when_the_file_exists(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "registry").mkdir()
    shutil.copyfile(REPO / "registry" / "snapshot.json", repo / "registry" / "snapshot.json")
    before = (repo / "registry" / "snapshot.json").read_bytes()
    assert main(["apply", "--auto-approve", "--allow-delete"]) == EXIT_ERROR
    assert "no registry was given" in capsys.readouterr().err
    assert (repo / "registry" / "snapshot.json").read_bytes() == before


def test_apply_refuses_a_missing_snapshot_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["apply", "--auto-approve", "--registry", "file:typo.json"]) == EXIT_ERROR
    captured = capsys.readouterr()
    assert "typo.json does not exist; nothing was written" in captured.err
    assert "snapshot export" in captured.err
    assert not (repo / "typo.json").exists()


def test_apply_writes_to_an_explicit_existing_snapshot(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copyfile(REPO / "registry" / "snapshot.json", repo / "s.json")
    assert (
        main(["apply", "--auto-approve", "--allow-delete", "--registry", "file:s.json"]) == EXIT_OK
    )
    assert "Apply complete" in capsys.readouterr().out


def test_apply_takes_a_configured_target(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copyfile(REPO / "registry" / "snapshot.json", repo / "s.json")
    (repo / "aurum-sr.toml").write_text('base_url = "file:s.json"\n')
    assert main(["apply", "--auto-approve", "--allow-delete"]) == EXIT_OK
    assert "no registry was given" not in capsys.readouterr().err


def test_a_read_only_command_on_the_default_says_so(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "registry").mkdir()
    shutil.copyfile(REPO / "registry" / "snapshot.json", repo / "registry" / "snapshot.json")
    main(["plan"])
    assert "the embedded default file:registry/snapshot.json (read only" in capsys.readouterr().err
    main(["plan", "--registry", "file:registry/snapshot.json"])
    assert "embedded default" not in capsys.readouterr().err


@pytest.mark.parametrize("command", ["plan", "apply"])
def test_an_unknown_allow_incompatible_subject_is_an_error(
    repo: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    shutil.copyfile(REPO / "registry" / "snapshot.json", repo / "s.json")
    before = (repo / "s.json").read_bytes()
    args = [command, "--registry", "file:s.json", "--allow-incompatible"]
    extra = ["--auto-approve"] if command == "apply" else []
    assert main([*args, "aurum.eia.series.v1-vlaue", *extra]) == EXIT_ERROR
    captured = capsys.readouterr()
    assert "--allow-incompatible aurum.eia.series.v1-vlaue: no such subject" in captured.err
    assert "did you mean aurum.eia.series.v1-value?" in captured.err
    assert (repo / "s.json").read_bytes() == before
