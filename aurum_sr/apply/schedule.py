"""Which steps may run together: a dependency graph read from the plan's order, and a runner.

The plan lists its steps in an order that is always safe to run one by one (see
:mod:`aurum_sr.plan.order`). Only some of that order matters:

- the steps of one subject keep their order (loosen, register, tighten; a rollback's deletes);
- a registration waits for every earlier step of each subject it references (the version it
  names, or the one this plan registers there, must be in place first);
- a subject delete waits for every earlier step, and every later step waits for it (deletes
  come last, referrers before what they reference, and the registry refuses a delete while a
  reference remains, so they keep their exact order).

Everything else is independent: steps of different subjects with no reference between them
run concurrently, at most ``workers`` at a time, lowest plan index first. With one worker the
run is exactly the plan order. The first failure stops new steps from starting; the ones
already running finish and report what became of them. SIGTERM does the same (see
:mod:`aurum_sr.interrupt`); Ctrl-C stops at once, reporting the steps it cut off as unknown.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import suppress
from enum import Enum

from aurum_sr import interrupt
from aurum_sr.apply.result import StepOutcome, StepStatus
from aurum_sr.plan.steps import DeleteSubject, RegisterSchema, Step

RunStep = Callable[[int, Step], StepOutcome]
"""Run one step (1-based index, step) and return its outcome; must not raise."""

INTERRUPTED = "interrupted (the registry may or may not have applied this step)"


class Stop(str, Enum):
    """Why a run ended before its steps did (truthy: ``if stop:``)."""

    INTERRUPTED = "interrupted"
    """Ctrl-C: the steps running then are reported failed, outcome unknown."""
    TERMINATED = "terminated"
    """SIGTERM: the steps running then finished; nothing new started."""


def dependencies(steps: Sequence[Step]) -> tuple[frozenset[int], ...]:
    """For each step (0-based), the earlier steps it must wait for (see the module docs).

    Only direct edges are listed; waiting for them waits for everything they wait for.
    """
    latest: dict[str, int] = {}
    """Subject -> the last step so far that touches it."""
    barrier: int | None = None
    """The last subject delete so far."""
    since_barrier: list[int] = []
    out: list[frozenset[int]] = []
    for index, step in enumerate(steps):
        if isinstance(step, DeleteSubject):
            wanted = set(since_barrier)
            if barrier is not None:
                wanted.add(barrier)
            barrier, since_barrier = index, []
        else:
            touched = {step.subject}
            if isinstance(step, RegisterSchema):
                touched |= {r.subject for r in step.references}
            wanted = {latest[s] for s in touched if s in latest}
            if barrier is not None:
                wanted.add(barrier)
            since_barrier.append(index)
        latest[step.subject] = index
        out.append(frozenset(wanted))
    return tuple(out)


def run_steps(
    steps: Sequence[Step],
    run: RunStep,
    *,
    workers: int = 1,
    on_step: Callable[[StepOutcome], None] | None = None,
) -> tuple[tuple[StepOutcome, ...], Stop | None]:
    """Run ``steps`` as their dependencies allow, ``workers`` at a time.

    Returns every step's outcome in plan order (done, failed or not started) and why the run
    stopped early, if it did: Ctrl-C (the steps running then are reported failed, "may or may
    not have applied", and nothing else starts) or SIGTERM (nothing new starts; the steps
    running then finish or time out and report what became of them). ``on_step`` is called in
    this thread as each step ends, in the order they end.
    """
    with interrupt.gentle():
        return _run_steps(steps, run, workers=workers, on_step=on_step)


def _run_steps(
    steps: Sequence[Step],
    run: RunStep,
    *,
    workers: int,
    on_step: Callable[[StepOutcome], None] | None,
) -> tuple[tuple[StepOutcome, ...], Stop | None]:
    deps = dependencies(steps)
    waiting = [len(d) for d in deps]
    dependents: list[list[int]] = [[] for _ in steps]
    for index, needs in enumerate(deps):
        for earlier in needs:
            dependents[earlier].append(index)
    ready = [i for i, count in enumerate(waiting) if count == 0]
    heapq.heapify(ready)
    outcomes: dict[int, StepOutcome] = {}
    stopped = interrupted = False

    def may_start() -> bool:
        if stopped or interrupt.requested():
            return False
        interrupt.writing()
        return True

    def finished(index: int, outcome: StepOutcome) -> None:
        nonlocal stopped
        outcomes[index] = outcome
        if outcome.status is StepStatus.FAILED:
            stopped = True
        else:
            for later in dependents[index]:
                waiting[later] -= 1
                if waiting[later] == 0:
                    heapq.heappush(ready, later)
        if on_step is not None:
            on_step(outcome)

    if workers <= 1:
        while ready and may_start():
            index = heapq.heappop(ready)
            try:
                outcome = run(index + 1, steps[index])
            except KeyboardInterrupt:
                interrupted = True
                outcome = StepOutcome(
                    index + 1, steps[index], StepStatus.FAILED, message=INTERRUPTED
                )
            finished(index, outcome)
    else:
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="aurum-apply")
        running: dict[Future[StepOutcome], int] = {}
        try:
            while True:
                while ready and len(running) < workers and may_start():
                    index = heapq.heappop(ready)
                    running[pool.submit(run, index + 1, steps[index])] = index
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=running.__getitem__):
                    outcome = future.result()  # a step's own errors are in its outcome
                    finished(running.pop(future), outcome)
        except KeyboardInterrupt:
            interrupted = True
            for index in sorted(running.values()):
                outcomes[index] = StepOutcome(
                    index + 1, steps[index], StepStatus.FAILED, message=INTERRUPTED
                )
                if on_step is not None:
                    with suppress(KeyboardInterrupt):  # a second Ctrl-C: the report still comes
                        on_step(outcomes[index])
        finally:
            # After Ctrl-C do not wait for requests in flight: their outcome is reported unknown.
            pool.shutdown(wait=not interrupted, cancel_futures=True)
    every = tuple(
        outcomes.get(i) or StepOutcome(i + 1, step, StepStatus.NOT_STARTED)
        for i, step in enumerate(steps)
    )
    if interrupted:
        return every, Stop.INTERRUPTED
    if interrupt.requested() and any(o.status is StepStatus.NOT_STARTED for o in every):
        return every, Stop.TERMINATED
    return every, None
