"""`aurum-sr snapshot export`: a registry copied into a snapshot file that plans can use."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.model import CompatibilityLevel, Mode
from aurum_sr.registry.snapshot import SnapshotRegistry
from aurum_sr.testing import RegistryServer
from tests.registry.helpers import ADDRESS, V1, V2, with_address


def _populate(server: RegistryServer) -> None:
    engine = server.engine
    assert engine is not None
    engine.register("t.Address", ADDRESS)
    engine.register("aurum.a-value", V1)
    engine.register("aurum.a-value", V2)
    engine.delete_version("aurum.a-value", 1)
    engine.register("aurum.b-value", with_address())
    engine.set_compatibility(CompatibilityLevel.FULL, "aurum.b-value")
    engine.set_mode(Mode.READONLY, "aurum.b-value")
    engine.register("other-value", V1)
    engine.set_compatibility(CompatibilityLevel.FORWARD)


def test_export_everything_keeps_ids_versions_and_settings(
    registry_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _populate(registry_server)
    out = tmp_path / "snap.json"
    assert main(["snapshot", "export", "--registry", registry_server.url, "--out", str(out)]) == 0
    assert f"wrote {out}: 4 subject(s)" in capsys.readouterr().out
    subjects = ["aurum.a-value", "aurum.b-value", "other-value", "t.Address"]
    exported = SnapshotRegistry(out).read_state(subjects)
    engine = registry_server.engine
    assert engine is not None
    live = engine.read_state(subjects, [])
    assert exported.subjects == live.subjects
    assert exported.global_compatibility is CompatibilityLevel.FORWARD
    # The file is a registry: the same rules apply to it.
    again = SnapshotRegistry(out).register("aurum.a-value", V2)
    assert again.version == 2


def test_export_with_prefix_brings_referenced_subjects(
    registry_server: RegistryServer, tmp_path: Path
) -> None:
    _populate(registry_server)
    out = tmp_path / "snap.json"
    args = ["snapshot", "export", "--registry", registry_server.url, "--out", str(out)]
    assert main([*args, "--subject-prefix", "aurum."]) == 0
    snap = SnapshotRegistry(out)
    assert snap.list_subjects(deleted=True) == ["aurum.a-value", "aurum.b-value", "t.Address"]
    assert snap.get_version("aurum.a-value", 1, deleted=True).deleted


def test_export_needs_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["snapshot", "export", "--registry", "memory:"]) != 0
    assert "--out" in capsys.readouterr().err
