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

A step may end :class:`Unconfirmed` (its write answered, not yet read back): such steps are
confirmed together, in one bulk read, and count as done only then (see :func:`run_steps`).
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import suppress
from dataclasses import dataclass
from enum import Enum
from typing import Any

from aurum_sr import interrupt
from aurum_sr.apply.result import StepOutcome, StepStatus
from aurum_sr.plan.steps import DeleteSubject, RegisterSchema, Step


@dataclass(frozen=True)
class Unconfirmed:
    """A step whose write the registry answered, but that is not known to hold yet: it is
    confirmed later together with others (:data:`Confirm`), and only then done or failed."""

    index: int
    """1-based position in the plan's step list."""
    step: Step


RunStep = Callable[[int, Step], "StepOutcome | Unconfirmed"]
"""Run one step (1-based index, step) and return its outcome, or :class:`Unconfirmed` when its
write is to be confirmed with others; must not raise."""

Confirm = Callable[[Sequence[Unconfirmed]], Sequence[StepOutcome]]
"""Confirm written steps together (one bulk read): their outcomes, one each; must not raise."""

CONFIRM_EVERY = 256
"""Unconfirmed steps that are confirmed together at the latest: a bulk read costs a few
requests whatever their number, and a write that did not hold stops the run within this many
further steps (their own confirmation tells what became of each)."""

CONFIRM_AFTER = (0.25, 8.0)
"""Seconds the oldest unconfirmed step waits at most before a confirmation starts: the first
wave a quarter of a second, each later one twice as long as the one before, up to 8 s. Progress
(and a failed write's stop) follows the registry's answers closely at first, and a long run on
a slow registry costs a few listings per minute, not one per step."""

INTERRUPTED = "interrupted (the registry may or may not have applied this step)"


class Stop(str, Enum):
    """Why a run ended before its steps did (truthy: ``if stop:``)."""

    INTERRUPTED = "interrupted"
    """Ctrl-C: the steps running then are reported failed, outcome unknown."""
    TERMINATED = "terminated"
    """SIGTERM: the steps running then finished; nothing new started."""


def _no_confirm(pending: Sequence[Unconfirmed]) -> Sequence[StepOutcome]:
    raise AssertionError("a step returned Unconfirmed, but the run was given no confirm")


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
    confirm: Confirm = _no_confirm,
) -> tuple[tuple[StepOutcome, ...], Stop | None]:
    """Run ``steps`` as their dependencies allow, ``workers`` at a time.

    A step that returns :class:`Unconfirmed` is confirmed with others by ``confirm``: once
    :data:`CONFIRM_EVERY` wait, when nothing else can start, and at the end; what depends on it
    starts only after it is confirmed done. One confirmation runs at a time, alongside the steps.

    Returns every step's outcome in plan order (done, failed or not started) and why the run
    stopped early, if it did: Ctrl-C (the steps running or awaiting confirmation then are
    reported failed, "may or may not have applied", and nothing else starts) or SIGTERM
    (nothing new starts; the steps running then finish or time out, and what awaits
    confirmation is confirmed). ``on_step`` is called in this thread as each step ends
    (confirmed, for an unconfirmed one), in the order they end.
    """
    with interrupt.gentle():
        return _run_steps(steps, run, workers=workers, on_step=on_step, confirm=confirm)


def _run_steps(
    steps: Sequence[Step],
    run: RunStep,
    *,
    workers: int,
    on_step: Callable[[StepOutcome], None] | None,
    confirm: Confirm,
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
    unconfirmed: list[Unconfirmed] = []
    since = 0.0
    """When the oldest unconfirmed step ended (monotonic)."""
    after = CONFIRM_AFTER[0]
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

    def ended(index: int, outcome: StepOutcome | Unconfirmed) -> None:
        nonlocal since
        if isinstance(outcome, Unconfirmed):
            if not unconfirmed:
                since = time.monotonic()
            unconfirmed.append(outcome)
        else:
            finished(index, outcome)

    def confirmed(answers: Sequence[StepOutcome]) -> None:
        for outcome in sorted(answers, key=lambda o: o.index):
            finished(outcome.index - 1, outcome)

    def confirm_now(running_steps: int) -> bool:
        """Whether to confirm what waits: enough of it, waiting long enough, or nothing else can
        start."""
        if not unconfirmed:
            return False
        idle = running_steps == 0 and (stopped or interrupt.requested() or not ready)
        return idle or len(unconfirmed) >= CONFIRM_EVERY or due() <= 0

    def due() -> float:
        """Seconds until what waits is due for confirmation."""
        return since + after - time.monotonic()

    def take() -> list[Unconfirmed]:
        nonlocal after
        after = min(after * 2, CONFIRM_AFTER[1])
        batch = list(unconfirmed)
        unconfirmed.clear()
        return batch

    def cut_off(indices: Sequence[int]) -> None:
        for index in sorted(indices):
            outcomes[index] = StepOutcome(
                index + 1, steps[index], StepStatus.FAILED, message=INTERRUPTED
            )
            if on_step is not None:
                with suppress(KeyboardInterrupt):  # a second Ctrl-C: the report still comes
                    on_step(outcomes[index])

    if workers <= 1:
        current: list[int] = []
        try:
            while True:
                if confirm_now(0):
                    batch = take()
                    current = [u.index - 1 for u in batch]
                    confirmed(confirm(batch))
                    current = []
                    continue
                if not ready or not may_start():
                    break
                index = heapq.heappop(ready)
                current = [index]
                ended(index, run(index + 1, steps[index]))
                current = []
        except KeyboardInterrupt:
            interrupted = True
            cut_off([*current, *(u.index - 1 for u in unconfirmed)])
    else:
        # One thread more than the steps may use: a confirmation that is due must not queue
        # behind `workers` slow registrations (progress, and a failed write's stop, would wait
        # for them); while one runs, at most `workers` + 1 requests are in flight.
        pool = ThreadPoolExecutor(max_workers=workers + 1, thread_name_prefix="aurum-apply")
        running: dict[Future[StepOutcome | Unconfirmed], int] = {}
        confirming: tuple[Future[Sequence[StepOutcome]], list[Unconfirmed]] | None = None
        try:
            while True:
                busy = len(running)
                while ready and busy < workers and may_start():
                    index = heapq.heappop(ready)
                    running[pool.submit(run, index + 1, steps[index])] = index
                    busy += 1
                if confirming is None and confirm_now(len(running)):
                    batch = take()
                    confirming = (pool.submit(confirm, batch), batch)
                if not running and confirming is None:
                    break
                watched: list[Future[Any]] = [*running]
                if confirming is not None:
                    watched.append(confirming[0])
                timeout = max(0.0, due()) if unconfirmed and confirming is None else None
                done, _ = wait(watched, timeout=timeout, return_when=FIRST_COMPLETED)
                for future in sorted((f for f in done if f in running), key=running.__getitem__):
                    outcome = future.result()  # a step's own errors are in its outcome
                    ended(running.pop(future), outcome)
                if confirming is not None and confirming[0] in done:
                    answers = confirming[0].result()
                    confirming = None
                    confirmed(answers)
        except KeyboardInterrupt:
            interrupted = True
            awaiting = [u.index - 1 for u in unconfirmed]
            if confirming is not None:
                awaiting += [u.index - 1 for u in confirming[1]]
            cut_off([*running.values(), *awaiting])
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
