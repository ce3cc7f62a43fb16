"""`aurum-sr github issue`: the nightly drift issue, opened, updated and closed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_OK
from aurum_sr.github.body import marker
from tests.github.fake_github import FakeGitHub


def test_opened_updated_then_closed_with_a_comment(
    github: FakeGitHub, job: Path, plans: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    findings = len(json.loads(plans["drift"].read_text())["findings"])
    assert findings > 0
    assert main(["github", "issue", str(plans["drift"])]) == EXIT_OK
    [issue] = github.issues(label="schema-drift")
    assert f"#{issue['number']} opened" in capsys.readouterr().out
    assert issue["state"] == "open"
    assert issue["title"] == f"Schema registry drift: {findings} finding{'s' * (findings != 1)}"
    assert marker("drift", "drift") in issue["body"] and "## aurum-sr drift" in issue["body"]

    assert main(["github", "issue", str(plans["drift"])]) == EXIT_OK
    assert f"#{issue['number']} updated" in capsys.readouterr().out
    assert len(github.issues()) == 1

    assert main(["github", "issue", str(plans["clean"])]) == EXIT_OK
    assert f"#{issue['number']} closed" in capsys.readouterr().out
    assert issue["state"] == "closed" and issue["state_reason"] == "completed"
    [closing] = github.comments_on(issue["number"])
    assert closing["body"].startswith("No drift any more")
    assert "https://github.example/acme/schemas/actions/runs/4242" in closing["body"]

    assert main(["github", "issue", str(plans["clean"])]) == EXIT_OK
    assert "nothing to do" in capsys.readouterr().out
    writes = [(r.method, r.path.removeprefix("/repos/acme/schemas/")) for r in github.writes()]
    number = issue["number"]
    assert writes == [
        ("POST", "issues"),
        ("PATCH", f"issues/{number}"),
        ("POST", f"issues/{number}/comments"),
        ("PATCH", f"issues/{number}"),
    ]


def test_a_closed_issue_is_not_reopened_a_new_one_is_opened(
    github: FakeGitHub, job: Path, plans: dict[str, Path]
) -> None:
    assert main(["github", "issue", str(plans["drift"])]) == EXIT_OK
    assert main(["github", "issue", str(plans["clean"])]) == EXIT_OK
    assert main(["github", "issue", str(plans["drift"])]) == EXIT_OK
    states = [i["state"] for i in github.issues(label="schema-drift")]
    assert states == ["closed", "open"]


def test_issues_without_the_marker_and_pull_requests_are_left_alone(
    github: FakeGitHub, job: Path, plans: dict[str, Path]
) -> None:
    # a person's issue with the same label, and the job's pull request (issues list them too)
    github.items[50] = {
        "number": 50,
        "title": "drift?",
        "body": "by hand",
        "state": "open",
        "labels": [{"name": "schema-drift"}],
        "html_url": "x",
    }
    assert main(["github", "issue", str(plans["drift"]), "--label", "schema-drift"]) == EXIT_OK
    assert github.items[50]["body"] == "by hand"
    assert len(github.issues(label="schema-drift")) == 2


@pytest.mark.parametrize("status", [401, 403, 404, 422])
def test_refusals_are_clear_errors(
    github: FakeGitHub,
    job: Path,
    plans: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    status: int,
) -> None:
    github.fail_next(status, message="Resource not accessible by integration")
    assert main(["github", "issue", str(plans["drift"])]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert f"(HTTP {status})" in err and "listing the open issues labelled schema-drift" in err
    assert github.token not in err and "Traceback" not in err


def test_a_plan_is_not_a_drift_report(
    job: Path, plans: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["github", "issue", str(plans["changes"])]) == EXIT_ERROR
    assert "is a plan, not a drift report" in capsys.readouterr().err
