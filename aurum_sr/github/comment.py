"""The sticky pull-request comment: one per pull request (and key), found again by its hidden
marker and updated in place on every later run."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from aurum_sr.github.body import BODY_LIMIT, fold, marker, with_run, without_run
from aurum_sr.github.client import GitHubClient


class CommentAction(str, Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class CommentResult:
    action: CommentAction
    comment_id: int
    url: str


def plan_comment_body(
    markdown: str,
    *,
    summary: str,
    key: str = "plan",
    full_at: str | None = None,
    limit: int = BODY_LIMIT,
    run_id: str = "",
) -> str:
    """The comment for a plan rendered as ``markdown`` (its ``summary`` line stays visible
    when a long plan is folded), naming ``run_id``, the run that made the plan."""
    head = f"## aurum-sr plan\n\n**{summary}**"
    return fold(
        markdown,
        head=head,
        tag=with_run(marker("plan", key), run_id),
        full_at=full_at,
        full_label="The saved plan",
        limit=limit,
    )


def upsert_comment(
    client: GitHubClient, number: int, body: str, *, key: str = "plan"
) -> CommentResult:
    """Create the comment on pull request ``number``, or update the one carrying the same
    marker (the oldest, if several do).

    Raises:
        GitHubError: GitHub refused a request.
    """
    tag = marker("plan", key)
    where = f"pull request #{number}"
    existing = next(
        (
            c
            for c in client.paginate(
                client.repo_path(f"issues/{number}/comments"),
                what=f"listing the comments of {where}",
            )
            if tag in str(c.get("body") or "")
        ),
        None,
    )
    if existing is None:
        created = client.request(
            "POST",
            client.repo_path(f"issues/{number}/comments"),
            what=f"posting the plan comment on {where}",
            body={"body": body},
        )
        return CommentResult(CommentAction.CREATED, int(created["id"]), str(created["html_url"]))
    comment_id = int(existing["id"])
    if without_run(str(existing.get("body") or "")) == without_run(body):
        return CommentResult(CommentAction.UNCHANGED, comment_id, str(existing["html_url"]))
    updated = client.request(
        "PATCH",
        client.repo_path(f"issues/comments/{comment_id}"),
        what=f"updating the plan comment on {where}",
        body={"body": body},
    )
    return CommentResult(CommentAction.UPDATED, comment_id, str(updated["html_url"]))
