"""A small GitHub REST API client: the few calls a sticky comment and a drift issue need.

Retries use the registry's policy (:class:`aurum_sr.registry.retry.RetryPolicy`: full-jitter
exponential backoff, ``Retry-After`` honoured) on transport errors, 408, 429 and 5xx, and on
GitHub's rate-limit answers when the limit resets within the policy's time budget. Every other
failure becomes a :class:`~aurum_sr.errors.GitHubError` that says what was refused and what to
fix. The token goes only into the ``Authorization`` header of requests to ``api_url``; an error
message GitHub (or a proxy in front of it) sends back has the token redacted before it is shown.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from typing import Any

import requests

from aurum_sr.errors import GitHubError
from aurum_sr.registry.retry import RETRY_STATUSES, RetryableStatus, RetryPolicy, parse_retry_after
from aurum_sr.secrets import redact

log = logging.getLogger("aurum_sr.github")

API_VERSION = "2022-11-28"
"""The REST API version every request asks for (``X-GitHub-Api-Version``)."""

PER_PAGE = 100


class GitHubClient:
    """Requests to one repository's REST API (``{api_url}/repos/{repository}/...``)."""

    def __init__(
        self,
        api_url: str,
        token: str,
        repository: str,
        *,
        policy: RetryPolicy | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.repository = repository
        self._policy = policy or RetryPolicy()
        self._timeout = timeout
        self._secrets = (token,)
        self._session = requests.Session()
        self._session.headers.update(
            {
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {token}",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": "aurum-sr",
            }
        )

    def __repr__(self) -> str:  # never the token
        return f"GitHubClient({self.api_url!r}, repository={self.repository!r})"

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def repo_path(self, path: str) -> str:
        return f"/repos/{self.repository}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        what: str,
        params: Mapping[str, str | int] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send one request (retried as the module says) and return its JSON body.

        ``what`` names the operation for error messages, e.g. ``"updating the plan comment"``.

        Raises:
            GitHubError: GitHub refused the request or could not be reached.
        """
        url = f"{self.api_url}{path}"
        answers: list[requests.Response] = []

        def attempt() -> requests.Response:
            log.debug("%s %s", method, url)
            response = self._session.request(
                method, url, params=params, json=body, timeout=self._timeout
            )
            answers.append(response)
            wait = _retry_wait(response, self._policy.max_seconds)
            if wait is not None:
                raise RetryableStatus(
                    response.status_code,
                    retry_after=wait,
                    error_code=None,
                    message=self._said(response),
                )
            return response

        try:
            response = self._policy.run(
                attempt, retry_on=(requests.ConnectionError, requests.Timeout)
            )
        except RetryableStatus as exc:
            raise _status_error(exc.status, exc.message, what, answers[-1]) from None
        except requests.RequestException as exc:
            raise GitHubError(
                f"cannot reach the GitHub API at {self.api_url} while {what}: {type(exc).__name__}",
                hint="check GITHUB_API_URL (GitHub Enterprise: https://HOST/api/v3) and the "
                "network",
            ) from None
        if response.status_code >= 400:
            raise _status_error(response.status_code, self._said(response), what, response)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise GitHubError(
                f"the GitHub API at {self.api_url} answered {what} with something that is not JSON",
                hint="check GITHUB_API_URL: it must be the REST API's root, not the web server",
            ) from None

    def _said(self, response: requests.Response) -> str:
        """GitHub's error message in ``response``, the token redacted in every encoding."""
        return redact(_message(response), self._secrets)

    def paginate(
        self, path: str, *, what: str, params: Mapping[str, str | int] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every item of a listing, page by page (``per_page=100``) until a short page."""
        page = 1
        while True:
            query: dict[str, str | int] = {**(params or {}), "per_page": PER_PAGE, "page": page}
            items = self.request("GET", path, what=what, params=query)
            if not isinstance(items, list):
                raise GitHubError(f"the GitHub API answered {what} with something not a list")
            yield from (item for item in items if isinstance(item, dict))
            if len(items) < PER_PAGE:
                return
            page += 1


def _rate_limited(response: requests.Response) -> bool:
    if response.status_code not in (403, 429):
        return False
    if response.headers.get("x-ratelimit-remaining") == "0":
        return True
    return "retry-after" in response.headers or "rate limit" in _message(response).lower()


def _retry_wait(response: requests.Response, budget: float) -> float | None:
    """Seconds to wait before trying again, or None when the answer is final.

    A rate limit that resets later than ``budget`` seconds from now is final: waiting that long
    inside one CI step helps nobody.
    """
    status = response.status_code
    if _rate_limited(response):
        after = parse_retry_after(response.headers.get("retry-after"))
        if after is None:
            reset = parse_retry_after(response.headers.get("x-ratelimit-reset"))
            after = max(0.0, reset - time.time()) if reset is not None else 60.0
        return after if after <= budget else None
    if status in RETRY_STATUSES:
        return parse_retry_after(response.headers.get("retry-after")) or 0.0
    return None


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.reason or f"HTTP {response.status_code}"
    if not isinstance(body, dict):
        return response.reason or f"HTTP {response.status_code}"
    message = str(body.get("message") or response.reason or "")
    details = [
        str(e.get("message") or e.get("code") or e) if isinstance(e, dict) else str(e)
        for e in body.get("errors") or ()
    ]
    return f"{message} ({'; '.join(details)})" if details else message


def _status_error(
    status: int, message: str, what: str, response: requests.Response | None
) -> GitHubError:
    if (response is not None and _rate_limited(response)) or status == 429:
        reset = response.headers.get("x-ratelimit-reset") if response is not None else None
        when = ""
        if reset and reset.isdigit():
            when = " until " + time.strftime("%H:%M:%S UTC", time.gmtime(int(reset)))
        return GitHubError(
            f"GitHub's API rate limit stopped {what} (HTTP {status}){when}: {message}",
            status=status,
            hint="run the job again later; a workflow's GITHUB_TOKEN has its own, larger limit",
        )
    if status == 401:
        return GitHubError(
            f"GitHub rejected the token while {what} (HTTP 401): {message}",
            status=status,
            hint="set GITHUB_TOKEN to a valid token; in a workflow: "
            "`env: GITHUB_TOKEN: ${{ github.token }}`",
        )
    if status == 403:
        return GitHubError(
            f"GitHub refused {what} (HTTP 403): {message}",
            status=status,
            hint="the workflow needs `permissions: pull-requests: write` for the plan comment and "
            "`issues: write` for the drift issue; pull requests from forks get a read-only token",
        )
    if status == 404:
        return GitHubError(
            f"GitHub found nothing while {what} (HTTP 404): {message}",
            status=status,
            hint="check GITHUB_REPOSITORY (OWNER/NAME) and the pull request number, and that the "
            "token can see the repository",
        )
    if status == 422:
        return GitHubError(
            f"GitHub rejected {what} (HTTP 422): {message}",
            status=status,
            hint="the request was well-formed but GitHub would not accept it; the message says why",
        )
    return GitHubError(f"GitHub answered {what} with HTTP {status}: {message}", status=status)
