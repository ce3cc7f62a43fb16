"""Prometheus metrics for a run (``--metrics-file``, ``--pushgateway``): the one package that
imports prometheus_client. The metrics are listed in docs/observability.md."""

from aurum_sr.metrics.export import MetricsError, exposition, last_success, push, write_file
from aurum_sr.metrics.recorder import DEFAULT_ENVIRONMENT, RunMetrics, succeeded

__all__ = [
    "DEFAULT_ENVIRONMENT",
    "MetricsError",
    "RunMetrics",
    "exposition",
    "last_success",
    "push",
    "succeeded",
    "write_file",
]
