"""import → validate → plan → drift through the CLI, as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurum_sr.cli import main


def files_under(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its content (to show that nothing changed)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def import_then_plan(url: str, root: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> str:
    """Import from ``url`` into ``root``, then check that validate passes and that plan (with
    --prune) and drift find nothing; returns what import printed."""
    assert main(["import", "--registry", url, "--root", str(root), *flags]) == 0
    printed = capsys.readouterr().out
    assert main(["validate", "--root", str(root)]) == 0, capsys.readouterr()
    capsys.readouterr()
    plan = ["plan", "--registry", url, "--root", str(root), "--detailed-exitcode", "--prune"]
    code = main(plan)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "No changes" in out
    assert main(["drift", "--registry", url, "--root", str(root)]) == 0, capsys.readouterr()
    capsys.readouterr()
    return printed
