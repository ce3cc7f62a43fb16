"""The run id: one UUID per invocation, tying log lines, the plan, the apply report, pull-request
comments and the registry's own request logs (the ``X-Aurum-Run-Id`` header) to one run.

The CLI starts a run per command (:func:`begin`); library callers that never do get one id for
the whole process on first use.
"""

from __future__ import annotations

import uuid

REQUEST_HEADER = "X-Aurum-Run-Id"
"""The header every registry request carries the run id in. One value for all of a run's
requests, so not ``X-Request-ID`` (which proxies expect to be unique per request and may
replace)."""

_current: str | None = None


def begin() -> str:
    """Start a new run: a fresh UUID4 that :func:`run_id` returns from now on."""
    global _current
    _current = str(uuid.uuid4())
    return _current


def run_id() -> str:
    """The id of the current run (a new one if no run was begun)."""
    return _current if _current is not None else begin()
