"""⑦ Apply: a checked plan + a registry → an :class:`ApplyResult`.

:func:`apply_plan` refuses a blocked plan, deletes without ``allow_delete`` and a stale plan
before writing anything, then runs the steps in plan order, each one idempotent, and stops at
the first failure with every step reported as done, failed or not started.
"""

from aurum_sr.apply.executor import StepCallback, apply_plan, check_fresh, check_plan
from aurum_sr.apply.preconditions import Movement, movements
from aurum_sr.apply.result import (
    ApplyInterruptedError,
    ApplyResult,
    ApplyStoppedError,
    ApplyTerminatedError,
    StepOutcome,
    StepStatus,
)

__all__ = [
    "ApplyInterruptedError",
    "ApplyResult",
    "ApplyStoppedError",
    "ApplyTerminatedError",
    "Movement",
    "StepCallback",
    "StepOutcome",
    "StepStatus",
    "apply_plan",
    "check_fresh",
    "check_plan",
    "movements",
]
