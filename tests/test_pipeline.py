"""The pipeline: what it reads, the remote check, drift."""

from __future__ import annotations

from typing import Any

from aurum_sr import pipeline
from aurum_sr.errors import RegistryError
from aurum_sr.model import CompatibilityLevel, Mode, Schema
from aurum_sr.plan import PlanPolicy, SubjectAction
from aurum_sr.plan.reasons import (
    ModeRefusesWrites,
    RemoteCheckFailed,
    RemoteCheckSkippedLevelChange,
)
from aurum_sr.registry.protocol import RemoteVerdict
from tests.apply.helpers import memory_registry
from tests.plan.factories import desired, field, record, spec

V1 = record("Order", field("id"))
V2 = record("Order", field("id"), field("note", ["null", "string"], default=None))


class Spy:
    """Records read_state calls and can contradict the local verdict."""

    def __init__(self, inner: Any, *, verdict: RemoteVerdict | None = None) -> None:
        self.inner = inner
        self.calls: list[dict[str, Any]] = []
        self.tested: list[str] = []
        self.verdict = verdict

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def read_state(self, subjects: Any, **kwargs: Any) -> Any:
        self.calls.append(
            {
                "subjects": list(subjects),
                **{k: v if isinstance(v, bool) else list(v) for k, v in kwargs.items()},
            }
        )
        return self.inner.read_state(self.calls[-1]["subjects"], **kwargs)

    def test_compatibility(self, subject: str, schema: Schema, **kwargs: Any) -> RemoteVerdict:
        self.tested.append(subject)
        if self.verdict is not None:
            return self.verdict
        result: RemoteVerdict = self.inner.test_compatibility(subject, schema, **kwargs)
        return result


def test_reads_managed_subjects_owned_prefixes_and_only_managed_modes_and_levels() -> None:
    spy = Spy(memory_registry())
    state = desired(
        spec("aurum.a-value", V1, mode=Mode.READWRITE),
        spec("aurum.b-value", V1, compatibility=CompatibilityLevel.FULL),
        spec("aurum.c-value", V1),
        owned_prefixes=("aurum.",),
    )
    pipeline.read_live(state, spy)  # type: ignore[arg-type]
    assert spy.calls == [
        {
            "subjects": ["aurum.a-value", "aurum.b-value", "aurum.c-value"],
            "list_prefixes": ["aurum."],
            "modes_for": ["aurum.a-value"],
            "configs_for": ["aurum.b-value"],
            "latest_only": False,
        }
    ]


def test_remote_check_records_agreement_and_disagreement() -> None:
    registry = memory_registry()
    registry.register("aurum.a-value", Schema(V1))
    state = desired(spec("aurum.a-value", V2))
    agreeing = pipeline.make_plan(state, Spy(registry), policy=PlanPolicy(), remote_check=True)  # type: ignore[arg-type]
    verdict = agreeing.subjects[0].verdict
    assert verdict is not None and verdict.remote_compatible is True and not verdict.disagreement
    spy = Spy(registry, verdict=RemoteVerdict(False, ("reader field note has no default",)))
    plan = pipeline.make_plan(state, spy, policy=PlanPolicy(), remote_check=True)  # type: ignore[arg-type]
    subject = plan.subjects[0]
    assert subject.verdict is not None and subject.verdict.disagreement
    assert subject.action is SubjectAction.BLOCKED and plan.blocked
    assert subject.verdict.remote_messages == ("reader field note has no default",)


def test_remote_check_skips_what_the_registry_cannot_answer() -> None:
    registry = memory_registry()
    registry.register("aurum.a-value", Schema(V1))
    spy = Spy(registry)
    state = desired(
        spec("aurum.a-value", V2, compatibility=CompatibilityLevel.NONE),  # loosened first
        spec("aurum.new-value", V1),  # first version: nothing to test against
    )
    plan = pipeline.make_plan(state, spy, policy=PlanPolicy(), remote_check=True)  # type: ignore[arg-type]
    assert spy.tested == []
    assert plan.warnings == (
        RemoteCheckSkippedLevelChange(
            "aurum.a-value", CompatibilityLevel.NONE, CompatibilityLevel.BACKWARD
        ),
    )


def test_drift_reads_and_classifies() -> None:
    registry = memory_registry()
    registry.register("aurum.a-value", Schema(V1))
    registry.register("aurum.stray-value", Schema(V1))
    report = pipeline.drift(desired(spec("aurum.a-value", V2)), registry)
    kinds = {(f.subject, f.kind.value) for f in report.findings}
    assert kinds == {
        ("aurum.a-value", "registry-behind-git"),
        ("aurum.stray-value", "unmanaged-subject"),
    }


def test_a_readonly_subject_the_contracts_do_not_manage_blocks_the_plan_before_apply() -> None:
    registry = memory_registry()
    registry.register("aurum.b-value", Schema(V1))
    registry.set_mode(Mode.READONLY, "aurum.b-value")
    state = desired(spec("aurum.b-value", V2), spec("aurum.c-value", V1))
    spy = Spy(registry)
    plan = pipeline.make_plan(state, spy, policy=PlanPolicy())  # type: ignore[arg-type]
    # The up-front read skips modes the contracts do not manage ...
    assert spy.calls[0]["modes_for"] == []
    # ... but the subject the plan writes to had its mode read, and the plan is blocked.
    assert plan.blocked
    blocked = next(s for s in plan.subjects if s.subject == "aurum.b-value")
    assert blocked.action is SubjectAction.BLOCKED
    assert blocked.blocked_reasons == (ModeRefusesWrites("aurum.b-value", Mode.READONLY),)
    pre = next(p for p in plan.preconditions if p.subject == "aurum.b-value")
    assert pre.mode is Mode.READONLY


def test_a_no_change_plan_reads_no_modes_beyond_the_managed_ones() -> None:
    registry = memory_registry()
    registry.register("aurum.b-value", Schema(V1))
    before = registry.request_count
    pipeline.make_plan(desired(spec("aurum.b-value", V1)), registry, policy=PlanPolicy())
    # read_state alone: the memory backend counts one operation per call it serves.
    assert registry.request_count - before == 1


def test_a_registry_that_fails_the_remote_check_leaves_a_warning_and_no_remote_verdict() -> None:
    class Failing(Spy):
        def test_compatibility(self, subject: str, schema: Schema, **kwargs: Any) -> RemoteVerdict:
            raise RegistryError("HTTP 503: unavailable", registry="memory:")

    registry = memory_registry()
    registry.register("aurum.a-value", Schema(V1))
    plan = pipeline.make_plan(
        desired(spec("aurum.a-value", V2)),
        Failing(registry),  # type: ignore[arg-type]
        policy=PlanPolicy(),
        remote_check=True,
    )
    verdict = plan.subjects[0].verdict
    assert verdict is not None and verdict.remote_compatible is None
    assert plan.warnings == (RemoteCheckFailed("aurum.a-value", "HTTP 503: unavailable"),)
