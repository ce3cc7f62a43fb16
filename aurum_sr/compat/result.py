"""The result types of a compatibility check (defined in :mod:`aurum_sr.formats.result`)."""

from aurum_sr.formats.result import (
    BreakingChange,
    ChangeCategory,
    CompatibilityResult,
    Direction,
    SchemaChange,
)

__all__ = ["BreakingChange", "ChangeCategory", "CompatibilityResult", "Direction", "SchemaChange"]
