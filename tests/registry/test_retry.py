"""RetryPolicy: attempts, what is retried, the time budget, and the log of each retry."""

from __future__ import annotations

import logging
import time

import pytest

from aurum_sr.registry.retry import RetryableStatus, RetryPolicy

FAST = RetryPolicy(max_attempts=4, max_seconds=5.0, base_seconds=0.001, cap_seconds=0.002)


class Flaky:
    """Fails ``failures`` times with ``error``, then answers "ok"."""

    def __init__(self, failures: int, error: BaseException, pause: float = 0.0) -> None:
        self.failures = failures
        self.error = error
        self.pause = pause
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        time.sleep(self.pause)
        if self.calls <= self.failures:
            raise self.error
        return "ok"


def busy() -> RetryableStatus:
    return RetryableStatus(503, retry_after=None, error_code=None, message="busy")


@pytest.mark.parametrize(
    ("failures", "calls", "answer"),
    [(0, 1, "ok"), (1, 2, "ok"), (3, 4, "ok"), (4, 4, None), (9, 4, None)],
)
def test_attempts_in_total(failures: int, calls: int, answer: str | None) -> None:
    flaky = Flaky(failures, ConnectionError("reset"))
    if answer is None:
        with pytest.raises(ConnectionError, match="reset"):
            FAST.run(flaky, retry_on=(ConnectionError,))
    else:
        assert FAST.run(flaky, retry_on=(ConnectionError,)) == answer
    assert flaky.calls == calls


def test_retryable_statuses_are_retried_and_others_are_not() -> None:
    flaky = Flaky(2, busy())
    assert FAST.run(flaky, retry_on=()) == "ok"
    assert flaky.calls == 3
    broken = Flaky(1, ValueError("bug"))
    with pytest.raises(ValueError):
        FAST.run(broken, retry_on=(ConnectionError,))
    assert broken.calls == 1


def test_a_single_attempt_policy_never_retries() -> None:
    flaky = Flaky(1, busy())
    with pytest.raises(RetryableStatus):
        RetryPolicy(max_attempts=1).run(flaky, retry_on=())
    assert flaky.calls == 1


def test_the_time_budget_counts_the_first_attempt() -> None:
    # The first attempt alone outlasts the budget: no retry starts after it.
    slow = Flaky(5, ConnectionError("reset"), pause=0.15)
    policy = RetryPolicy(max_attempts=4, max_seconds=0.1, base_seconds=0.001, cap_seconds=0.002)
    with pytest.raises(ConnectionError):
        policy.run(slow, retry_on=(ConnectionError,))
    assert slow.calls == 1


def test_each_retry_is_logged_with_its_attempt_number(caplog: pytest.LogCaptureFixture) -> None:
    flaky = Flaky(2, busy())
    with caplog.at_level(logging.DEBUG, logger="aurum_sr.registry"):
        FAST.run(flaky, retry_on=(), describe=lambda exc: f"described {type(exc).__name__}")
    retries = [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]
    assert [m.split(" (")[0] for m in retries] == ["attempt 1 failed", "attempt 2 failed"]
    assert all("described RetryableStatus" in m for m in retries)
