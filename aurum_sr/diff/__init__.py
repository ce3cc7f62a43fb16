"""③ The diff: desired state × live state → ChangeSet, and drift. Pure, no I/O."""

from aurum_sr.diff.config import SettingChange, is_loosening
from aurum_sr.diff.drift import DriftFinding, DriftKind, DriftReport, drift
from aurum_sr.diff.schemas import DesiredSchema, ResolvedReference
from aurum_sr.diff.subjects import (
    ChangeSet,
    SchemaAction,
    SubjectChange,
    UnmanagedSubject,
    diff,
)

__all__ = [
    "ChangeSet",
    "DesiredSchema",
    "DriftFinding",
    "DriftKind",
    "DriftReport",
    "ResolvedReference",
    "SchemaAction",
    "SettingChange",
    "SubjectChange",
    "UnmanagedSubject",
    "diff",
    "drift",
    "is_loosening",
]
