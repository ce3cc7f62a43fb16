"""action.yml and every workflow (this repository's, and the ones `init` writes) pass
actionlint; this repository's schema workflows are the ones `init` writes; the action's
script works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aurum_sr.scaffold import WORKFLOWS, workflow
from tests.e2e.helpers import snapshot_copy
from tests.github.fake_github import FakeGitHub
from tests.workflows import REPO, actionlint, load_yaml, outputs, run_script, runner_files


def test_this_repositorys_workflows_and_action_metadata_pass_actionlint() -> None:
    # without arguments actionlint checks .github/workflows/*.yml, and through ci.yml's
    # `uses: ./` the inputs against action.yml
    result = actionlint(cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflows_init_writes_pass_actionlint(tmp_path: Path) -> None:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name in WORKFLOWS:
        (folder / name).write_text(workflow(name))
    result = actionlint(*(str(folder / name) for name in WORKFLOWS), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def action_as_workflow() -> str:
    """The composite action's steps as one job of a workflow, its inputs as the workflow's, so
    that actionlint checks the steps themselves (expressions, action inputs, scripts)."""
    action = load_yaml((REPO / "action.yml").read_text())
    inputs = {
        name: {"type": "string", "required": spec.get("required", False)}
        for name, spec in action["inputs"].items()
    }
    workflow_doc = {
        "name": "action.yml steps",
        "on": {"workflow_dispatch": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }
    return json.dumps(workflow_doc, indent=2)  # JSON is YAML


def test_the_actions_own_steps_pass_actionlint() -> None:
    result = actionlint(
        "-stdin-filename", "action-steps.yml", "-", cwd=REPO, stdin=action_as_workflow()
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_does_find_problems(tmp_path: Path) -> None:
    broken = workflow("schema-plan.yml").replace("actions/checkout@v6", "actions/checkout@v4")
    broken = broken.replace("steps.plan.outputs.exit-code", "steps.plann.outputs.exit-code")
    result = actionlint("-stdin-filename", "broken.yml", "-", cwd=tmp_path, stdin=broken)
    assert result.returncode == 1
    assert 'runtime "node20" is deprecated' in result.stdout and "plann" in result.stdout


@pytest.mark.parametrize("name", WORKFLOWS)
def test_this_repository_runs_the_workflows_init_writes(name: str) -> None:
    assert (REPO / ".github" / "workflows" / name).read_text() == workflow(name, install=".")


def action_script() -> tuple[str, dict[str, str]]:
    action = load_yaml((REPO / "action.yml").read_text())
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "run")
    return step["run"], step["env"]


def test_the_actions_script_plans_and_sets_outputs(tmp_path: Path) -> None:
    script, _ = action_script()
    files = runner_files(tmp_path)
    env = {
        **files,
        "AURUM_COMMAND": "plan",
        "AURUM_ARGS": f"--root {REPO} --registry file:{snapshot_copy(tmp_path)}",
        "AURUM_COMMENT": "true",
        "AURUM_DRIFT_ISSUE": "false",
        "AURUM_KEY": "",
        "AURUM_OUT": str(tmp_path),
        "EVENT_NAME": "push",  # no pull request: no comment
        "GITHUB_TOKEN": "unused",
    }
    result = run_script(script, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    got = outputs(files["GITHUB_OUTPUT"])
    assert got["exit-code"] == "2" and got["has-changes"] == "true" and got["blocked"] == "false"
    assert Path(got["plan-file"]).is_file()
    assert "::notice title=aurum-sr plan::Plan: 3 to create" in result.stdout
    assert Path(files["GITHUB_STEP_SUMMARY"]).read_text().startswith("## aurum-sr plan")


def test_the_actions_script_keeps_the_drift_issue(tmp_path: Path) -> None:
    script, _ = action_script()
    files = runner_files(tmp_path)
    with FakeGitHub() as github:
        env = {
            **files,
            "AURUM_COMMAND": "drift",
            "AURUM_ARGS": f"--root {REPO} --registry file:{snapshot_copy(tmp_path)}",
            "AURUM_COMMENT": "true",
            "AURUM_DRIFT_ISSUE": "true",
            "AURUM_KEY": "nightly",
            "AURUM_OUT": str(tmp_path),
            "EVENT_NAME": "schedule",
            "GITHUB_TOKEN": github.token,
            "GITHUB_REPOSITORY": github.repository,
            "GITHUB_API_URL": github.url,
        }
        result = run_script(script, cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stderr
        [issue] = github.issues(label="schema-drift")
        assert "<!-- aurum-sr:drift:nightly -->" in issue["body"]
        got = outputs(files["GITHUB_OUTPUT"])
        assert got["exit-code"] == "2" and int(got["drift-findings"]) > 0
        github.fail_next(403, times=5)
        again = run_script(script, cwd=tmp_path, env=env)
        assert again.returncode == 1 and "HTTP 403" in again.stderr


def test_an_unknown_command_fails_the_step(tmp_path: Path) -> None:
    script, _ = action_script()
    files = runner_files(tmp_path)
    env = {
        **files,
        "AURUM_COMMAND": "destroy",
        "AURUM_ARGS": "",
        "AURUM_COMMENT": "false",
        "AURUM_DRIFT_ISSUE": "false",
        "AURUM_KEY": "",
        "AURUM_OUT": str(tmp_path),
        "EVENT_NAME": "push",
    }
    result = run_script(script, cwd=tmp_path, env=env)
    assert result.returncode == 1 and "unknown command 'destroy'" in result.stdout
