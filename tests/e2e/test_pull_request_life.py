"""A pull request's life in a temporary git repository, through the workflows `init` writes:
init -> commit -> apply on main -> branch, change a schema -> the plan job's steps exactly as
the workflow writes them -> the sticky comment (created, then updated by a second push);
merge -> the apply job -> the drift job finds nothing. The registry is the in-process server,
GitHub the fake one; the steps run under bash as the runner runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aurum_sr.scaffold import init
from aurum_sr.testing import RegistryServer
from tests.github.fake_github import FakeGitHub
from tests.gitrepos import commit_all, git, new_repo, record
from tests.workflows import JobRun, run_job

pytestmark = pytest.mark.slow

ORDER = "schemas/example/order.avsc"
FIELDS = [
    {"name": "order_id", "type": "string", "doc": "Unique id of the order."},
    {"name": "amount_cents", "type": "long", "doc": "Total in cents."},
    {"name": "currency", "type": "string", "default": "EUR", "doc": "ISO 4217 code."},
]


def job(
    repo: Path, workflow: str, name: str, context: dict[str, str], env: dict[str, str]
) -> JobRun:
    return run_job(
        repo / ".github" / "workflows" / workflow,
        name,
        cwd=repo,
        context=context,
        env=env,
        action_outputs={"artifact": {"artifact-url": "https://github.example/artifacts/7"}},
    )


def push(repo: Path, message: str) -> None:
    """Commit the schema change (not what the last job left in the work tree)."""
    git(repo, "add", ORDER)
    git(repo, "commit", "-q", "-m", message)


def test_a_pull_requests_life(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    init(repo)
    commit_all(repo, "aurum-sr init")
    with RegistryServer() as registry, FakeGitHub() as github:
        pr = github.open_pull_request("Add a note to orders")
        event = tmp_path / "event.json"
        event.write_text(json.dumps({"pull_request": {"number": pr}}))
        summary = tmp_path / "summary.md"
        context = {
            "secrets.SCHEMA_REGISTRY_URL": registry.url,
            "secrets.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO": "",
            "secrets.SCHEMA_REGISTRY_BEARER_TOKEN": "",
            "github.token": github.token,
        }
        env = {
            "GITHUB_REPOSITORY": github.repository,
            "GITHUB_API_URL": github.url,
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_SERVER_URL": "https://github.example",
            "GITHUB_RUN_ID": "99",
        }

        # the merge of `init` applies the example subject
        first = job(repo, "schema-apply.yml", "apply", context, env)
        assert not first.failed, [(s.name, s.stderr) for s in first.steps]
        assert "Plan: 1 to create" in summary.read_text()

        # a pull request adds a field
        git(repo, "switch", "-q", "-c", "note")
        note = {"name": "note", "type": "string", "default": "", "doc": "Free text."}
        (repo / ORDER).write_text(record("Order", *FIELDS, note))
        push(repo, "orders: a note")
        summary.write_text("")
        plan = job(repo, "schema-plan.yml", "plan", context, env)
        assert not plan.failed, [(s.name, s.stderr) for s in plan.steps]
        assert plan.step("Plan").outputs == {"exit-code": "2"}  # changes, not a failure
        report = plan.step("Job summary and annotations")
        assert report.outputs["has-changes"] == "true" and report.outputs["blocked"] == "false"
        assert "::notice title=aurum-sr plan::Plan: 0 to create, 1 to update" in report.stdout
        assert "## aurum-sr plan" in summary.read_text()
        [comment] = github.comments_on(pr)
        assert "Plan: 0 to create, 1 to update, 0 to delete, 0 blocked." in comment["body"]
        assert "https://github.example/artifacts/7" in comment["body"]

        # a second push makes the change incompatible: the same comment says so, the job fails
        (repo / ORDER).write_text(record("Order", *FIELDS, {"name": "note", "type": "string"}))
        push(repo, "orders: the note is required")
        blocked = job(repo, "schema-plan.yml", "plan", context, env)
        assert blocked.step("Plan").outputs == {"exit-code": "3"}
        assert blocked.step("Fail when the plan is blocked or could not be made").returncode == 1
        [same] = github.comments_on(pr)
        assert same["id"] == comment["id"] and "1 blocked" in same["body"]
        assert (
            "::error file=schemas/example/order.avsc"
            in blocked.step("Job summary and annotations").stdout
        )

        # a third push fixes it; GitHub refuses the comment: the step fails, the summary has it
        (repo / ORDER).write_text(record("Order", *FIELDS, note))
        push(repo, "orders: the note has a default again")
        github.fail_next(403, message="Resource not accessible by integration")
        summary.write_text("")
        refused = job(repo, "schema-plan.yml", "plan", context, env)
        step = refused.step("Comment on the pull request")
        assert (
            step.returncode == 1 and "GitHub refused" in step.stderr and "HTTP 403" in step.stderr
        )
        assert "1 to update" in summary.read_text()
        again = job(repo, "schema-plan.yml", "plan", context, env)
        assert not again.failed
        [updated] = github.comments_on(pr)
        assert updated["id"] == comment["id"] and "0 blocked" in updated["body"]

        # merge, apply, and the nightly drift run finds nothing
        git(repo, "clean", "-q", "-f", "-d", "-x")
        git(repo, "switch", "-q", "main")
        git(repo, "merge", "-q", "--no-ff", "-m", "Merge pull request", "note")
        applied = job(repo, "schema-apply.yml", "apply", context, env)
        assert not applied.failed, [(s.name, s.stderr) for s in applied.steps]
        assert "example.orders.v1-value" in (repo / "apply-report.md").read_text()
        writes = len(github.writes())
        drift = job(repo, "schema-drift.yml", "drift", context, env)
        assert not drift.failed, [(s.name, s.stderr) for s in drift.steps]
        assert drift.step("Drift").outputs == {"exit-code": "0"}
        assert drift.step("Job summary and annotations").outputs["drifted"] == "false"
        assert "nothing to do" in drift.step("Open, update or close the drift issue").stdout
        assert len(github.writes()) == writes

        # someone registers by hand: the next nightly run opens the drift issue
        from aurum_sr.model import Schema

        engine = registry.engine
        assert engine is not None
        engine.register("example.orders.v1-value", Schema(record("Order", *FIELDS)))
        drifted = job(repo, "schema-drift.yml", "drift", context, env)
        assert drifted.step("Drift").outputs == {"exit-code": "2"} and not drifted.failed
        [issue] = github.issues(label="schema-drift")
        assert issue["state"] == "open" and "example.orders.v1-value" in issue["body"]


def test_a_pull_request_from_a_fork_is_checked_against_the_base_branch(tmp_path: Path) -> None:
    """No secrets, a read-only token, a shallow checkout: the `fork` job fetches the base branch
    and runs `check --against` it, with annotations."""
    upstream = new_repo(tmp_path / "upstream")
    init(upstream)
    commit_all(upstream, "aurum-sr init")
    git(upstream, "switch", "-q", "-c", "fork-change")
    (upstream / ORDER).write_text(record("Order", *FIELDS, {"name": "note", "type": "string"}))
    commit_all(upstream, "orders: a required note")
    git(upstream, "switch", "-q", "main")
    checkout = tmp_path / "checkout"
    git(
        tmp_path,
        "clone",
        "-q",
        "--depth=1",
        "--single-branch",
        "--branch",
        "fork-change",
        upstream.as_uri(),
        str(checkout),
    )
    run = run_job(
        checkout / ".github" / "workflows" / "schema-plan.yml",
        "fork",
        cwd=checkout,
        context={"github.base_ref": "main"},
        env={},
    )
    step = run.step("Check every changed schema against the base branch")
    assert step.returncode == 3, step.stderr
    assert "::error file=schemas/example/order.avsc,line=" in step.stdout
    assert "incompatible under BACKWARD" in step.stdout
