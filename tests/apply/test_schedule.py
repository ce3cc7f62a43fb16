"""Which steps wait for which, and running independent steps concurrently over HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest

from aurum_sr import pipeline
from aurum_sr.apply import (
    ApplyInterruptedError,
    ApplyStoppedError,
    StepStatus,
    apply_plan,
    schedule,
)
from aurum_sr.apply.result import StepOutcome
from aurum_sr.apply.schedule import Unconfirmed, dependencies, run_steps
from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.model import CompatibilityLevel, DesiredReference, DesiredState, Mode, SchemaType
from aurum_sr.plan import PlanPolicy
from aurum_sr.plan.reasons import PrunedUnmanaged, RollbackTo
from aurum_sr.plan.steps import (
    DeleteSubject,
    DeleteVersion,
    RegisterSchema,
    SetCompatibility,
    SetMode,
    Step,
    StepReference,
)
from aurum_sr.registry.http import HttpRegistry
from aurum_sr.testing import RegistryServer, ServerOptions
from aurum_sr.testing.plugin import ServerFactory
from tests.plan.factories import desired, field, record, spec


def register(subject: str, *refs: str, planned: bool = True) -> RegisterSchema:
    return RegisterSchema(
        subject,
        "{}",
        SchemaType.AVRO,
        tuple(StepReference(r, r, None if planned else 1, planned=planned) for r in refs),
        normalize=False,
        schema_file=None,
        expected_version=1,
    )


def loosen(subject: str) -> SetCompatibility:
    return SetCompatibility(subject, CompatibilityLevel.NONE, CompatibilityLevel.FULL, True)


def tighten(subject: str) -> SetCompatibility:
    return SetCompatibility(subject, CompatibilityLevel.FULL, CompatibilityLevel.NONE, False)


def readonly(subject: str) -> SetMode:
    return SetMode(subject, Mode.READONLY, None)


def drop(subject: str) -> DeleteSubject:
    return DeleteSubject(subject, permanent=False, reason=PrunedUnmanaged())


def drop_version(subject: str, version: int) -> DeleteVersion:
    return DeleteVersion(subject, version, permanent=False, reason=RollbackTo(version - 1))


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        pytest.param([], [], id="nothing"),
        pytest.param([register("a"), register("b")], [set(), set()], id="independent subjects"),
        pytest.param(
            [loosen("a"), register("a"), tighten("a"), readonly("a")],
            [set(), {0}, {1}, {2}],
            id="one subject keeps its order",
        ),
        pytest.param(
            [register("geo"), register("site", "geo"), register("other")],
            [set(), {0}, set()],
            id="a referrer waits for what it references",
        ),
        pytest.param(
            [register("geo"), tighten("geo"), register("site", "geo", planned=False)],
            [set(), {0}, {1}],
            id="a pinned reference waits for every earlier step of its subject",
        ),
        pytest.param(
            [register("a"), drop_version("b", 3), drop_version("b", 2), register("c")],
            [set(), set(), {1}, set()],
            id="a rollback's deletes keep their order, apart from other subjects",
        ),
        pytest.param(
            [register("a"), register("b"), drop("c"), drop("d")],
            [set(), set(), {0, 1}, {2}],
            id="subject deletes wait for everything before them, one at a time",
        ),
        pytest.param(
            [register("a"), register("b", "a"), drop("x"), register("c")],
            [set(), {0}, {0, 1}, {2}],
            id="nothing overtakes a subject delete",
        ),
    ],
)
def test_dependencies(steps: list[Step], expected: list[set[int]]) -> None:
    assert [set(d) for d in dependencies(steps)] == expected


def _done(index: int, step: Step) -> StepOutcome:
    return StepOutcome(index, step, StepStatus.DONE)


def test_one_worker_runs_the_plan_in_its_order() -> None:
    steps: list[Step] = [register("b"), register("a"), loosen("c"), register("c"), drop("z")]
    ended: list[int] = []
    outcomes, interrupted = run_steps(
        steps, _done, workers=1, on_step=lambda o: ended.append(o.index)
    )
    assert ended == [1, 2, 3, 4, 5] and not interrupted
    assert [o.status for o in outcomes] == [StepStatus.DONE] * 5


def test_a_failure_starts_nothing_new_and_lets_running_steps_finish() -> None:
    """Steps 1-3 run together; 2 fails while 1 and 3 are still running: they finish (done), and
    neither 4 (ready once 1 is done) nor 5 (ready from the start) is started."""
    steps = [register("a"), register("b"), register("c"), register("d", "a"), register("e")]
    release = threading.Event()
    started: list[int] = []
    lock = threading.Lock()

    def run(index: int, step: Step) -> StepOutcome:
        with lock:
            started.append(index)
        if index == 2:
            return StepOutcome(index, step, StepStatus.FAILED, message="refused")
        release.wait(5)
        return _done(index, step)

    def on_step(outcome: StepOutcome) -> None:
        if outcome.status is StepStatus.FAILED:
            release.set()

    outcomes, _ = run_steps(steps, run, workers=3, on_step=on_step)
    assert sorted(started) == [1, 2, 3]
    assert [o.status.value for o in outcomes] == [
        "done",
        "failed",
        "done",
        "not started",
        "not started",
    ]


@pytest.fixture
def slow_server(registry_server_factory: ServerFactory) -> RegistryServer:
    return registry_server_factory(options=ServerOptions(latency=0.02))


def http(server: RegistryServer, workers: int = 8) -> HttpRegistry:
    return HttpRegistry(
        SchemaRegistryConfig(base_url=server.url, max_workers=workers, max_retries=0)
    )


def fleet(count: int, *, with_geo: bool = False) -> DesiredState:
    specs = [spec(f"aurum.s{i:02}-value", record(f"S{i}", field("id"))) for i in range(count)]
    if with_geo:
        geo = record("Geo", field("lat", "double"), namespace="aurum.common")
        site = record("Site", field("where", "aurum.common.Geo"))
        ref = (DesiredReference("aurum.common.Geo", "aurum.common.Geo"),)
        specs += [
            spec("aurum.common.Geo", geo),
            spec("aurum.site-value", site, references=ref, compatibility=CompatibilityLevel.FULL),
        ]
    return desired(*specs)


def test_independent_registrations_run_concurrently_and_references_still_wait(
    slow_server: RegistryServer,
) -> None:
    registry = http(slow_server)
    state = fleet(12, with_geo=True)
    plan = pipeline.make_plan(state, registry, policy=PlanPolicy())
    slow_server.max_in_flight = 0
    result = apply_plan(plan, registry, max_workers=8)
    assert result.ok and len(result.changed) == len(plan.steps)
    assert slow_server.max_in_flight > 1
    # The referrer was registered after, and against, the version the plan registered.
    site = registry.get_version("aurum.site-value", "latest")
    assert [(r.subject, r.version) for r in site.schema.references] == [("aurum.common.Geo", 1)]
    assert not pipeline.make_plan(state, registry, policy=PlanPolicy()).has_changes
    registry.close()


def test_a_failed_step_over_http_stops_new_steps_and_a_rerun_converges(
    slow_server: RegistryServer,
) -> None:
    registry = http(slow_server, workers=4)
    state = fleet(12)
    plan = pipeline.make_plan(state, registry, policy=PlanPolicy())
    slow_server.fail_next(422, method="POST", path="/subjects/aurum.s05-value/versions")
    with pytest.raises(ApplyStoppedError) as caught:
        apply_plan(plan, registry, max_workers=4)
    result = caught.value.result
    by_status = {s: [o.step.subject for o in result.with_status(s)] for s in StepStatus}
    assert by_status[StepStatus.FAILED] == ["aurum.s05-value"]
    assert by_status[StepStatus.NOT_STARTED], "later steps must not start after a failure"
    # What is reported done is in the registry; what was not started was never sent.
    live = set(registry.list_subjects())
    assert set(by_status[StepStatus.DONE]) <= live
    assert not live & set(by_status[StepStatus.NOT_STARTED])
    # Planning again and applying finishes the job; the steps done are not repeated.
    again = pipeline.make_plan(state, registry, policy=PlanPolicy())
    assert {s.subject for s in again.steps} == {
        *by_status[StepStatus.FAILED],
        *by_status[StepStatus.NOT_STARTED],
    }
    assert apply_plan(again, registry, max_workers=4).ok
    assert not pipeline.make_plan(state, registry, policy=PlanPolicy()).has_changes
    registry.close()


def test_an_interrupt_with_steps_in_flight_reports_them_unknown() -> None:
    steps = [register("a"), register("b"), register("c")]

    def run(index: int, step: Step) -> StepOutcome:
        if index == 2:
            raise KeyboardInterrupt
        return _done(index, step)

    outcomes, interrupted = run_steps(steps, run, workers=2)
    assert interrupted
    failed = [o for o in outcomes if o.status is StepStatus.FAILED]
    assert 2 in [o.index for o in failed]
    assert all("may or may not" in o.message for o in failed)


def test_apply_plan_raises_interrupted_with_parallel_workers(slow_server: RegistryServer) -> None:
    registry = http(slow_server)
    plan = pipeline.make_plan(fleet(3), registry, policy=PlanPolicy())

    calls: list[StepOutcome] = []

    def stop(outcome: StepOutcome) -> None:
        calls.append(outcome)
        if len(calls) == 1:
            raise KeyboardInterrupt  # Ctrl-C while the first step's progress line is printed

    with pytest.raises(ApplyInterruptedError) as caught:
        apply_plan(plan, registry, max_workers=2, on_step=stop)
    assert caught.value.exit_code == 130
    assert caught.value.result.outcomes[calls[0].index - 1].status is StepStatus.DONE
    registry.close()


# -- steps confirmed together -----------------------------------------------------------------


class Confirmer:
    """Runs register steps as Unconfirmed and confirms them, recording each batch; the
    subjects in ``refuse`` fail their confirmation."""

    def __init__(self, refuse: frozenset[str] = frozenset()) -> None:
        self.refuse = refuse
        self.batches: list[list[int]] = []
        self.started: list[int] = []
        self.lock = threading.Lock()

    def run(self, index: int, step: Step) -> StepOutcome | Unconfirmed:
        with self.lock:
            self.started.append(index)
        if isinstance(step, RegisterSchema):
            return Unconfirmed(index, step)
        return _done(index, step)

    def confirm(self, batch: Sequence[Unconfirmed]) -> list[StepOutcome]:
        with self.lock:
            self.batches.append([u.index for u in batch])
        return [
            StepOutcome(
                u.index,
                u.step,
                StepStatus.FAILED if u.step.subject in self.refuse else StepStatus.DONE,
                message="not stored" if u.step.subject in self.refuse else "confirmed",
            )
            for u in batch
        ]


@pytest.mark.parametrize("workers", [1, 4])
def test_unconfirmed_steps_are_done_only_once_confirmed_together(workers: int) -> None:
    steps = [register(f"s{i}") for i in range(10)]
    confirmer = Confirmer()
    seen: list[StepOutcome] = []
    outcomes, interrupted = run_steps(
        steps, confirmer.run, workers=workers, on_step=seen.append, confirm=confirmer.confirm
    )
    assert not interrupted
    assert [o.status for o in outcomes] == [StepStatus.DONE] * 10
    assert all(o.message == "confirmed" for o in outcomes)
    assert sorted(i for b in confirmer.batches for i in b) == list(range(1, 11))
    # Few confirmations for many steps (one, when nothing had to wait).
    assert len(confirmer.batches) <= (1 if workers == 1 else 4)
    assert sorted(o.index for o in seen) == list(range(1, 11))


@pytest.mark.parametrize("workers", [1, 3])
def test_a_step_waits_for_the_confirmation_of_what_it_depends_on(workers: int) -> None:
    steps: list[Step] = [register("geo"), register("site", "geo"), tighten("geo")]
    confirmer = Confirmer()
    outcomes, _ = run_steps(steps, confirmer.run, workers=workers, confirm=confirmer.confirm)
    assert all(o.status is StepStatus.DONE for o in outcomes)
    # geo's registration is confirmed before either of its dependents starts.
    assert confirmer.batches[0] == [1]
    assert confirmer.started.index(1) == 0 and set(confirmer.started[1:]) == {2, 3}


@pytest.mark.parametrize("workers", [1, 4])
def test_a_wave_is_confirmed_once_enough_wait(
    workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schedule, "CONFIRM_EVERY", 3)
    steps = [register(f"s{i}") for i in range(10)]
    confirmer = Confirmer()
    outcomes, _ = run_steps(steps, confirmer.run, workers=workers, confirm=confirmer.confirm)
    assert all(o.status is StepStatus.DONE for o in outcomes)
    assert len(confirmer.batches) >= 3
    assert all(len(b) <= 3 + workers for b in confirmer.batches)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failed_confirmation_stops_new_steps(
    workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schedule, "CONFIRM_EVERY", 2)
    steps = [register(f"s{i}") for i in range(12)]
    confirmer = Confirmer(refuse=frozenset({"s1"}))
    outcomes, interrupted = run_steps(
        steps, confirmer.run, workers=workers, confirm=confirmer.confirm
    )
    assert not interrupted
    by_status = {s: [o.index for o in outcomes if o.status is s] for s in StepStatus}
    assert by_status[StepStatus.FAILED] == [2]
    assert by_status[StepStatus.NOT_STARTED], "later steps must not start after a failure"
    # Every step that started was confirmed: none is left unconfirmed as done or not started.
    assert sorted(i for b in confirmer.batches for i in b) == sorted(confirmer.started)
    assert set(by_status[StepStatus.NOT_STARTED]).isdisjoint(confirmer.started)


@pytest.mark.parametrize("workers", [1, 2])
def test_an_interrupt_reports_unconfirmed_steps_unknown(workers: int) -> None:
    steps: list[Step] = [register("a"), register("b"), loosen("c")]
    confirmer = Confirmer()

    def run(index: int, step: Step) -> StepOutcome | Unconfirmed:
        if index == 3:
            raise KeyboardInterrupt
        return confirmer.run(index, step)

    def confirm(batch: Sequence[Unconfirmed]) -> list[StepOutcome]:
        raise KeyboardInterrupt

    outcomes, interrupted = run_steps(steps, run, workers=workers, confirm=confirm)
    assert interrupted
    assert not [o for o in outcomes if o.status is StepStatus.DONE]
    failed = [o for o in outcomes if o.status is StepStatus.FAILED]
    assert {1, 2} <= {o.index for o in failed}
    assert all("may or may not" in o.message for o in failed)


@pytest.mark.parametrize("workers", [1, 2])
def test_what_waits_too_long_is_confirmed_while_steps_still_run(
    workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schedule, "CONFIRM_AFTER", (0.05, 0.1))
    steps = [register(f"s{i}") for i in range(12)]
    confirmer = Confirmer()
    first_line_at_start: list[int] = []

    def slow(index: int, step: Step) -> StepOutcome | Unconfirmed:
        time.sleep(0.03)
        return confirmer.run(index, step)

    def shown(outcome: StepOutcome) -> None:
        if not first_line_at_start:
            first_line_at_start.append(len(confirmer.started))

    outcomes, _ = run_steps(steps, slow, workers=workers, on_step=shown, confirm=confirmer.confirm)
    assert all(o.status is StepStatus.DONE for o in outcomes)
    # The first progress line came long before the last step started (not all at the end).
    assert first_line_at_start[0] < len(steps) - workers
    assert len(confirmer.batches) >= 2
