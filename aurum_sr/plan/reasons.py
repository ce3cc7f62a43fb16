"""Why the plan does what it does, as data: a code plus typed parameters, never a sentence.

Every summary, note, warning and blocked reason in a plan is one of the frozen dataclasses
below. Each carries a ``code`` (a :class:`ReasonCode`, the same string in the plan document) and
the facts the words are made of, so a tool reading a saved plan can act on ``code`` and its
parameters instead of parsing English. The words themselves are written in
:mod:`aurum_sr.render.words`, the one place that turns a reason into text.

The unions (:data:`Summary`, :data:`Note`, :data:`SubjectWarning`, :data:`BlockReason`,
:data:`PlanWarning`, :data:`DeleteReason`) are closed: a renderer matches every member and ends
with ``assert_never``, so a new reason cannot be shown without words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Literal

from aurum_sr.capabilities import Implementation, Support
from aurum_sr.compat.differences import VerdictClass
from aurum_sr.datacontracts import ContractConfig, Metadata, Rule
from aurum_sr.model import CompatibilityLevel, Mode, SchemaType, SourceLocation


class ReasonCode(str, Enum):
    """Every reason a plan can record; the value is what the plan document carries."""

    # What happens to a subject (SubjectPlan.summary).
    CREATE_SUBJECT = "create_subject"
    REGISTER_VERSION = "register_version"
    ROLL_BACK = "roll_back"
    UPDATE_SETTINGS = "update_settings"
    SOFT_DELETE_SUBJECT = "soft_delete_subject"
    PURGE_SUBJECT = "purge_subject"
    PRUNE_SUBJECT = "prune_subject"
    # Notes on a subject (SubjectPlan.notes).
    COMPATIBILITY_CHANGE = "compatibility_change"
    MODE_CHANGE = "mode_change"
    SAME_AS_SOFT_DELETED = "same_as_soft_deleted"
    ROLLBACK_TARGET_IS_OLDER = "rollback_target_is_older"
    ROLLBACK_SOFT_DELETES_NEWER = "rollback_soft_deletes_newer"
    SOFT_DELETE_KEEPS_VERSIONS = "soft_delete_keeps_versions"
    PURGE_DROPS_SETTINGS = "purge_drops_settings"
    UNMANAGED_PRUNED = "unmanaged_pruned"
    UNMANAGED_NOT_READ = "unmanaged_not_read"
    MODE_IN_EFFECT = "mode_in_effect"
    LEVEL_LIFTED_FOR_BREAK = "level_lifted_for_break"
    METADATA_CHANGE = "metadata_change"
    RULE_CHANGE = "rule_change"
    CONTRACT_CONFIG_CHANGE = "contract_config_change"
    # Warnings on a subject (SubjectPlan.warnings).
    HISTORY_BREAKS_NEW_LEVEL = "history_breaks_new_level"
    ROLLBACK_STRANDS_DATA = "rollback_strands_data"
    KEY_SCHEMA_CHANGES = "key_schema_changes"
    VERDICT_DEPENDS_ON_IMPLEMENTATION = "verdict_depends_on_implementation"
    # What blocks a subject (SubjectPlan.blocked_reasons).
    INCOMPATIBLE = "incompatible"
    MODE_REFUSES_WRITES = "mode_refuses_writes"
    VERSION_REFERENCED = "version_referenced"
    SUBJECT_REFERENCED = "subject_referenced"
    REFERENCED_IN_REGISTRY = "referenced_in_registry"
    REGISTRY_SAYS_INCOMPATIBLE = "registry_says_incompatible"
    MODE_NOT_SETTABLE = "mode_not_settable"
    TARGET_CANNOT_STORE = "target_cannot_store"
    REGISTRY_REFUSES_SCHEMA = "registry_refuses_schema"
    LIVE_SCHEMA_UNUSABLE = "live_schema_unusable"
    NOT_PROMOTED = "not_promoted"
    DELETES_NOT_ALLOWED = "deletes_not_allowed"
    DATA_CONTRACTS_NOT_STORED = "data_contracts_not_stored"
    # Warnings on the whole plan (Plan.warnings).
    REMOTE_CHECK_SKIPPED_PLANNED_REFERENCE = "remote_check_skipped_planned_reference"
    REMOTE_CHECK_SKIPPED_LEVEL_CHANGE = "remote_check_skipped_level_change"
    REMOTE_CHECK_FAILED = "remote_check_failed"
    APPROVAL_UNMATCHED = "approval_unmatched"
    APPROVAL_EXPIRED = "approval_expired"
    LIVE_REFERENCES_UNCHECKED = "live_references_unchecked"
    # The approval that accepts an incompatible registration (Verdict.accepted).
    BREAK_ACCEPTED = "break_accepted"
    PROMOTION_CHECK_SKIPPED = "promotion_check_skipped"
    # Why a delete step runs (DeleteSubject.reason, DeleteVersion.reason).
    LIFECYCLE_ABSENT = "lifecycle_absent"
    LIFECYCLE_ABSENT_PERMANENT = "lifecycle_absent_permanent"
    PRUNE = "prune"
    ROLLBACK = "rollback"


class AllowedBy(str, Enum):
    """Why an incompatible registration is accepted (``Verdict.allowed_by``)."""

    CONTRACT_LEVEL_NONE = "contract_level_none"
    """The contract's compatibility level is NONE."""
    ALLOW_INCOMPATIBLE = "allow_incompatible"
    """``plan --allow-incompatible SUBJECT``."""
    ACCEPTED_IN_CONTRACTS = "accepted_in_contracts"
    """An approval in the subject's ``accepted_breaks:`` (``Verdict.accepted`` says which)."""


