"""Where a GitHub Actions job runs: the repository, the token, the API and the event, read from
the environment the runner sets (``GITHUB_TOKEN`` comes from the workflow's ``env:``)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from aurum_sr.errors import ConfigError

DEFAULT_API_URL = "https://api.github.com"
DEFAULT_SERVER_URL = "https://github.com"


@dataclass(frozen=True)
class GitHubContext:
    """What a command that talks to GitHub needs to know about the job."""

    repository: str
    """``OWNER/NAME`` (``GITHUB_REPOSITORY``)."""
    token: str = field(repr=False)
    api_url: str = DEFAULT_API_URL
    """The REST API's root (``GITHUB_API_URL``; ``https://HOST/api/v3`` on GitHub Enterprise)."""
    server_url: str = DEFAULT_SERVER_URL
    event_path: str | None = None
    run_id: str | None = None

    @property
    def run_url(self) -> str | None:
        """The web page of this workflow run, when the runner said which run this is."""
        if not self.run_id:
            return None
        return f"{self.server_url.rstrip('/')}/{self.repository}/actions/runs/{self.run_id}"

    def pull_request_number(self) -> int:
        """The pull request the triggering event is about.

        Raises:
            ConfigError: no event file, or an event that is not about a pull request.
        """
        if not self.event_path:
            raise ConfigError(
                "GITHUB_EVENT_PATH is not set, so there is no pull request to comment on",
                hint="run this in a `pull_request` workflow, or pass --pr NUMBER",
            )
        try:
            event = json.loads(Path(self.event_path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"cannot read the event file {self.event_path} (GITHUB_EVENT_PATH): {exc}",
                hint="run this in a `pull_request` workflow, or pass --pr NUMBER",
            ) from None
        pull = event.get("pull_request") if isinstance(event, dict) else None
        number = pull.get("number") if isinstance(pull, dict) else None
        if isinstance(event, dict) and number is None:
            issue = event.get("issue")
            if isinstance(issue, dict) and "pull_request" in issue:
                number = issue.get("number")
        if not isinstance(number, int) or number <= 0:
            raise ConfigError(
                f"the event in {self.event_path} is not about a pull request",
                hint="trigger the workflow on `pull_request`, or pass --pr NUMBER",
            )
        return number


def github_context(environ: Mapping[str, str] | None = None) -> GitHubContext:
    """The context from ``environ`` (default: ``os.environ``).

    Raises:
        ConfigError: ``GITHUB_TOKEN`` or ``GITHUB_REPOSITORY`` missing or malformed.
    """
    env = os.environ if environ is None else environ
    missing = [name for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY") if not env.get(name)]
    if missing:
        raise ConfigError(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set",
            hint="in a workflow step: `env: GITHUB_TOKEN: ${{ github.token }}` "
            "(GitHub sets GITHUB_REPOSITORY itself)",
        )
    repository = env["GITHUB_REPOSITORY"]
    owner, _, name = repository.partition("/")
    if not owner or not name or "/" in name:
        raise ConfigError(
            f"GITHUB_REPOSITORY must be OWNER/NAME, not {repository!r}",
            hint="GitHub Actions sets it; elsewhere set it by hand",
        )
    return GitHubContext(
        repository=repository,
        token=env["GITHUB_TOKEN"],
        api_url=env.get("GITHUB_API_URL") or DEFAULT_API_URL,
        server_url=env.get("GITHUB_SERVER_URL") or DEFAULT_SERVER_URL,
        event_path=env.get("GITHUB_EVENT_PATH") or None,
        run_id=env.get("GITHUB_RUN_ID") or None,
    )
