"""The plan: frozen data a person reviews and apply executes, serialised by ``document``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from aurum_sr.capabilities import Capabilities
from aurum_sr.compat.result import BreakingChange, SchemaChange
from aurum_sr.model import CompatibilityLevel, Mode
from aurum_sr.plan.reasons import (
    AllowedBy,
    BlockReason,
    BreakAccepted,
    Note,
    PlanWarning,
    SubjectWarning,
    Summary,
)
from aurum_sr.plan.steps import Step, is_destructive

FORMAT_VERSION = 2
"""The plan document's format. 2: summaries, notes, warnings and reasons are typed (a ``code``
plus parameters) instead of sentences."""


@dataclass(frozen=True)
class PlanPolicy:
    """What the person running the plan allows."""

    allow_incompatible: tuple[str, ...] = ()
    """Subjects whose incompatible change is accepted (``--allow-incompatible``)."""
    allow_delete: bool = False
    """Whether deletes may run (recorded; apply refuses delete steps without it)."""
    permanent: bool = False
    """Plan permanent deletes of subjects that are already soft-deleted."""
    prune: bool = False
    """Delete live subjects under an owned prefix that no contract lists."""


class SubjectAction(str, Enum):
    """How a subject appears in the plan (its Terraform-like symbol is the renderers' choice)."""

    CREATE = "create"
    UPDATE = "update"
    ROLLBACK = "rollback"
    DELETE = "delete"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Verdict:
    """The compatibility verdict on one registration."""

    compatible: bool
    level: CompatibilityLevel
    """The level in force at the step (after any change the plan makes before it)."""
    checked_versions: tuple[int, ...]
    breaking_changes: tuple[BreakingChange, ...] = ()
    allowed_by: AllowedBy | None = None
    """Why an incompatible change is accepted; ``None`` when it is not (or is compatible)."""
    accepted: BreakAccepted | None = None
    """The approval in the contracts that accepts it (``allowed_by`` ACCEPTED_IN_CONTRACTS)."""
    remote_compatible: bool | None = None
    """The registry's own answer (``--remote-check``); ``None`` when not asked."""
    remote_messages: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        """Incompatible, but accepted (the contract level is NONE, ``--allow-incompatible``, or
        an approval in ``accepted_breaks:``)."""
        return self.allowed_by is not None

    @property
    def disagreement(self) -> bool:
        """True when the registry's answer differs from the local one."""
        return self.remote_compatible is not None and self.remote_compatible != self.compatible

    @property
    def blocking(self) -> bool:
        return not self.compatible and not self.allowed


@dataclass(frozen=True)
class VersionSeen:
    """One version of a subject as the plan saw it."""

    version: int
    schema_id: int
    deleted: bool


@dataclass(frozen=True)
class Precondition:
    """What the plan saw of one subject; apply refuses the plan when it moved."""

    subject: str
    versions: tuple[VersionSeen, ...]
    compatibility: CompatibilityLevel | None
    mode: Mode | None
    digest: str
    """sha256 over the canonical JSON of the other fields."""


@dataclass(frozen=True)
class GlobalSettings:
    """The registry's global compatibility and mode as the plan saw them."""

    compatibility: CompatibilityLevel
    mode: Mode


@dataclass(frozen=True)
class SubjectPlan:
    """One touched subject: what happens, why, and its verdict."""

    subject: str
    action: SubjectAction
    summary: Summary
    """What happens, e.g. a new version registered after the latest."""
    schema_file: str | None = None
    owner: str | None = None
    notes: tuple[Note, ...] = ()
    """Setting changes and facts about the change, in reading order."""
    warnings: tuple[SubjectWarning, ...] = ()
    """What the reviewer should know; shown after the notes, never blocking."""
    changes: tuple[SchemaChange, ...] = ()
    """The semantic change list against the latest live version."""
    schema_diff: tuple[str, ...] = ()
    """The unified text diff of the latest live schema against the new one (canonical JSON,
    pretty-printed; :mod:`aurum_sr.plan.textdiff`), one line per item; empty for a new subject."""
    verdict: Verdict | None = None
    blocked_reasons: tuple[BlockReason, ...] = ()


@dataclass(frozen=True)
class UnmanagedEntry:
    """A live subject no contract lists."""

    subject: str
    owned: bool
    pruned: bool


@dataclass(frozen=True)
class Plan:
    """A complete plan: what was seen, what will happen, in which order."""

    format_version: int
    registry: str
    """Where the live state came from, credentials masked."""
    desired_root: str
    contracts_path: str
    created_at: str
    """ISO 8601, UTC."""
    policy: PlanPolicy
    global_settings: GlobalSettings
    subjects: tuple[SubjectPlan, ...]
    """Touched subjects, sorted by name."""
    steps: tuple[Step, ...]
    """In apply order."""
    preconditions: tuple[Precondition, ...]
    """One per touched subject, sorted by name."""
    unmanaged: tuple[UnmanagedEntry, ...] = ()
    warnings: tuple[PlanWarning, ...] = ()
    run_id: str = ""
    """The id of the run that made the plan (see :mod:`aurum_sr.run`); empty when made outside
    a run."""
    capabilities: Capabilities | None = None
    """What the registry was taken to be and to do; apply refuses the plan on a registry that
    lacks any of it. None: made without a registry's answer (tests, old callers)."""
    environment: str | None = None
    """The ``[environments.NAME]`` the plan was made for (``--env NAME``); apply refuses it
    for another environment. None: made for a registry named directly (absent from the
    document)."""

    @property
    def blocked(self) -> bool:
        """True when an incompatible change or a refused delete blocks the plan (exit 3)."""
        return any(s.action is SubjectAction.BLOCKED for s in self.subjects)

    @property
    def has_changes(self) -> bool:
        return bool(self.steps) or self.blocked

    @property
    def needs_allow_delete(self) -> bool:
        return any(is_destructive(s) for s in self.steps)

    def count(self, action: SubjectAction) -> int:
        return sum(1 for s in self.subjects if s.action is action)

    def counts(self) -> dict[str, int]:
        """Subjects by action (``update`` counts rollbacks, as the closing line does), and
        steps: the summary machines read."""
        return {
            "create": self.count(SubjectAction.CREATE),
            "update": self.count(SubjectAction.UPDATE) + self.count(SubjectAction.ROLLBACK),
            "delete": self.count(SubjectAction.DELETE),
            "blocked": self.count(SubjectAction.BLOCKED),
            "steps": len(self.steps),
        }