class ApprovalMiss(str, Enum):
    """Why an approval in ``accepted_breaks:`` accepts nothing in this plan."""

    NOTHING_REGISTERED = "nothing_registered"
    """The plan registers no new version of the subject."""
    ALREADY_REGISTERED = "already_registered"
    """The registry already holds the schema it accepts: the break was applied."""
    OTHER_SCHEMA = "other_schema"
    """The plan registers another schema (or version number) than the one it accepts."""
    NOT_NEEDED = "not_needed"
    """The registration it names is compatible, or accepted otherwise (level NONE)."""


class LevelChangeOrder(str, Enum):
    """Which way a subject's compatibility level moves, and where its step runs."""

    SET_BEFORE_FIRST_VERSION = "set_before_first_version"
    """A new subject: the level is pinned before its first version is registered."""
    LOOSEN_BEFORE_REGISTERING = "loosen_before_registering"
    LOOSEN_FIRST = "loosen_first"
    """Loosened ahead of the subject's other steps (none of them registers)."""
    LOOSEN = "loosen"
    """A settings-only change that loosens."""
    TIGHTEN_AFTER_REGISTERING = "tighten_after_registering"
    TIGHTEN = "tighten"
    """A settings-only change that tightens."""


# -- what happens to a subject ---------------------------------------------------------------


@dataclass(frozen=True)
class CreateSubject:
    """The subject is new: its first version is registered."""

    version: int
    code: Literal[ReasonCode.CREATE_SUBJECT] = ReasonCode.CREATE_SUBJECT


@dataclass(frozen=True)
class RegisterVersion:
    """A new version is registered on a live subject."""

    version: int
    latest: int | None
    """The latest live version now; ``None`` when the subject has none live."""
    code: Literal[ReasonCode.REGISTER_VERSION] = ReasonCode.REGISTER_VERSION


@dataclass(frozen=True)
class RollBack:
    """An older version becomes latest again: the newer ones are soft-deleted."""

    target: int
    newer: tuple[int, ...]
    code: Literal[ReasonCode.ROLL_BACK] = ReasonCode.ROLL_BACK


@dataclass(frozen=True)
class UpdateSettings:
    """Only the compatibility level or mode changes."""

    version: int | None
    """The live version already holding the desired schema."""
    code: Literal[ReasonCode.UPDATE_SETTINGS] = ReasonCode.UPDATE_SETTINGS


@dataclass(frozen=True)
class SoftDeleteSubject:
    code: Literal[ReasonCode.SOFT_DELETE_SUBJECT] = ReasonCode.SOFT_DELETE_SUBJECT


@dataclass(frozen=True)
class PurgeSubject:
    """A permanent delete of a subject that is already soft-deleted (``--permanent``)."""

    code: Literal[ReasonCode.PURGE_SUBJECT] = ReasonCode.PURGE_SUBJECT


