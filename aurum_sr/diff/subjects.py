"""③ The diff: desired state against live state, by set algebra over subject names. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from aurum_sr.datacontracts import ContractConfig
from aurum_sr.diff.config import SettingChange, setting_change
from aurum_sr.diff.schemas import DesiredSchema, match_live, resolve_desired
from aurum_sr.model import CompatibilityLevel, DesiredState, Lifecycle, LiveState, Mode


class SchemaAction(str, Enum):
    """What happens to a managed subject's schema."""

    CREATE = "create"
    """The subject has no live version: register its first one."""
    REGISTER = "register"
    """The desired schema is new to the subject: register a new version."""
    ROLLBACK = "rollback"
    """The desired schema equals an older live version: make it latest again."""
    UNCHANGED = "unchanged"
    """The latest live version already holds the desired schema."""
    DELETE = "delete"
    """The contracts want the subject absent and the registry still has it."""
    ABSENT = "absent"
    """The contracts want the subject absent and the registry has no live version of it."""


@dataclass(frozen=True)
class SubjectChange:
    """One managed subject: its schema action and setting changes."""

    subject: str
    action: SchemaAction
    desired: DesiredSchema | None = None
    """The desired schema; ``None`` for absent subjects."""
    matched_version: int | None = None
    """UNCHANGED: the latest live version; ROLLBACK: the older version that becomes latest."""
    newer_versions: tuple[int, ...] = ()
    """ROLLBACK: the live versions above ``matched_version``, which must be soft-deleted."""
    deleted_match: int | None = None
    """A soft-deleted version with the desired content (registering makes a new version)."""
    soft_deleted: bool = False
    """ABSENT/DELETE: the registry keeps soft-deleted versions of the subject."""
    compatibility: SettingChange[CompatibilityLevel] | None = None
    mode: SettingChange[Mode] | None = None
    contract_config: tuple[ContractConfig, ContractConfig] | None = None
    """``(before, after)`` when the subject's data-contract configuration changes."""

    @property
    def is_noop(self) -> bool:
        """True when nothing about the subject has to change."""
        return (
            self.action in (SchemaAction.UNCHANGED, SchemaAction.ABSENT)
            and self.compatibility is None
            and self.mode is None
            and self.contract_config is None
        )


@dataclass(frozen=True)
class UnmanagedSubject:
    """A live subject no contract lists."""

    subject: str
    owned: bool
    """True when it is under a prefix the contracts own (drift, prunable)."""
    prune: bool
    """True when the plan deletes it (owned and ``--prune``)."""


@dataclass(frozen=True)
class ChangeSet:
    """Every managed subject's change, sorted by subject, and the unmanaged subjects."""

    subjects: tuple[SubjectChange, ...]
    unmanaged: tuple[UnmanagedSubject, ...] = ()

    @property
    def changes(self) -> tuple[SubjectChange, ...]:
        """Only the subjects that change."""
        return tuple(c for c in self.subjects if not c.is_noop)

    @property
    def is_empty(self) -> bool:
        """True when applying would change nothing in the registry."""
        return not self.changes and not any(u.prune for u in self.unmanaged)


def diff(desired: DesiredState, live: LiveState, *, prune: bool = False) -> ChangeSet:
    """Compare the desired state with the live state, subject by subject, sorted by name.

    Raises:
        PlanError: references cannot be resolved (unknown subject, absent subject, cycle).
    """
    resolved = resolve_desired(desired, live)
    changes = []
    for name in sorted(desired.subjects):
        spec = desired.subjects[name]
        state = live.subjects.get(name)
        compat = setting_change(
            spec.compatibility,
            state.compatibility if state else None,
            live.global_compatibility,
        )
        mode = setting_change(spec.mode, state.mode if state else None, live.global_mode)
        config_before = state.contract_config if state else ContractConfig()
        config = (
            (config_before, spec.contract_config)
            if spec.contract_config is not None
            and spec.lifecycle is Lifecycle.PRESENT
            and spec.contract_config.normalized() != config_before.normalized()
            else None
        )
        if spec.lifecycle is Lifecycle.ABSENT:
            exists = state is not None and state.exists
            changes.append(
                SubjectChange(
                    subject=name,
                    action=SchemaAction.DELETE if exists else SchemaAction.ABSENT,
                    soft_deleted=state is not None and bool(state.versions) and not exists,
                )
            )
            continue
        schema = resolved[name]
        match = match_live(schema.schema, state)
        latest = state.latest if state is not None else None
        if match.latest and latest is not None:
            changes.append(
                SubjectChange(
                    name,
                    SchemaAction.UNCHANGED,
                    schema,
                    matched_version=latest.version,
                    compatibility=compat,
                    mode=mode,
                    contract_config=config,
                )
            )
        elif match.older_version is not None and state is not None:
            newer = tuple(v.version for v in state.live_versions if v.version > match.older_version)
            changes.append(
                SubjectChange(
                    name,
                    SchemaAction.ROLLBACK,
                    schema,
                    matched_version=match.older_version,
                    newer_versions=newer,
                    compatibility=compat,
                    mode=mode,
                    contract_config=config,
                )
            )
        else:
            changes.append(
                SubjectChange(
                    name,
                    SchemaAction.REGISTER if latest is not None else SchemaAction.CREATE,
                    schema,
                    deleted_match=match.deleted_version,
                    compatibility=compat,
                    mode=mode,
                    contract_config=config,
                )
            )
    live_names = set(live.subjects) | set(live.other_subjects)
    unmanaged = []
    for name in sorted(live_names - set(desired.subjects)):
        state = live.subjects.get(name)
        if state is not None and not state.exists:
            continue  # only soft-deleted versions left: nothing live to manage or prune
        owned = any(name.startswith(p) for p in desired.owned_prefixes)
        unmanaged.append(UnmanagedSubject(name, owned=owned, prune=owned and prune))
    return ChangeSet(subjects=tuple(changes), unmanaged=tuple(unmanaged))
