"""What an apply did: one outcome per plan step, in plan order, and the error that stops it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from aurum_sr.errors import EXIT_INTERRUPTED, EXIT_TERMINATED, ApplyError
from aurum_sr.plan.steps import RegisterSchema, Step
from aurum_sr.render import words


class StepStatus(str, Enum):
    """Where one step ended up."""

    DONE = "done"
    """In effect now: written by this run, or found already in effect."""
    FAILED = "failed"
    """The registry refused it or could not be reached; the run stopped here."""
    NOT_STARTED = "not started"
    """Never attempted, because an earlier step failed or the run was stopped."""


@dataclass(frozen=True)
class StepOutcome:
    """One step of the plan and what became of it."""

    index: int
    """1-based position in the plan's step list."""
    step: Step
    status: StepStatus
    changed: bool = False
    """True when this run wrote it; False when it was already in effect (or not done)."""
    message: str = ""
    """What happened, e.g. ``registered v3 (id 12)``; for a failure, the registry's message
    with credentials masked."""
    version: int | None = None
    """RegisterSchema: the version holding the schema now."""
    schema_id: int | None = None
    """RegisterSchema: the id of the schema."""
    http_status: int | None = None
    error_code: int | None = None

    @property
    def description(self) -> str:
        """The step in one line, as the plan lists it."""
        return words.step(self.step)


@dataclass(frozen=True)
class ApplyResult:
    """Every step of the plan with its outcome, in plan order."""

    registry: str
    """Where the plan was applied, credentials masked."""
    outcomes: tuple[StepOutcome, ...]

    @property
    def ok(self) -> bool:
        """True when every step is done."""
        return all(o.status is StepStatus.DONE for o in self.outcomes)

    @property
    def failed(self) -> StepOutcome | None:
        """The step that stopped the run, if any."""
        return next((o for o in self.outcomes if o.status is StepStatus.FAILED), None)

    def with_status(self, status: StepStatus) -> tuple[StepOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status is status)

    @property
    def changed(self) -> tuple[StepOutcome, ...]:
        """Steps this run wrote."""
        return tuple(o for o in self.outcomes if o.changed)

    @property
    def registered(self) -> tuple[StepOutcome, ...]:
        """Done registrations (written now or found registered), with version and id."""
        return tuple(
            o
            for o in self.outcomes
            if isinstance(o.step, RegisterSchema) and o.status is StepStatus.DONE
        )

    def summary_line(self) -> str:
        """``Apply complete: …`` or ``Apply stopped at step N of M: …``."""
        total = len(self.outcomes)
        done = self.with_status(StepStatus.DONE)
        changed = len(self.changed)
        if self.ok:
            if not total:
                return "Apply complete: nothing to do."
            return (
                f"Apply complete: {len(done)} step(s) done "
                f"({changed} changed, {len(done) - changed} already in effect)."
            )
        failed = self.failed
        where = f" at step {failed.index} of {total}" if failed else ""
        return (
            f"Apply stopped{where}: {len(done)} done ({changed} changed), "
            f"{len(self.with_status(StepStatus.FAILED))} failed, "
            f"{len(self.with_status(StepStatus.NOT_STARTED))} not started."
        )


class ApplyStoppedError(ApplyError):
    """Apply stopped at a failed step; ``result`` says what is done, failed and not started."""

    def __init__(self, result: ApplyResult, *, why: str = "") -> None:
        failed = result.failed
        what = (
            f"step {failed.index} ({failed.description}) failed: {failed.message}" if failed else ""
        )
        cause = "; ".join(part for part in (why, what) if part)
        super().__init__(
            f"apply to {result.registry} stopped: {cause}\n{result.summary_line()}",
            hint="fix the cause, then run `aurum-sr plan` and `aurum-sr apply` again: steps "
            "already done are found in effect and not repeated",
        )
        self.result = result


class ApplyInterruptedError(ApplyStoppedError):
    """Apply was interrupted (Ctrl-C); ``result`` says how far it got (exit 130)."""

    exit_code = EXIT_INTERRUPTED


class ApplyTerminatedError(ApplyStoppedError):
    """Apply was stopped by SIGTERM (a cancelled CI job): the steps in flight finished or timed
    out, no new step started; ``result`` says how far it got (exit 143)."""

    exit_code = EXIT_TERMINATED

    def __init__(self, result: ApplyResult) -> None:
        super().__init__(
            result,
            why="terminated (SIGTERM); the steps in flight were let finish, no new step started",
        )