@dataclass(frozen=True)
class PruneSubject:
    """A soft delete of an unmanaged subject under an owned prefix (``--prune``)."""

    code: Literal[ReasonCode.PRUNE_SUBJECT] = ReasonCode.PRUNE_SUBJECT


Summary = (
    CreateSubject
    | RegisterVersion
    | RollBack
    | UpdateSettings
    | SoftDeleteSubject
    | PurgeSubject
    | PruneSubject
)
"""What happens to one subject, in one line."""


# -- notes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompatibilityChange:
    """The subject-level compatibility changes."""

    before: CompatibilityLevel | None
    """The subject-level setting seen; ``None`` when the subject inherited ``inherited``."""
    inherited: CompatibilityLevel
    """The level in force when ``before`` is ``None`` (the global one)."""
    after: CompatibilityLevel
    order: LevelChangeOrder
    code: Literal[ReasonCode.COMPATIBILITY_CHANGE] = ReasonCode.COMPATIBILITY_CHANGE


@dataclass(frozen=True)
class ModeChange:
    """The subject-level mode changes."""

    before: Mode | None
    inherited: Mode
    after: Mode
    code: Literal[ReasonCode.MODE_CHANGE] = ReasonCode.MODE_CHANGE


@dataclass(frozen=True)
class SameAsSoftDeleted:
    """The desired schema equals a soft-deleted version; the registry registers a new one."""

    version: int
    code: Literal[ReasonCode.SAME_AS_SOFT_DELETED] = ReasonCode.SAME_AS_SOFT_DELETED


@dataclass(frozen=True)
class RollbackTargetIsOlder:
    """Registering the content of ``target`` again would not make it latest."""

    target: int
    newer: tuple[int, ...]
    code: Literal[ReasonCode.ROLLBACK_TARGET_IS_OLDER] = ReasonCode.ROLLBACK_TARGET_IS_OLDER


@dataclass(frozen=True)
class RollbackSoftDeletesNewer:
    """So the versions above ``target`` are soft-deleted, newest first."""

    target: int
    newer: tuple[int, ...]
    code: Literal[ReasonCode.ROLLBACK_SOFT_DELETES_NEWER] = ReasonCode.ROLLBACK_SOFT_DELETES_NEWER


@dataclass(frozen=True)
class SoftDeleteKeepsVersions:
    """A soft delete leaves versions readable by id; ``--permanent`` purges later."""

    code: Literal[ReasonCode.SOFT_DELETE_KEEPS_VERSIONS] = ReasonCode.SOFT_DELETE_KEEPS_VERSIONS


@dataclass(frozen=True)
class PurgeDropsSettings:
    """A permanent delete takes the subject-level compatibility and mode with it."""

    code: Literal[ReasonCode.PURGE_DROPS_SETTINGS] = ReasonCode.PURGE_DROPS_SETTINGS


@dataclass(frozen=True)
class UnmanagedPruned:
    """No contract lists the subject, it is under an owned prefix, and ``--prune`` was given."""

    code: Literal[ReasonCode.UNMANAGED_PRUNED] = ReasonCode.UNMANAGED_PRUNED


@dataclass(frozen=True)
class UnmanagedNotRead:
    """The pruned subject's versions were not read (the registry checks its referrers)."""

    code: Literal[ReasonCode.UNMANAGED_NOT_READ] = ReasonCode.UNMANAGED_NOT_READ


@dataclass(frozen=True)
class ModeInEffect:
    """The contract pins ``mode``, the registry cannot pin a subject's mode, and ``mode`` is in
    force for the subject already: no step."""

    mode: Mode
    implementation: Implementation
    code: Literal[ReasonCode.MODE_IN_EFFECT] = ReasonCode.MODE_IN_EFFECT


@dataclass(frozen=True)
class LevelLiftedForBreak:
    """An accepted break: the registry refuses an incompatible version under ``level``, so the
    plan sets the subject's level to NONE just before registering it and to ``restore`` after
    (pinned on the subject even where it was inherited)."""

    level: CompatibilityLevel
    """The level in force for the registration."""
    restore: CompatibilityLevel
    """The level the subject has after the plan."""
    code: Literal[ReasonCode.LEVEL_LIFTED_FOR_BREAK] = ReasonCode.LEVEL_LIFTED_FOR_BREAK


