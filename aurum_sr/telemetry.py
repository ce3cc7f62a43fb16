"""What a run measures while it runs: every registry request, reported to whoever listens.

The registry client reports each attempt of each request here; the CLI's metrics
(:mod:`aurum_sr.metrics`) listen when a run was asked for them (``--metrics-file``,
``--pushgateway``). With nobody listening, reporting costs one attribute read.
"""

from __future__ import annotations

from typing import Protocol


class RequestListener(Protocol):
    def __call__(
        self, method: str, endpoint: str, status: str, seconds: float, attempt: int
    ) -> None:
        """One attempt of a registry request: ``endpoint`` is the path template
        (``/subjects/{subject}/versions``, never a subject name), ``status`` the HTTP status or
        ``error`` when no answer came, ``attempt`` 1 for the first try. Called from the
        client's worker threads."""


class _Listeners:
    current: RequestListener | None = None


def listen(listener: RequestListener | None) -> None:
    """Report every registry request to ``listener`` from now on (None: to nobody)."""
    _Listeners.current = listener


def listening() -> bool:
    """True when someone listens (the client templates the path only then)."""
    return _Listeners.current is not None


def request(method: str, endpoint: str, status: str, seconds: float, attempt: int) -> None:
    """Report one attempt of a registry request (see :class:`RequestListener`)."""
    listener = _Listeners.current
    if listener is not None:
        listener(method, endpoint, status, seconds, attempt)
