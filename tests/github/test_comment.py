"""`aurum-sr github comment`: one sticky comment per pull request, against a fake GitHub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_OK, GitHubError
from aurum_sr.github.body import BODY_LIMIT, marker
from aurum_sr.github.client import GitHubClient
from aurum_sr.github.comment import plan_comment_body, upsert_comment
from tests.factories import NO_RETRY
from tests.github.conftest import outputs
from tests.github.fake_github import FakeGitHub

PR = 1


def test_created_once_then_updated_in_place_then_no_changes(
    github: FakeGitHub, job: Path, plans: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["github", "comment", str(plans["changes"])]) == EXIT_OK
    assert "Plan comment created on pull request #1" in capsys.readouterr().out
    [first] = github.comments_on(PR)
    assert marker("plan", "plan") in first["body"]
    assert "Plan: 3 to create" in first["body"]
    assert "https://github.example/acme/schemas/actions/runs/4242" in first["body"]

    assert main(["github", "comment", str(plans["changes"])]) == EXIT_OK
    assert "Plan comment unchanged" in capsys.readouterr().out
    assert (
        main(["github", "comment", str(plans["none"]), "--artifact-url", "https://a.example/1"])
        == EXIT_OK
    )
    assert "Plan comment updated" in capsys.readouterr().out
    [after] = github.comments_on(PR)
    assert after["id"] == first["id"]
    assert "No changes. The registry matches the contracts." in after["body"]
    assert "https://a.example/1" in after["body"]
    methods = [(r.method, r.path.rsplit("/", 2)[-2:][0]) for r in github.writes()]
    assert [m for m, _ in methods] == ["POST", "PATCH"]
    assert outputs(job.parent / "output.txt")["comment-url"].startswith("https://github.example/")


def test_another_key_keeps_its_own_comment(
    github: FakeGitHub, job: Path, plans: dict[str, Path]
) -> None:
    for key in ("prod", "staging", "prod"):
        assert main(["github", "comment", str(plans["changes"]), "--key", key]) == EXIT_OK
    assert len(github.comments_on(PR)) == 2


def test_the_comment_is_found_past_the_first_page(
    github: FakeGitHub, job: Path, plans: dict[str, Path]
) -> None:
    for i in range(130):  # reviewers talk a lot
        github.comments[5000 + i] = {
            "id": 5000 + i,
            "issue": PR,
            "body": f"looks good {i}",
            "html_url": "x",
        }
    assert main(["github", "comment", str(plans["changes"])]) == EXIT_OK
    assert main(["github", "comment", str(plans["none"])]) == EXIT_OK
    ours = [c for c in github.comments_on(PR) if marker("plan", "plan") in c["body"]]
    assert len(ours) == 1 and "No changes" in ours[0]["body"]


def long_markdown(rows: int) -> str:
    lines = ["## aurum-sr plan", "", "**Plan: many changes.**", ""]
    for i in range(rows):
        lines += [
            f"<details><summary>Details of <code>subject.{i}</code></summary>",
            "",
            f"- `~` field `amount{i}` changed type from int to long " + "x" * 80,
            "",
            "</details>",
            "",
        ]
    return "\n".join(lines)


@pytest.mark.parametrize("rows", [10, 600, 5000])
def test_long_plans_fold_under_the_limit_and_update_in_place(github: FakeGitHub, rows: int) -> None:
    number = github.open_pull_request()
    markdown = long_markdown(rows)
    with GitHubClient(github.url, github.token, github.repository) as client:
        for artifact in ("https://a.example/1", "https://a.example/2"):
            body = plan_comment_body(markdown, summary="Plan: many changes.", full_at=artifact)
            upsert_comment(client, number, body)
    [comment] = github.comments_on(number)
    text = comment["body"]
    assert len(text.encode()) <= BODY_LIMIT  # the fake refuses longer bodies (422) too
    assert "https://a.example/2" in text
    folded = len(markdown.encode()) > BODY_LIMIT
    assert ("Too long for one comment" in text) is folded
    assert text.count("<details>") == text.count("</details>")
    if folded:
        assert text.index("**Plan: many changes.**") < text.index("<details>")


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (
            401,
            {},
            "GitHub rejected the token while listing the comments of pull request #1 (HTTP 401)",
        ),
        (403, {}, "GitHub refused listing the comments of pull request #1 (HTTP 403)"),
        (404, {}, "GitHub found nothing while listing the comments of pull request #1 (HTTP 404)"),
        (422, {}, "GitHub rejected listing the comments of pull request #1 (HTTP 422)"),
        (403, {"x_ratelimit_remaining": "0", "x_ratelimit_reset": "4102444800"}, "rate limit"),
    ],
)
def test_refusals_are_clear_errors_and_the_plan_still_reaches_the_summary(
    github: FakeGitHub,
    job: Path,
    plans: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    status: int,
    headers: dict[str, str],
    expected: str,
) -> None:
    # the workflow's order: job summary and annotations first, then the comment
    assert main(["github", "report", str(plans["changes"])]) == EXIT_OK
    github.fail_next(status, times=1, message="Resource not accessible by integration", **headers)
    assert main(["github", "comment", str(plans["changes"])]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert expected in err and "hint:" in err
    assert "Traceback" not in err and github.token not in err
    assert "Plan: 3 to create" in job.read_text()
    assert github.comments_on(PR) == []


@pytest.mark.parametrize("status", [401, 403, 422, 500])
def test_an_error_message_echoing_the_token_is_shown_redacted(
    github: FakeGitHub, plans: dict[str, Path], status: int
) -> None:
    echoed = f"Bad credentials: Authorization: Bearer {github.token}"
    github.fail_next(status, times=4, message=echoed)
    with (
        GitHubClient(github.url, github.token, github.repository, policy=NO_RETRY) as client,
        pytest.raises(GitHubError) as raised,
    ):
        client.request("GET", client.repo_path("issues/1/comments"), what="listing the comments")
    assert "Bad credentials: Authorization: Bearer ***" in str(raised.value)
    assert github.token not in str(raised.value) and github.requests


def test_throttling_is_retried_then_reported(
    github: FakeGitHub, job: Path, plans: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    github.fail_next(429, times=2, retry_after="0")
    assert main(["github", "comment", str(plans["changes"])]) == EXIT_OK
    assert len(github.comments_on(PR)) == 1
    github.fail_next(429, times=10, retry_after="0", message="API rate limit exceeded")
    assert main(["github", "comment", str(plans["none"])]) == EXIT_ERROR
    assert "rate limit stopped listing the comments" in capsys.readouterr().err
    assert len(github.requests) == 2 + 2 + 4  # two throttled, list, post; four attempts


def test_no_pull_request_in_the_event_is_a_clear_error(
    job: Path,
    plans: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    push = tmp_path / "push.json"
    push.write_text('{"ref": "refs/heads/main"}')
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(push))
    assert main(["github", "comment", str(plans["changes"])]) == EXIT_ERROR
    assert "is not about a pull request" in capsys.readouterr().err
    monkeypatch.delenv("GITHUB_TOKEN")
    assert main(["github", "comment", str(plans["changes"]), "--pr", "1"]) == EXIT_ERROR
    assert "GITHUB_TOKEN is not set" in capsys.readouterr().err


def test_an_unreachable_api_is_a_clear_error(
    job: Path,
    plans: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")
    monkeypatch.setattr("aurum_sr.github.client.RetryPolicy", lambda: NO_RETRY)
    assert main(["github", "comment", str(plans["changes"])]) == EXIT_ERROR
    assert "cannot reach the GitHub API at http://127.0.0.1:9" in capsys.readouterr().err


def test_the_comment_names_the_run_that_made_the_plan_and_a_new_run_alone_changes_nothing(
    github: FakeGitHub, job: Path, plans: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    made_by = json.loads(plans["changes"].read_text())["run_id"]
    assert main(["github", "comment", str(plans["changes"])]) == EXIT_OK
    [first] = github.comments_on(PR)
    assert f"<sub>aurum-sr run `{made_by}`</sub>" in first["body"]
    capsys.readouterr()
    # The same plan made again by another run: the comment stays as it is.
    other = first["body"].replace(made_by, "00000000-0000-4000-8000-000000000000")
    with GitHubClient(github.url, github.token, github.repository) as client:
        assert upsert_comment(client, PR, other).action.value == "unchanged"
    assert github.comments_on(PR)[0]["body"] == first["body"]


@pytest.mark.parametrize("run_id", ["", "not-a-uuid", "`x`</sub>"])
def test_a_run_id_that_is_not_a_uuid_is_left_out(run_id: str) -> None:
    body = plan_comment_body("Plan: 1 to create.", summary="s", run_id=run_id)
    assert "aurum-sr run" not in body


def test_the_comment_keeps_to_a_markdown_budget_and_compact_mode(
    github: FakeGitHub, job: Path, plans: dict[str, Path]
) -> None:
    assert main(["github", "comment", str(plans["changes"])]) == EXIT_OK
    [whole] = github.comments_on(PR)
    whole_body = str(whole["body"])
    assert "Shortened" not in whole_body and "Schema diff" in whole_body
    args = ["github", "comment", str(plans["changes"]), "--markdown-budget", "1500"]
    assert main(args) == EXIT_OK
    [short] = github.comments_on(PR)
    assert short["id"] == whole["id"]
    assert "Shortened to fit 1,500 bytes" in short["body"]
    assert "Too long for one comment" not in short["body"]  # the budget, not the cut
    assert main(["github", "comment", str(plans["changes"]), "--compact"]) == EXIT_OK
    [compact] = github.comments_on(PR)
    assert len(compact["body"]) < len(whole_body)
