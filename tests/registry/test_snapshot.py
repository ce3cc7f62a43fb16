"""The snapshot file: persistence, determinism, atomic writes, locking, refusal of bad files."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
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
    reg = SnapshotRegistry(path, create=True)
    reg.register("t.Address", ADDRESS)
    reg.register("a-value", V1)
    reg.register("a-value", V2)
    reg.delete_version("a-value", 2)
    reg.register("b-value", with_address())
    reg.set_compatibility(CompatibilityLevel.FULL, "b-value")
    reg.set_mode(Mode.READONLY, "b-value")
    reg.set_compatibility(CompatibilityLevel.NONE)
    first = path.read_text()
    again = SnapshotRegistry(path, create=True)
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
    one, two = SnapshotRegistry(path, create=True), SnapshotRegistry(path, create=True)
    one.register("a-value", V1)
    assert two.list_versions("a-value") == [1]
    assert two.register("a-value", V2).version == 2
    assert one.list_versions("a-value") == [1, 2]


def test_failed_write_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "reg.json"
    reg = SnapshotRegistry(path, create=True)
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
    (tmp_path / "reg.json.lock").write_text(f"{os.getpid()}\n")  # a live writer
    reg = SnapshotRegistry(path, create=True)
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
        SnapshotRegistry(path, create=True)
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
    first = SnapshotRegistry(path, create=True).register("a-value", V1)
    reg = SnapshotRegistry(path, create=True)
    reg.delete_subject("a-value")
    reg.delete_subject("a-value", permanent=True)
    again = SnapshotRegistry(path, create=True).register("a-value", V1)
    assert (again.schema_id, again.version) == (first.schema_id, 1)


def _dead_pid() -> int:
    with subprocess.Popen([sys.executable, "-c", "pass"]) as child:
        child.wait()
        return child.pid


def test_item15_stale_lock_of_a_dead_writer_is_taken_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aurum_sr.registry.snapshot as snapshot

    monkeypatch.setattr(snapshot, "LOCK_WAIT_SECONDS", 0.1)
    path = tmp_path / "reg.json"
    lock = tmp_path / "reg.json.lock"
    lock.write_text(f"{_dead_pid()} {socket.gethostname()}\n")
    assert SnapshotRegistry(path, create=True).register("a-value", V1).version == 1
    assert not lock.exists()
    # another host's lock: only its age tells
    lock.write_text(f"{os.getpid()} some-other-host\n")
    with pytest.raises(RegistryStateError):
        SnapshotRegistry(path).register("a-value", V2)
    old = time.time() - snapshot.STALE_LOCK_SECONDS - 60
    os.utime(lock, (old, old))
    assert SnapshotRegistry(path).register("a-value", V2).version == 2


def test_item15_sigterm_during_a_write_leaves_a_lock_the_next_write_recovers(
    tmp_path: Path,
) -> None:
    path = tmp_path / "reg.json"
    SnapshotRegistry(path, create=True).register("a-value", V1)
    script = (
        "import sys, time\n"
        "from aurum_sr.registry import snapshot\n"
        "reg = snapshot.SnapshotRegistry(sys.argv[1])\n"
        "with reg._file_lock():\n"
        "    print('locked', flush=True)\n"
        "    time.sleep(60)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None and child.stdout.readline() == "locked\n"
        child.kill()  # as a crash would: no cleanup runs
        child.wait()
    assert (tmp_path / "reg.json.lock").exists()
    assert SnapshotRegistry(path).register("a-value", V2).version == 2


def test_item16_snapshot_writes_keep_the_files_mode(tmp_path: Path) -> None:
    path = tmp_path / "reg.json"
    SnapshotRegistry(path, create=True).register("a-value", V1)
    assert stat.S_IMODE(path.stat().st_mode) != 0o600  # a new file gets the umask's mode
    path.chmod(0o640)
    SnapshotRegistry(path).register("a-value", V2)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_item23_missing_snapshot_file_is_not_silently_created(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "mistyped.json"
    reg = SnapshotRegistry(path)
    assert "does not exist" in caplog.text  # read-only commands say so
    with pytest.raises(RegistryStateError) as info:
        reg.register("a-value", V1)
    assert "does not exist; nothing was written" in str(info.value)
    assert "snapshot export" in str(info.value)
    assert not path.exists()
