"""Signals that end a run early: Ctrl-C (SIGINT) and SIGTERM (a cancelled CI job).

Ctrl-C raises :class:`KeyboardInterrupt` wherever the program is, as Python does by default.
SIGTERM, once :func:`install` has run (the CLI does it), does the same with :class:`Terminated`
-- except inside :func:`gentle`, the stretch in which apply writes to the registry. There it
only records the request (:func:`requested`): apply starts no new step, lets the requests in
flight finish or time out, and reports every step as done, failed or not started. Cutting a
write off half-way would leave its outcome unknown; a CI runner waits a while after SIGTERM
before it kills, long enough for the requests in flight.

The module also remembers whether this run began writing to a registry (:func:`writing`), so
an interrupted command can say truthfully whether anything was written, and gives the thread
pool every concurrent read uses (:func:`pool`), which an interruption does not hold up.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = [
    "Terminated",
    "gentle",
    "install",
    "last",
    "pool",
    "requested",
    "restore",
    "wrote",
    "writing",
]


class Terminated(BaseException):
    """SIGTERM arrived outside :func:`gentle`: the run stops where it is (exit 143).

    A ``BaseException`` like :class:`KeyboardInterrupt`, so ``except Exception`` does not
    swallow it.
    """


_requested = threading.Event()
_gentle_depth = 0
_wrote = False
_last: BaseException | None = None


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    global _last
    _requested.set()
    if _gentle_depth == 0:
        _last = Terminated()
        raise _last


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    # Python's own behaviour, remembering the exception: typer turns a KeyboardInterrupt into
    # a bare exit code 130, and the CLI still wants to say what happened (and, with --debug,
    # where: the exception keeps its traceback).
    global _last
    _last = KeyboardInterrupt()
    raise _last


def install() -> tuple[Any, Any] | None:
    """Handle SIGTERM (and Ctrl-C) as this module describes, from now on; returns the
    previous handlers (for :func:`restore`). Only the main thread may install handlers:
    elsewhere nothing changes and None is returned. Ctrl-C stays ignored where it was (a
    background job)."""
    global _wrote, _last
    _requested.clear()
    _wrote = False
    _last = None
    if threading.current_thread() is not threading.main_thread():
        return None
    previous_int = signal.getsignal(signal.SIGINT)
    if previous_int is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)
    return signal.signal(signal.SIGTERM, _on_sigterm), previous_int


def restore(previous: tuple[Any, Any] | None) -> None:
    """Put back the handlers :func:`install` replaced."""
    if previous is not None and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])


def last() -> BaseException | None:
    """The KeyboardInterrupt or :class:`Terminated` the last signal raised in this run."""
    return _last


def requested() -> bool:
    """True once SIGTERM arrived in this run: start nothing new."""
    return _requested.is_set()


@contextmanager
def gentle() -> Iterator[None]:
    """Within: SIGTERM only sets :func:`requested`; the code inside polls it and winds down."""
    global _gentle_depth
    _gentle_depth += 1
    try:
        yield
    finally:
        _gentle_depth -= 1


def writing() -> None:
    """Record that this run started writing to a registry."""
    global _wrote
    _wrote = True


def wrote() -> bool:
    """True when this run started writing to a registry (see :func:`writing`)."""
    return _wrote


@contextmanager
def pool(workers: int) -> Iterator[ThreadPoolExecutor]:
    """A thread pool of ``workers`` threads that waits for its work on the way out -- unless a
    signal ended the block (KeyboardInterrupt, :class:`Terminated`): then the work not yet
    started is cancelled and the requests in flight are left to their timeouts, so the run
    can say it was interrupted and end at once instead of waiting for them."""
    executor = ThreadPoolExecutor(max_workers=workers)
    try:
        yield executor
    except (KeyboardInterrupt, Terminated):
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    except BaseException:
        executor.shutdown(wait=True)
        raise
    executor.shutdown(wait=True)