@dataclass(frozen=True)
class MetadataChange:
    """The version registered carries other metadata than the latest one (the same schema text
    with other metadata is a new version)."""

    before: Metadata | None
    """The latest live version's metadata; ``None`` when it has none (or no version is live)."""
    after: Metadata | None
    """What the registry will store: sent (or inherited), merged with the subject's default
    and override metadata."""
    code: Literal[ReasonCode.METADATA_CHANGE] = ReasonCode.METADATA_CHANGE


@dataclass(frozen=True)
class RuleChange:
    """One rule of the version registered is added, removed or changed against the latest."""

    name: str
    migration: bool
    """True for a migration rule, False for a domain rule."""
    before: Rule | None
    """``None``: the rule is added."""
    after: Rule | None
    """``None``: the rule is removed."""
    code: Literal[ReasonCode.RULE_CHANGE] = ReasonCode.RULE_CHANGE


@dataclass(frozen=True)
class ContractConfigChange:
    """The subject's data-contract configuration changes (``PUT /config/{subject}``)."""

    before: ContractConfig
    after: ContractConfig
    code: Literal[ReasonCode.CONTRACT_CONFIG_CHANGE] = ReasonCode.CONTRACT_CONFIG_CHANGE


Note = (
    CompatibilityChange
    | ModeChange
    | SameAsSoftDeleted
    | RollbackTargetIsOlder
    | RollbackSoftDeletesNewer
    | SoftDeleteKeepsVersions
    | PurgeDropsSettings
    | UnmanagedPruned
    | UnmanagedNotRead
    | ModeInEffect
    | LevelLiftedForBreak
    | MetadataChange
    | RuleChange
    | ContractConfigChange
)
"""A setting change or a fact about one subject's change, one line each."""


# -- warnings on a subject -------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryBreaksNewLevel:
    """Under the level the plan tightens to, the latest schema breaks an older version.

    The registry does not re-check existing versions when a level is tightened, but every later
    registration is checked under it.
    """

    level: CompatibilityLevel
    against_version: int | None
    """The older version it breaks; ``None`` when the checker did not say which."""
    field_path: str
    message: str
    """The checker's explanation of the first breaking change."""
    code: Literal[ReasonCode.HISTORY_BREAKS_NEW_LEVEL] = ReasonCode.HISTORY_BREAKS_NEW_LEVEL


@dataclass(frozen=True)
class RollbackStrandsData:
    """Readers of the rollback target cannot read data written with the newer versions."""

    target: int
    newer: tuple[int, ...]
    field_path: str
    message: str
    """The checker's explanation of the first breaking change."""
    code: Literal[ReasonCode.ROLLBACK_STRANDS_DATA] = ReasonCode.ROLLBACK_STRANDS_DATA


@dataclass(frozen=True)
class KeySchemaChanges:
    """A key subject (``role: key``, or a name ending ``-key``) gets a new schema: even when
    compatible, the serialized key bytes change, and with them the partition a key lands in."""

    code: Literal[ReasonCode.KEY_SCHEMA_CHANGES] = ReasonCode.KEY_SCHEMA_CHANGES


@dataclass(frozen=True)
class VerdictDependsOnImplementation:
    """The change falls in a class where registry implementations give different verdicts
    (``known_to_differ``: this one is known to disagree with the local checker; else it is not
    verified). ``plan --remote-check`` asks the registry, whose answer then decides."""

    verdict_class: VerdictClass
    implementation: Implementation
    known_to_differ: bool
    code: Literal[ReasonCode.VERDICT_DEPENDS_ON_IMPLEMENTATION] = (
        ReasonCode.VERDICT_DEPENDS_ON_IMPLEMENTATION
    )


SubjectWarning = (
    HistoryBreaksNewLevel | RollbackStrandsData | KeySchemaChanges | VerdictDependsOnImplementation
)
"""Something about one subject's change the reviewer should know; it does not block."""


# -- what blocks a subject -------------------------------------------------------------------


