"""Outputs that cannot be written (issue #13, item 8): exit 1 naming the file, never 70; an
apply whose report fails after every write still prints its summary and says it succeeded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_OK
from tests.e2e.helpers import REPO, SNAPSHOT, snapshot_copy


@pytest.fixture(autouse=True)
def _no_registry_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SCHEMA_REGISTRY_URL", "SCHEMA_REGISTRY_USERNAME", "SCHEMA_REGISTRY_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def _fails_clearly(args: list[str], capsys: pytest.CaptureFixture[str], path: str) -> str:
    assert main(args) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "cannot write the " in err and path in err, err
    assert "Traceback" not in err and "unexpected error" not in err
    return err


def test_item08_unwritable_out_and_report_files_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "no-such-folder" / "out.json")
    snapshot = snapshot_copy(tmp_path)
    registry = ["--registry", f"file:{snapshot}"]
    _fails_clearly(["plan", "--root", str(REPO), *registry, "--out", missing], capsys, missing)
    _fails_clearly(["drift", "--root", str(REPO), *registry, "--out", missing], capsys, missing)
    _fails_clearly(["snapshot", "export", *registry, "--out", missing], capsys, missing)
    _fails_clearly(["plan", "--root", str(REPO), *registry, "--out", str(tmp_path)], capsys, "")
    apply = ["apply", "--root", str(REPO), *registry, "--auto-approve", "--allow-delete"]
    _fails_clearly([*apply, "--report", missing], capsys, missing)
    assert snapshot.read_bytes() == SNAPSHOT.read_bytes()  # refused before any write
    assert not (tmp_path / "no-such-folder").exists()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_item08_report_failing_after_the_writes_keeps_the_summary_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = snapshot_copy(tmp_path)
    args = ["apply", "--root", str(REPO), "--registry", f"file:{snapshot}", "--auto-approve"]
    code = main([*args, "--allow-delete", "--report", "/dev/full"])  # writable, but full
    captured = capsys.readouterr()
    assert code == EXIT_ERROR
    assert "Apply complete:" in captured.out
    assert "the apply succeeded, but cannot write the apply report to /dev/full" in captured.err
    assert "unexpected error" not in captured.err
    assert main(["plan", "--root", str(REPO), "--registry", f"file:{snapshot}"]) == EXIT_OK
    assert "No changes." in capsys.readouterr().out


KEY = "s3cr/t#k?e%y@:x"


def test_item17_edited_plan_with_recomputed_digest_is_refused_when_signed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from aurum_sr.plan.document import digest_of

    snapshot = snapshot_copy(tmp_path)
    registry = ["--registry", f"file:{snapshot}"]
    saved = tmp_path / "plan.json"
    monkeypatch.setenv("AURUM_SR_PLAN_KEY", KEY)
    assert main(["plan", "--root", str(REPO), *registry, "--out", str(saved)]) == EXIT_OK
    text = saved.read_text()
    assert KEY not in text and "signature" in text
    document = json.loads(text)
    document["subjects"][0]["owner"] = "attacker"
    document["digest"] = digest_of(document)  # what anyone can recompute
    saved.write_text(json.dumps(document))
    apply = ["apply", str(saved), *registry]
    assert main(apply) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "signature does not match AURUM_SR_PLAN_KEY" in err and KEY not in err
    assert snapshot.read_bytes() == SNAPSHOT.read_bytes()
    # an unsigned plan is refused where the key is set
    monkeypatch.delenv("AURUM_SR_PLAN_KEY")
    assert main(["plan", "--root", str(REPO), *registry, "--out", str(saved)]) == EXIT_OK
    monkeypatch.setenv("AURUM_SR_PLAN_KEY", KEY)
    assert main(apply) == EXIT_ERROR
    assert "is not signed" in capsys.readouterr().err
    # signed with the key: applies
    assert main(["plan", "--root", str(REPO), *registry, "--out", str(saved)]) == EXIT_OK
    assert main([*apply, "--allow-delete"]) == EXIT_OK
    out = capsys.readouterr()
    assert KEY not in out.out + out.err
