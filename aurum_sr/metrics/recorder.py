"""What one run measured, turned into Prometheus metrics in a registry of the run's own.

A :class:`RunMetrics` collects while the command runs (registry requests from
:mod:`aurum_sr.telemetry`, then the plan, the apply result or the drift report) and builds a
fresh :class:`~prometheus_client.CollectorRegistry` at the end, so every metric carries the
command and the environment the run turned out to have, and nothing leaks into the process-wide
default registry of an embedding program.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Protocol, get_args

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import disable_created_metrics as _no_created

from aurum_sr.apply.result import ApplyResult, StepStatus
from aurum_sr.diff.drift import DriftKind, DriftReport
from aurum_sr.errors import EXIT_CHANGES, EXIT_INCOMPATIBLE, EXIT_OK
from aurum_sr.plan.model import Plan, SubjectAction
from aurum_sr.plan.steps import Step

DEFAULT_ENVIRONMENT = "default"
"""The ``environment`` label of a run without ``--env``."""

STEP_KINDS: tuple[str, ...] = tuple(
    str(f.default) for cls in get_args(Step) for f in fields(cls) if f.name == "kind"
)
"""Every ``kind`` a plan step has (each is reported, zero included)."""

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
"""Registry request latency buckets, in seconds: a healthy registry answers in milliseconds,
a struggling one in seconds; the client gives up at its deadline (30 s by default)."""

_RUN = ("command", "environment")


def succeeded(exit_code: int) -> bool:
    """True when the command did its job: no changes, changes or drift found (2), or an
    incompatible change found (3) are all answers; 1, 70 and 130 are failures."""
    return exit_code in (EXIT_OK, EXIT_CHANGES, EXIT_INCOMPATIBLE)


@dataclass(frozen=True)
class RequestSample:
    """One attempt of one registry request."""

    method: str
    endpoint: str
    """The path template (``/subjects/{subject}``), never a subject name."""
    status: str
    """The HTTP status, or ``error`` when no answer came."""
    seconds: float
    attempt: int


class RunMetrics:
    """What one run of ``command`` measured."""

    def __init__(self, command: str) -> None:
        self.command = command
        self.environment = DEFAULT_ENVIRONMENT
        self.requests: list[RequestSample] = []
        self.plan: Plan | None = None
        self.apply: ApplyResult | None = None
        self.drift: DriftReport | None = None
        self.managed_subjects: int | None = None

    def request(
        self, method: str, endpoint: str, status: str, seconds: float, attempt: int
    ) -> None:
        """Record one attempt (a :class:`aurum_sr.telemetry.RequestListener`). Called from the
        client's threads: ``list.append`` is atomic, so no lock is needed."""
        self.requests.append(RequestSample(method, endpoint, status, seconds, attempt))

    def registry(
        self, *, exit_code: int, duration: float, last_success: float | None
    ) -> CollectorRegistry:
        """A new registry holding every metric of this run. ``last_success`` is the Unix time
        of the last successful run of this command and environment (left out when None)."""
        _no_created()  # type: ignore[no-untyped-call]  # one run's counters start at zero; a _created series adds nothing
        registry = CollectorRegistry(auto_describe=True)
        run = (self.command, self.environment)

        def gauge(name: str, doc: str, *labels: str) -> Gauge:
            return Gauge(name, doc, (*_RUN, *labels), registry=registry)

        gauge("aurum_sr_run_duration_seconds", "How long the run took.").labels(*run).set(duration)
        gauge("aurum_sr_run_exit_code", "The run's exit code.").labels(*run).set(exit_code)
        gauge(
            "aurum_sr_run_success", "1 when the run did its job (exit 0, 2 or 3), else 0."
        ).labels(*run).set(1 if succeeded(exit_code) else 0)
        if last_success is not None:
            gauge(
                "aurum_sr_last_success_timestamp_seconds",
                "Unix time of the last successful run of this command and environment.",
            ).labels(*run).set(last_success)
        if self.managed_subjects is not None:
            gauge("aurum_sr_managed_subjects", "Subjects the contracts manage.").labels(*run).set(
                self.managed_subjects
            )
        self._requests(registry, run)
        if self.plan is not None:
            _plan(self.plan, gauge, run)
        if self.apply is not None:
            steps = gauge("aurum_sr_apply_steps", "Plan steps by what became of them.", "status")
            changed = len(self.apply.changed)
            for status in StepStatus:
                count = len(self.apply.with_status(status))
                steps.labels(*run, status.name.lower()).set(count)
            gauge(
                "aurum_sr_apply_changed_steps", "Steps this run wrote (not found already done)."
            ).labels(*run).set(changed)
        if self.drift is not None:
            findings = gauge("aurum_sr_drift_findings", "Drift findings by kind.", "kind")
            for kind in DriftKind:
                count = sum(1 for f in self.drift.findings if f.kind is kind)
                findings.labels(*run, kind.value).set(count)
        return registry

    def _requests(self, registry: CollectorRegistry, run: tuple[str, str]) -> None:
        labels = (*_RUN, "method", "endpoint")
        requests = Counter(
            "aurum_sr_registry_requests",
            "Registry request attempts by method, endpoint template and HTTP status "
            "(status error: no answer).",
            (*labels, "status"),
            registry=registry,
        )
        retries = Counter(
            "aurum_sr_registry_retries",
            "Registry request attempts after the first (retries).",
            labels,
            registry=registry,
        )
        latency = Histogram(
            "aurum_sr_registry_request_duration_seconds",
            "Registry request latency, from sending to the whole answer read.",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        for sample in self.requests:
            where = (*run, sample.method, sample.endpoint)
            requests.labels(*where, sample.status).inc()
            latency.labels(*where).observe(sample.seconds)
            if sample.attempt > 1:
                retries.labels(*where).inc()


def _plan(plan: Plan, gauge: _GaugeMaker, run: tuple[str, str]) -> None:
    subjects = gauge("aurum_sr_plan_subjects", "Subjects the plan changes, by action.", "action")
    for action in SubjectAction:
        subjects.labels(*run, action.value).set(plan.count(action))
    steps = gauge("aurum_sr_plan_steps", "Plan steps by kind.", "kind")
    for kind in STEP_KINDS:
        steps.labels(*run, kind).set(sum(1 for s in plan.steps if s.kind == kind))
    gauge(
        "aurum_sr_plan_blocked_subjects",
        "Subjects whose change blocks the plan (an incompatible change or a refused delete).",
    ).labels(*run).set(plan.count(SubjectAction.BLOCKED))
    gauge(
        "aurum_sr_plan_incompatible_changes",
        "Registrations whose compatibility verdict is incompatible (allowed or not).",
    ).labels(*run).set(
        sum(1 for s in plan.subjects if s.verdict is not None and not s.verdict.compatible)
    )


class _GaugeMaker(Protocol):
    """The ``gauge`` helper inside :meth:`RunMetrics.registry`."""

    def __call__(self, name: str, doc: str, *labels: str) -> Gauge: ...