@dataclass(frozen=True)
class Incompatible:
    """The registration breaks compatibility under the level in force."""

    level: CompatibilityLevel
    breaking_changes: int
    digest: str | None = None
    """``sha256:<hex>`` of the schema it would register: what an approval in
    ``accepted_breaks:`` names to accept exactly this change."""
    version: int | None = None
    """The version number the registration would become."""
    contract: str | None = None
    """The contracts file that lists the subject (an included file, or the main one)."""
    code: Literal[ReasonCode.INCOMPATIBLE] = ReasonCode.INCOMPATIBLE


@dataclass(frozen=True)
class ModeRefusesWrites:
    """The subject's mode refuses new versions and the plan does not change it."""

    subject: str
    mode: Mode
    code: Literal[ReasonCode.MODE_REFUSES_WRITES] = ReasonCode.MODE_REFUSES_WRITES


@dataclass(frozen=True)
class VersionReferenced:
    """A version the plan deletes is referenced by another subject."""

    version: int
    referrer: str
    code: Literal[ReasonCode.VERSION_REFERENCED] = ReasonCode.VERSION_REFERENCED


@dataclass(frozen=True)
class SubjectReferenced:
    """A subject the plan deletes is referenced by another subject."""

    referrer: str
    code: Literal[ReasonCode.SUBJECT_REFERENCED] = ReasonCode.SUBJECT_REFERENCED


@dataclass(frozen=True)
class ReferencedInRegistry:
    """The registry says a version the plan deletes is referenced by a live version the plan
    did not read (a subject the contracts do not manage): the registry would refuse the
    delete at apply time."""

    version: int
    referrer: str
    referrer_version: int
    code: Literal[ReasonCode.REFERENCED_IN_REGISTRY] = ReasonCode.REFERENCED_IN_REGISTRY


@dataclass(frozen=True)
class RegistrySaysIncompatible:
    """The registry's own compatibility test (``--remote-check``) says incompatible."""

    code: Literal[ReasonCode.REGISTRY_SAYS_INCOMPATIBLE] = ReasonCode.REGISTRY_SAYS_INCOMPATIBLE


@dataclass(frozen=True)
class ModeNotSettable:
    """The contract wants ``wanted`` but ``in_force`` is in force, and the registry cannot set a
    subject's mode (``support`` not_supported), or it is not known whether it can (unknown)."""

    wanted: Mode
    in_force: Mode
    implementation: Implementation
    support: Support
    code: Literal[ReasonCode.MODE_NOT_SETTABLE] = ReasonCode.MODE_NOT_SETTABLE


@dataclass(frozen=True)
class TargetCannotStore:
    """The registry is known to refuse the schema on registration (Karapace: a record of
    ``"type": "error"``)."""

    verdict_class: VerdictClass
    implementation: Implementation
    code: Literal[ReasonCode.TARGET_CANNOT_STORE] = ReasonCode.TARGET_CANNOT_STORE


@dataclass(frozen=True)
class RegistryRefusesSchema:
    """The registry called the schema of a new subject invalid when asked without storing it
    (a lookup, ``--remote-check``): its first registration would be refused."""

    message: str
    """The registry's message, credentials masked."""
    code: Literal[ReasonCode.REGISTRY_REFUSES_SCHEMA] = ReasonCode.REGISTRY_REFUSES_SCHEMA


@dataclass(frozen=True)
class LiveSchemaUnusable:
    """A live version the subject's change depends on is one aurum-sr cannot read: a schema
    type it has no format for yet (PROTOBUF, JSON), or text that does not parse. Only this
    subject is blocked; the rest of the plan is made as usual."""

    subject: str
    """The subject holding the version: this one, or one its schemas reference."""
    version: int
    schema_id: int
    schema_type: SchemaType
    message: str
    """What is wrong with it."""
    code: Literal[ReasonCode.LIVE_SCHEMA_UNUSABLE] = ReasonCode.LIVE_SCHEMA_UNUSABLE


@dataclass(frozen=True)
class NotPromoted:
    """The environment before this one in the promotion order does not hold the schema yet."""

    previous: str
    """The previous environment's name."""
    subject: str
    """The subject as the previous environment names it."""
    version: int
    """The version this plan would register (or make latest again)."""
    code: Literal[ReasonCode.NOT_PROMOTED] = ReasonCode.NOT_PROMOTED


