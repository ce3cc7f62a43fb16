"""Retrying one registry request: full-jitter exponential backoff, ``Retry-After`` honoured, a
cap on attempts and on total time (tenacity does the bookkeeping)."""

from __future__ import annotations

import email.utils
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_random_exponential,
)

T = TypeVar("T")

log = logging.getLogger("aurum_sr.registry")

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""What Confluent's own clients retry: request timeout, throttling and server errors."""


class RetryableStatus(Exception):
    """An HTTP answer worth retrying (408, 429, 5xx); carries what the server said."""

    def __init__(
        self,
        status: int,
        *,
        retry_after: float | None,
        error_code: int | None,
        message: str,
        registry_message: str | None = None,
    ) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.retry_after = retry_after
        self.error_code = error_code
        self.message = message
        self.registry_message = registry_message
        """The registry's own words, when the body was a registry error body."""


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds, or an HTTP date. Anything else
    (``nan``, ``inf``, garbage, a date without a zone) is ignored: the backoff decides."""
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - time.time()
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one request."""

    max_attempts: int = 4
    """Attempts in total (the first one plus retries)."""
    max_seconds: float = 30.0
    """No new attempt starts after this long (and no wait would cross it)."""
    base_seconds: float = 0.25
    cap_seconds: float = 8.0

    def run(
        self,
        attempt: Callable[[], T],
        *,
        retry_on: tuple[type[BaseException], ...],
        describe: Callable[[BaseException], str] = str,
    ) -> T:
        """Call ``attempt`` until it returns, retrying exceptions of ``retry_on`` (and
        :class:`RetryableStatus`); the last exception propagates when retries are exhausted."""
        retryable: tuple[type[BaseException], ...] = (RetryableStatus, *retry_on)
        started = time.monotonic()
        try:  # the common case, without building the retry machinery (~0.08 ms per request)
            return attempt()
        except retryable as exc:
            if self.max_attempts <= 1:
                raise
            failed: BaseException | None = exc

        def again() -> T:
            # Tenacity's first attempt is the one that just failed: same waits, same log.
            nonlocal failed
            if failed is not None:
                first, failed = failed, None
                raise first
            return attempt()

        jitter = wait_random_exponential(multiplier=self.base_seconds, max=self.cap_seconds)

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            if isinstance(exc, RetryableStatus) and exc.retry_after is not None:
                return min(exc.retry_after, self.max_seconds)
            return float(jitter(state))

        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            log.debug(
                "attempt %d failed (%s); retrying in %.2fs",
                state.attempt_number,
                describe(exc) if exc is not None else "?",
                state.upcoming_sleep,
            )

        retrying = Retrying(
            retry=retry_if_exception_type(retryable),
            wait=wait,
            stop=stop_after_attempt(self.max_attempts)
            | stop_before_delay(max(0.0, self.max_seconds - (time.monotonic() - started))),
            before_sleep=before_sleep,
            reraise=True,
        )
        return retrying(again)
