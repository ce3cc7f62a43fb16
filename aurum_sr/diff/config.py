"""Subject-level compatibility and mode: what the contracts want against what the subject has.

The contracts pin a subject-level setting; a subject that merely inherits the global setting
has no pin, so pinning it is a change (it protects the subject from a later global change).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from aurum_sr.model import CompatibilityLevel, Mode

T = TypeVar("T", CompatibilityLevel, Mode)


@dataclass(frozen=True)
class SettingChange(Generic[T]):
    """A subject-level setting moving from ``before`` (``None`` = inherited) to ``after``."""

    before: T | None
    after: T
    inherited: T
    """The global value the subject inherits while it has no setting of its own."""

    @property
    def effective_before(self) -> T:
        """The value in force before the change."""
        return self.before if self.before is not None else self.inherited


def setting_change(wanted: T | None, current: T | None, inherited: T) -> SettingChange[T] | None:
    """The change that makes the subject-level setting ``wanted``, or ``None``."""
    if wanted is None or wanted == current:
        return None
    return SettingChange(before=current, after=wanted, inherited=inherited)


def is_loosening(change: SettingChange[CompatibilityLevel]) -> bool:
    """True when the new level accepts something the level in force refuses.

    Loosening goes before the registration that needs it; tightening goes after.
    """
    return not change.after.is_at_least_as_strict_as(change.effective_before)


def mode_allows_writes(mode: Mode) -> bool:
    """Whether the registry accepts a normal registration in ``mode``."""
    return mode is Mode.READWRITE
