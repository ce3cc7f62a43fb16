"""④ Compatibility: verdicts the registry would give, with explained breaking changes. Pure."""

from aurum_sr.compat.result import (
    BreakingChange,
    ChangeCategory,
    CompatibilityResult,
    Direction,
    SchemaChange,
)

__all__ = [
    "BreakingChange",
    "ChangeCategory",
    "CompatibilityResult",
    "Direction",
    "SchemaChange",
]
