"""Failures the test server can inject: an error answer, a dropped connection, a slow answer.

A :class:`Fault` says what to do and to which requests (method, path prefix, the Nth request,
how many times); :class:`Faults` holds the pending ones and hands each request the first that
matches. The server (:mod:`aurum_sr.testing.server`) carries them out.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal

FaultKind = Literal["status", "reset", "slow"]
"""``status``: answer with an HTTP status and a registry error body; ``reset``: close the
connection without answering; ``slow``: answer normally after a delay."""


@dataclass
class Fault:
    """A failure to inject into matching requests."""

    kind: FaultKind
    status: int = 503
    retry_after: float | None = None
    delay: float = 0.0
    """For ``slow``: seconds to wait before answering normally."""
    method: str | None = None
    """Only requests with this method (``None``: any)."""
    path: str | None = None
    """Only requests whose path starts with this (``None``: any)."""
    at_request: int | None = None
    """Only the request with this 1-based number (counted by the server)."""
    times: int = 1
    error_code: int | None = None
    """For ``status``: the body's ``error_code`` (default: 50001 for 500, else the status)."""
    message: str = "injected fault"
    """For ``status``: the body's ``message``."""

    def matches(self, number: int, method: str, path: str) -> bool:
        return (
            self.times > 0
            and (self.at_request is None or self.at_request == number)
            and (self.method is None or self.method == method)
            and (self.path is None or path.startswith(self.path))
        )


class Faults:
    """The faults waiting for their requests (thread-safe)."""

    def __init__(self) -> None:
        self._pending: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._pending.append(fault)

    def take(self, number: int, method: str, path: str) -> Fault | None:
        """The first fault matching request ``number`` (``path`` without its query), used up
        once; None when no fault applies."""
        with self._lock:
            for fault in self._pending:
                if fault.matches(number, method, path):
                    fault.times -= 1
                    return fault
            return None
