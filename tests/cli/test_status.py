"""`aurum-sr status` against the in-process server, a snapshot file, and nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR
from aurum_sr.testing import RegistryServer
from tests.registry.helpers import V1, V2


def test_status_of_a_server(
    registry_server: RegistryServer, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = registry_server.engine
    assert engine is not None
    engine.register("a-value", V1)
    engine.register("a-value", V2)
    engine.register("b-value", V1)
    assert main(["status", "--registry", registry_server.url]) == 0
    out = capsys.readouterr().out
    assert f"registry:       {registry_server.url}" in out
    assert "reachable:      yes" in out
    assert "server version: 7.6.1" in out
    assert "subjects:       2" in out
    assert "schemas:        2" in out
    assert "compatibility:  BACKWARD" in out
    assert "mode:           READWRITE" in out


def test_status_reads_the_url_from_the_environment(
    registry_server: RegistryServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCHEMA_REGISTRY_URL", registry_server.url)
    assert main(["status"]) == 0
    assert registry_server.url in capsys.readouterr().out


def test_status_of_a_snapshot_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from aurum_sr.registry.snapshot import SnapshotRegistry

    SnapshotRegistry(tmp_path / "s.json", create=True).register("a-value", V1)
    assert main(["status", "--registry", f"file:{tmp_path}/s.json"]) == 0
    out = capsys.readouterr().out
    assert "subjects:       1" in out and "server version: snapshot file, format 1" in out


def test_status_of_a_missing_snapshot_file_says_missing_not_reachable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--registry", f"file:{tmp_path}/typo.json"]) == EXIT_ERROR
    captured = capsys.readouterr()
    assert "typo.json does not exist (missing, not reachable)" in captured.err
    assert "reachable: yes" not in captured.out + captured.err
    assert not (tmp_path / "typo.json").exists()


def test_unreachable_registry_exits_1_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with RegistryServer() as gone:
        url = gone.url
    monkeypatch.setenv("SCHEMA_REGISTRY_URL", url)
    assert main(["status"]) == EXIT_ERROR
    captured = capsys.readouterr()
    assert f"error: cannot reach registry {url}" in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_corrupt_snapshot_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "s.json").write_text("{oops")
    assert main(["status", "--registry", f"file:{tmp_path}/s.json"]) == EXIT_ERROR
    assert "s.json is corrupt" in capsys.readouterr().err


def test_status_reads_the_url_from_the_config_file(
    registry_server: RegistryServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "aurum-sr.toml").write_text(f'base_url = "{registry_server.url}"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCHEMA_REGISTRY_URL", raising=False)
    assert main(["status"]) == 0
    assert registry_server.url in capsys.readouterr().out