@dataclass(frozen=True)
class DeletesNotAllowed:
    """The environment's ``deletes = "never"`` forbids this plan's delete."""

    environment: str
    code: Literal[ReasonCode.DELETES_NOT_ALLOWED] = ReasonCode.DELETES_NOT_ALLOWED


@dataclass(frozen=True)
class DataContractsNotStored:
    """The contracts give the subject metadata, rules or a data-contract configuration, and the
    registry cannot store them (``support`` not_supported), or it is not known whether it can
    (unknown): it would drop them silently."""

    implementation: Implementation
    support: Support
    code: Literal[ReasonCode.DATA_CONTRACTS_NOT_STORED] = ReasonCode.DATA_CONTRACTS_NOT_STORED


BlockReason = (
    Incompatible
    | ModeRefusesWrites
    | VersionReferenced
    | SubjectReferenced
    | ReferencedInRegistry
    | RegistrySaysIncompatible
    | ModeNotSettable
    | TargetCannotStore
    | RegistryRefusesSchema
    | LiveSchemaUnusable
    | NotPromoted
    | DeletesNotAllowed
    | DataContractsNotStored
)
"""Why a subject is blocked (the plan cannot be applied)."""


# -- warnings on the plan --------------------------------------------------------------------


@dataclass(frozen=True)
class RemoteCheckSkippedPlannedReference:
    """The registry cannot test a schema referencing a version this plan registers."""

    subject: str
    code: Literal[ReasonCode.REMOTE_CHECK_SKIPPED_PLANNED_REFERENCE] = (
        ReasonCode.REMOTE_CHECK_SKIPPED_PLANNED_REFERENCE
    )


@dataclass(frozen=True)
class RemoteCheckSkippedLevelChange:
    """The plan changes the level before registering; the registry would test the old one."""

    subject: str
    planned_level: CompatibilityLevel
    registry_level: CompatibilityLevel
    code: Literal[ReasonCode.REMOTE_CHECK_SKIPPED_LEVEL_CHANGE] = (
        ReasonCode.REMOTE_CHECK_SKIPPED_LEVEL_CHANGE
    )


@dataclass(frozen=True)
class RemoteCheckFailed:
    """The registry refused the compatibility test."""

    subject: str
    message: str
    """The registry's message, credentials masked."""
    code: Literal[ReasonCode.REMOTE_CHECK_FAILED] = ReasonCode.REMOTE_CHECK_FAILED


@dataclass(frozen=True)
class ApprovalUnmatched:
    """An approval in ``accepted_breaks:`` accepts nothing in this plan (``miss`` says why)."""

    subject: str
    by: str
    location: SourceLocation
    miss: ApprovalMiss
    digest: str | None = None
    """What the approval names (its ``digest``)."""
    version: int | None = None
    """What the approval names (its ``version``)."""
    planned_digest: str | None = None
    """What the plan registers for the subject, when it registers something."""
    planned_version: int | None = None
    registered_version: int | None = None
    """The live version holding the accepted schema (``ALREADY_REGISTERED``)."""
    code: Literal[ReasonCode.APPROVAL_UNMATCHED] = ReasonCode.APPROVAL_UNMATCHED


@dataclass(frozen=True)
class ApprovalExpired:
    """An approval in ``accepted_breaks:`` is past its ``until``: it accepts nothing."""

    subject: str
    by: str
    location: SourceLocation
    until: date
    digest: str | None = None
    version: int | None = None
    matches: bool = False
    """True when it names the registration this plan makes: that break is not accepted by it
    (blocked, unless ``--allow-incompatible`` or the contract's level NONE allows it)."""
    code: Literal[ReasonCode.APPROVAL_EXPIRED] = ReasonCode.APPROVAL_EXPIRED


@dataclass(frozen=True)
class LiveReferencesUnchecked:
    """The registry has no ``referencedby`` endpoint: whether live subjects outside the
    contracts reference what these subjects' deletes remove could not be checked."""

    subjects: tuple[str, ...]
    code: Literal[ReasonCode.LIVE_REFERENCES_UNCHECKED] = ReasonCode.LIVE_REFERENCES_UNCHECKED


