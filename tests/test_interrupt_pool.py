"""The shared thread pool: an interruption does not wait for the work in flight."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future

import pytest

from aurum_sr import interrupt


@pytest.mark.parametrize("signal_exc", [KeyboardInterrupt, interrupt.Terminated])
def test_an_interruption_leaves_at_once_and_cancels_what_has_not_started(
    signal_exc: type[BaseException],
) -> None:
    release = threading.Event()
    queued: Future[None] | None = None
    started = time.monotonic()
    with pytest.raises(signal_exc), interrupt.pool(1) as pool:
        pool.submit(release.wait, 30)  # a request hanging in flight
        queued = pool.submit(lambda: None)  # waits for the only thread
        raise signal_exc()
    left_after = time.monotonic() - started
    release.set()
    assert left_after < 5, "the pool waited for the request in flight"
    assert queued is not None and queued.cancelled()


def test_any_other_exception_waits_for_the_work_in_flight() -> None:
    finished = threading.Event()

    def work() -> None:
        time.sleep(0.2)
        finished.set()

    with pytest.raises(ValueError), interrupt.pool(2) as pool:
        pool.submit(work)
        raise ValueError("a registry error")
    assert finished.is_set()


def test_a_block_that_ends_normally_waits_for_its_work() -> None:
    with interrupt.pool(4) as pool:
        futures = [pool.submit(time.sleep, 0.05) for _ in range(8)]
    assert all(f.done() and not f.cancelled() for f in futures)
