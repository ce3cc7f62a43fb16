"""`plan` and `show` with --compact, --diff and --markdown-budget, against the in-process server
over a real socket."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_OK
from aurum_sr.testing import RegistryServer
from tests.e2e.helpers import REPO


@pytest.fixture(autouse=True)
def _no_registry_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SCHEMA_REGISTRY_URL", "SCHEMA_REGISTRY_USERNAME", "SCHEMA_REGISTRY_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == EXIT_OK
    return capsys.readouterr().out


def test_plan_views_over_the_server(
    seeded_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "plan.json"
    base = ("plan", "--root", str(REPO), "--registry", seeded_server.url, "--out", str(saved))
    full = _run(capsys, *base)
    assert "Steps, in apply order:" in full and "@@" not in full
    with_diff = _run(capsys, *base, "--diff")
    assert "    diff:" in with_diff and "@@" in with_diff
    compact = _run(capsys, *base, "--compact")
    assert "Compatible, nothing to review:" in compact
    assert "step(s) in apply order; without --compact they are listed." in compact
    assert len(compact) < len(full)

    markdown = _run(capsys, "show", str(saved), "--format", "markdown")
    assert "Schema diff" in markdown and "Shortened" not in markdown
    small = _run(capsys, "show", str(saved), "--format", "markdown", "--markdown-budget", "2000")
    assert "> Shortened to fit 2,000 bytes" in small
    assert len(small.encode()) <= 2_000 or "detail only for blocked subjects" in small
    unlimited = _run(capsys, "show", str(saved), "--format", "markdown", "--markdown-budget", "0")
    assert unlimited == markdown  # this plan fits the default budget whole


def test_a_negative_budget_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["show", str(tmp_path / "plan.json"), "--markdown-budget", "-1"])
    assert code == EXIT_ERROR
    assert "markdown-budget" in capsys.readouterr().err
