"""A run's metrics: started by the global options (``--metrics-file``, ``--pushgateway``), fed
by the commands, written and pushed when the command has ended, whatever its exit code.

The metrics are listed in docs/observability.md. Failing to write ``--metrics-file`` is an error
(exit 1, after the command's own output); failing to push is a warning: a Pushgateway outage must
not fail a deploy or hide a drift report.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aurum_sr import telemetry

if TYPE_CHECKING:
    from aurum_sr.apply import ApplyResult
    from aurum_sr.diff.drift import DriftReport
    from aurum_sr.metrics import RunMetrics
    from aurum_sr.model import DesiredState
    from aurum_sr.plan import Plan

DEFAULT_JOB = "aurum-sr"


@dataclass
class _Run:
    metrics: RunMetrics
    started: float
    metrics_file: str | None
    pushgateway: str | None
    job: str


class _Current:
    run: _Run | None = None


def start(
    command: str, *, metrics_file: str | None, pushgateway: str | None, job: str = DEFAULT_JOB
) -> None:
    """Measure this run of ``command`` when metrics were asked for (else measure nothing).

    Raises:
        AurumError: ``metrics_file`` cannot be written (checked before any work).
    """
    _Current.run = None
    telemetry.listen(None)
    if metrics_file is None and pushgateway is None:
        return
    from aurum_sr.cli.options import check_writable
    from aurum_sr.metrics import RunMetrics

    if metrics_file is not None:
        check_writable(metrics_file, "metrics")
    metrics = RunMetrics(command)
    _Current.run = _Run(metrics, time.monotonic(), metrics_file, pushgateway, job)
    telemetry.listen(metrics.request)


def environment(env: str | None) -> None:
    """The run's ``--env`` (the ``environment`` label; ``default`` without one)."""
    if _Current.run is not None and env is not None:
        _Current.run.metrics.environment = env


def managed(state: DesiredState) -> None:
    if _Current.run is not None:
        _Current.run.metrics.managed_subjects = len(state.subjects)


def plan(made: Plan) -> None:
    if _Current.run is not None:
        _Current.run.metrics.plan = made


def apply(result: ApplyResult) -> None:
    if _Current.run is not None:
        _Current.run.metrics.apply = result


def drift(report: DriftReport) -> None:
    if _Current.run is not None:
        _Current.run.metrics.drift = report


def finish(exit_code: int) -> int:
    """Write and push the run's metrics, if it has any; the exit code to end with (1 instead
    of a success when the metrics file could not be written)."""
    current, _Current.run = _Current.run, None
    telemetry.listen(None)
    if current is None:
        return exit_code
    from aurum_sr.metrics import MetricsError, last_success, push, succeeded, write_file

    metrics = current.metrics
    labels = {"command": metrics.command, "environment": metrics.environment}
    if succeeded(exit_code):
        success: float | None = time.time()
    elif current.metrics_file is not None:
        success = last_success(current.metrics_file, labels)  # keep the last one known
    else:
        success = None  # the Pushgateway keeps the last one pushed (pushes add)
    registry = metrics.registry(
        exit_code=exit_code, duration=time.monotonic() - current.started, last_success=success
    )
    if current.pushgateway is not None:
        try:
            push(current.pushgateway, registry, job=current.job, grouping_key=labels)
        except MetricsError as exc:
            print(f"warning: {exc}", file=sys.stderr)
    if current.metrics_file is not None:
        try:
            write_file(current.metrics_file, registry)
        except MetricsError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return exit_code if exit_code != 0 else 1
    return exit_code
