"""`aurum-sr plan` against registries that cannot set modes: a note, or exit 3 with the fix."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_CHANGES, EXIT_INCOMPATIBLE
from aurum_sr.testing import KARAPACE, RegistryServer
from tests.e2e.helpers import REPO


@pytest.fixture(autouse=True)
def _no_registry_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCHEMA_REGISTRY_URL", raising=False)


def _repo(tmp_path: Path, mode: str) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "contracts", root / "contracts")
    shutil.copytree(REPO / "schemas", root / "schemas")
    contracts = root / "contracts" / "contracts.yml"
    text = contracts.read_text(encoding="utf-8")
    assert "mode: READWRITE" in text
    # Karapace cannot store data contracts (that blocks too: tests/test_pipeline_datacontracts.py)
    text = re.sub(r"\n    # Data contract.*?(?=\n\n)", "", text, flags=re.DOTALL)
    assert "rule_set" not in text
    contracts.write_text(text.replace("mode: READWRITE", f"mode: {mode}"), encoding="utf-8")
    return root


def test_a_pinned_mode_already_in_effect_is_a_note_on_karapace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path, "READWRITE")
    with RegistryServer(KARAPACE.options()) as server:
        code = main(["plan", "--root", str(root), "--registry", server.url, "--detailed-exitcode"])
    out = capsys.readouterr().out
    assert code == EXIT_CHANGES
    assert "READWRITE is already in effect; karapace cannot pin a subject's mode" in out
    assert "set mode" not in out


def test_a_mode_karapace_cannot_set_blocks_the_plan_with_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path, "READONLY")
    (root / "aurum-sr.toml").write_text('flavor = "karapace"\n', encoding="utf-8")
    with RegistryServer(KARAPACE.options()) as server:
        code = main(["plan", "--root", str(root), "--registry", server.url])
        assert not [m for m, _ in server.requests if m != "GET"]  # pinned: no probe either
    out = " ".join(capsys.readouterr().out.split())
    assert code == EXIT_INCOMPATIBLE
    assert "karapace cannot set a subject's mode" in out
    assert "set mode: READWRITE (or remove mode:) in contracts.yml" in out
