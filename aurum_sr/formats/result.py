"""What the compatibility checker answers: verdicts, breaking changes, semantic changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from aurum_sr.model import CompatibilityLevel


class Direction(str, Enum):
    """Which reader/writer pairing failed."""

    NEW_READS_OLD = "new reads old"
    """Backward: the new schema (reader) cannot read data written with an old one."""
    OLD_READS_NEW = "old reads new"
    """Forward: an old schema (reader) cannot read data written with the new one."""


class ChangeCategory(str, Enum):
    """How a semantic change affects readers and writers."""

    BREAKING = "breaking"
    NON_BREAKING = "non-breaking"
    RISKY = "risky"
    """Compatible for the registry, but the meaning of stored values may change (logical types)."""
    COSMETIC = "cosmetic"


@dataclass(frozen=True)
class BreakingChange:
    """One reason a schema change is incompatible."""

    kind: str
    """The incompatibility kind, e.g. ``reader_field_missing_default_value``, ``type_mismatch``."""
    direction: Direction
    location: str
    """JSON pointer into the reader schema, e.g. ``/fields/2/type``."""
    field_path: str
    """A readable path such as ``Order.lines[].amount``."""
    message: str
    """One clear sentence."""
    against_version: int | None = None
    """The previous version the check failed against (None when versions are unnumbered)."""
    recommendation: str | None = None


@dataclass(frozen=True)
class SchemaChange:
    """One semantic difference between two schemas, breaking or not."""

    kind: str
    """e.g. ``field_added``, ``field_removed``, ``type_promoted``, ``logical_type_changed``."""
    category: ChangeCategory
    field_path: str
    message: str
    location: str = ""
    """JSON pointer into the new schema (or the old one for removals)."""
    breaks: tuple[Direction, ...] = ()
    """The reader/writer directions this change breaks on its own (empty: both still read)."""


@dataclass(frozen=True)
class CompatibilityResult:
    """The verdict on one new schema under one level, with its explanation."""

    is_compatible: bool
    level: CompatibilityLevel
    breaking_changes: tuple[BreakingChange, ...] = ()
    changes: tuple[SchemaChange, ...] = ()
    """The semantic change list against the latest previous version."""
    checked_versions: tuple[int, ...] = ()
    """The previous versions the new schema was checked against."""
    messages: tuple[str, ...] = field(default=())
    recommendations: tuple[str, ...] = field(default=())

    def has_breaking_changes(self) -> bool:
        return bool(self.breaking_changes)

    def summary(self) -> str:
        """One line a person can read."""
        if self.is_compatible:
            return f"compatible under {self.level.value}"
        return (
            f"incompatible under {self.level.value}: "
            f"{len(self.breaking_changes)} breaking change(s)"
        )