@dataclass(frozen=True)
class PromotionCheckSkipped:
    """The promotion gate was overridden for a subject (``--skip-promotion-check``)."""

    subject: str
    previous: str
    """The environment that does not hold the schema yet."""
    reason: str
    """Why, as the person who overrode it wrote it."""
    code: Literal[ReasonCode.PROMOTION_CHECK_SKIPPED] = ReasonCode.PROMOTION_CHECK_SKIPPED


PlanWarning = (
    RemoteCheckSkippedPlannedReference
    | RemoteCheckSkippedLevelChange
    | RemoteCheckFailed
    | ApprovalUnmatched
    | ApprovalExpired
    | LiveReferencesUnchecked
    | PromotionCheckSkipped
)
"""Something about the whole plan the reviewer should know."""


# -- the approval that accepts a break -------------------------------------------------------


@dataclass(frozen=True)
class BreakAccepted:
    """The item of ``accepted_breaks:`` that accepts an incompatible registration: who, why,
    until when, and what it names (the plan document carries it, under its digest)."""

    by: str
    reason: str
    location: SourceLocation
    until: date | None = None
    digest: str | None = None
    version: int | None = None
    code: Literal[ReasonCode.BREAK_ACCEPTED] = ReasonCode.BREAK_ACCEPTED


# -- why a delete step runs ------------------------------------------------------------------


@dataclass(frozen=True)
class AbsentInContracts:
    """The contract says ``lifecycle: absent``."""

    code: Literal[ReasonCode.LIFECYCLE_ABSENT] = ReasonCode.LIFECYCLE_ABSENT


@dataclass(frozen=True)
class AbsentAndPermanent:
    """The contract says ``lifecycle: absent`` and ``--permanent`` purges the soft-deleted."""

    code: Literal[ReasonCode.LIFECYCLE_ABSENT_PERMANENT] = ReasonCode.LIFECYCLE_ABSENT_PERMANENT


@dataclass(frozen=True)
class PrunedUnmanaged:
    """No contract lists the subject and ``--prune`` was given."""

    code: Literal[ReasonCode.PRUNE] = ReasonCode.PRUNE


@dataclass(frozen=True)
class RollbackTo:
    """Soft-deleted so that ``version`` becomes latest again."""

    version: int
    code: Literal[ReasonCode.ROLLBACK] = ReasonCode.ROLLBACK


DeleteReason = AbsentInContracts | AbsentAndPermanent | PrunedUnmanaged | RollbackTo
"""Why a delete step runs."""


__all__ = [
    "AbsentAndPermanent",
    "AbsentInContracts",
    "AllowedBy",
    "ApprovalExpired",
    "ApprovalMiss",
    "ApprovalUnmatched",
    "BreakAccepted",
    "BlockReason",
    "CompatibilityChange",
    "ContractConfigChange",
    "DataContractsNotStored",
    "CreateSubject",
    "DeleteReason",
    "HistoryBreaksNewLevel",
    "Incompatible",
    "KeySchemaChanges",
    "LevelChangeOrder",
    "LevelLiftedForBreak",
    "LiveReferencesUnchecked",
    "LiveSchemaUnusable",
    "MetadataChange",
    "ModeChange",
    "ModeInEffect",
    "ModeNotSettable",
    "ModeRefusesWrites",
    "Note",
    "PlanWarning",
    "PruneSubject",
    "PrunedUnmanaged",
    "PurgeDropsSettings",
    "PurgeSubject",
    "ReasonCode",
    "ReferencedInRegistry",
    "RegisterVersion",
    "RegistryRefusesSchema",
    "RegistrySaysIncompatible",
    "RemoteCheckFailed",
    "RemoteCheckSkippedLevelChange",
    "RemoteCheckSkippedPlannedReference",
    "RollBack",
    "RollbackSoftDeletesNewer",
    "RollbackStrandsData",
    "RollbackTo",
    "RuleChange",
    "RollbackTargetIsOlder",
    "SameAsSoftDeleted",
    "SoftDeleteKeepsVersions",
    "SoftDeleteSubject",
    "SubjectReferenced",
    "SubjectWarning",
    "TargetCannotStore",
    "Summary",
    "UnmanagedNotRead",
    "UnmanagedPruned",
    "UpdateSettings",
    "VerdictDependsOnImplementation",
    "VersionReferenced",
]
