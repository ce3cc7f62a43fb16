"""The drift issue: one open issue (labelled ``schema-drift``) that lists the findings, updated
by every later run that still finds drift and closed, with a comment, by the first that does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from aurum_sr.github.body import BODY_LIMIT, fold, marker
from aurum_sr.github.client import GitHubClient

DRIFT_LABEL = "schema-drift"


class IssueAction(str, Enum):
    OPENED = "opened"
    UPDATED = "updated"
    CLOSED = "closed"
    NONE = "none"
    """No drift and no open issue: nothing to do."""


@dataclass(frozen=True)
class IssueResult:
    action: IssueAction
    number: int | None = None
    url: str | None = None


def find_open_issue(
    client: GitHubClient, *, label: str = DRIFT_LABEL, key: str = "drift"
) -> dict[str, Any] | None:
    """The open issue with ``label`` that carries the drift marker for ``key`` (the oldest)."""
    tag = marker("drift", key)
    issues = client.paginate(
        client.repo_path("issues"),
        what=f"listing the open issues labelled {label}",
        params={"state": "open", "labels": label, "sort": "created", "direction": "asc"},
    )
    return next(
        (i for i in issues if "pull_request" not in i and tag in str(i.get("body") or "")),
        None,
    )


def sync_drift_issue(
    client: GitHubClient,
    *,
    drifted: bool,
    findings: int,
    markdown: str,
    summary: str,
    run_url: str | None = None,
    label: str = DRIFT_LABEL,
    key: str = "drift",
    limit: int = BODY_LIMIT,
) -> IssueResult:
    """Open, update or close the drift issue so that it tells what this run found.

    Raises:
        GitHubError: GitHub refused a request.
    """
    existing = find_open_issue(client, label=label, key=key)
    if not drifted:
        if existing is None:
            return IssueResult(IssueAction.NONE)
        number = int(existing["number"])
        seen = f" ({run_url})" if run_url else ""
        client.request(
            "POST",
            client.repo_path(f"issues/{number}/comments"),
            what=f"commenting on drift issue #{number}",
            body={"body": f"No drift any more: the registry matches the contracts{seen}."},
        )
        closed = client.request(
            "PATCH",
            client.repo_path(f"issues/{number}"),
            what=f"closing drift issue #{number}",
            body={"state": "closed", "state_reason": "completed"},
        )
        return IssueResult(IssueAction.CLOSED, number, str(closed["html_url"]))
    title = f"Schema registry drift: {findings} finding{'' if findings == 1 else 's'}"
    body = fold(
        markdown,
        head=f"## aurum-sr drift\n\n**{summary}**",
        tag=marker("drift", key),
        full_at=run_url,
        full_label="Found by",
        limit=limit,
    )
    if existing is None:
        opened = client.request(
            "POST",
            client.repo_path("issues"),
            what=f"opening the drift issue (label {label})",
            body={"title": title, "body": body, "labels": [label]},
        )
        return IssueResult(IssueAction.OPENED, int(opened["number"]), str(opened["html_url"]))
    number = int(existing["number"])
    updated = client.request(
        "PATCH",
        client.repo_path(f"issues/{number}"),
        what=f"updating drift issue #{number}",
        body={"title": title, "body": body},
    )
    return IssueResult(IssueAction.UPDATED, number, str(updated["html_url"]))
