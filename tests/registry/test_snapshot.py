"""The snapshot file: persistence, determinism, atomic writes, locking, refusal of bad files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from aurum_sr.errors import IncompatibleSchemaError, RegistryStateError
from aurum_sr.model import CompatibilityLevel, Mode
from aurum_sr.registry import open_registry
from aurum_sr.registry.snapshot import SnapshotRegistry
from tests.registry.helpers import ADDRESS, V1, V2, with_address


def test_missing_file_is_an_empty_registry(tmp_path: Path) -> None:
    reg = SnapshotRegistry(tmp_path / "none.json")
    assert reg.list_subjects() == []
    assert reg.get_compatibility() is CompatibilityLevel.BACKWARD
    assert not (tmp_path / "none.json").exists()  # reads never create the file


def test_state_survives_reopening_and_is_deterministic(tmp_path: Path) -> None:
    path = tmp_path / "reg.json"
    reg = SnapshotRegistry(path)
    reg.register("t.Address", ADDRESS)
    reg.register("a-value", V1)
    reg.register("a-value", V2)
    reg.delete_version("a-value", 2)
    reg.register("b-value", with_address())
    reg.set_compatibility(CompatibilityLevel.FULL, "b-value")
    reg.set_mode(Mode.READONLY, "b-value")
    reg.set_compatibility(CompatibilityLevel.NONE)
    first = path.read_text()
    again = SnapshotRegistry(path)
    assert again.read_state(["a-value", "b-value", "t.Address"]) == reg.read_state(
        ["a-value", "b-value", "t.Address"]
    )
    assert again.get_compatibility() is CompatibilityLevel.NONE
    # A no-op write leaves the bytes unchanged.
    again.set_compatibility(CompatibilityLevel.NONE)
    assert path.read_text() == first
    doc = json.loads(first)
    assert doc["format"] == "aurum-sr.registry-snapshot" and doc["format_version"] == 1
    assert doc["subjects"]["a-value"]["versions"][1] == {"version": 2, "id": 3, "deleted": True}


def test_two_handles_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "reg.json"
    one, two = SnapshotRegistry(path), SnapshotRegistry(path)
    one.register("a-value", V1)
    assert two.list_versions("a-value") == [1]
    assert two.register("a-value", V2).version == 2
    assert one.list_versions("a-value") == [1, 2]


def test_failed_write_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "reg.json"
    reg = SnapshotRegistry(path)
    reg.register("a-value", V1)
    before = path.read_text()
    breaking = json.loads(V1.schema_str)
    breaking["fields"][0]["type"] = "string"
    from aurum_sr.model import Schema

    with pytest.raises(IncompatibleSchemaError):
        reg.register("a-value", Schema(json.dumps(breaking)))
    assert path.read_text() == before
    assert reg.list_versions("a-value") == [1]
    assert not list(tmp_path.glob(".reg.json.*"))  # no temporary file left behind


def test_held_lock_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import aurum_sr.registry.snapshot as snapshot

    monkeypatch.setattr(snapshot, "LOCK_WAIT_SECONDS", 0.1)
    path = tmp_path / "reg.json"
    (tmp_path / "reg.json.lock").write_text("12345\n")
    reg = SnapshotRegistry(path)
    with pytest.raises(RegistryStateError) as info:
        reg.register("a-value", V1)
    assert "reg.json.lock" in str(info.value)
    os.unlink(tmp_path / "reg.json.lock")
    assert reg.register("a-value", V1).version == 1
    assert not (tmp_path / "reg.json.lock").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not JSON (line 1"),
        ('{"subjects": {}}', "is not an aurum-sr registry snapshot"),
        ("[]", "is not an aurum-sr registry snapshot"),
        (
            '{"format": "aurum-sr.registry-snapshot", "format_version": 99}',
            "format_version 99",
        ),
        (
            '{"format": "aurum-sr.registry-snapshot", "format_version": 1, "subjects": '
            '{"a": {"versions": [{"version": "x", "id": 1}]}}}',
            "subjects.a.versions.0.version",
        ),
        (
            '{"format": "aurum-sr.registry-snapshot", "format_version": 1, "subjects": '
            '{"a": {"versions": [{"version": 1, "id": 9}]}}}',
            "schema id 9",
        ),
    ],
)
def test_corrupt_or_foreign_files_are_refused(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "reg.json"
    path.write_text(content)
    with pytest.raises(RegistryStateError) as info:
        SnapshotRegistry(path)
    assert str(path) in str(info.value)
    assert expected in str(info.value)


def test_open_registry_picks_the_backend(tmp_path: Path) -> None:
    from aurum_sr.errors import ConfigError
    from aurum_sr.registry.http import HttpRegistry
    from aurum_sr.registry.memory import InMemoryRegistry

    assert isinstance(open_registry(f"file:{tmp_path}/r.json"), SnapshotRegistry)
    assert isinstance(open_registry("memory:"), InMemoryRegistry)
    assert isinstance(open_registry("http://127.0.0.1:1"), HttpRegistry)
    with pytest.raises(ConfigError) as info:
        open_registry("ftp://user:pw-secret@host")
    assert "pw-secret" not in str(info.value)


def test_permanently_deleted_content_gets_its_id_back(tmp_path: Path) -> None:
    path = tmp_path / "reg.json"
    first = SnapshotRegistry(path).register("a-value", V1)
    reg = SnapshotRegistry(path)
    reg.delete_subject("a-value")
    reg.delete_subject("a-value", permanent=True)
    again = SnapshotRegistry(path).register("a-value", V1)
    assert (again.schema_id, again.version) == (first.schema_id, 1)
