"""The words of a plan: every typed reason, step and count turned into the text a person reads.

The plan holds codes and parameters (:mod:`aurum_sr.plan.reasons`); this module is the one place
they become English, so the human, Markdown, GitHub and text renderers (and the apply report)
say the same thing in the same words. Each function matches its union exhaustively: a new reason
fails type-checking here until it has words.
"""

from __future__ import annotations

from collections.abc import Iterable

from typing_extensions import assert_never

from aurum_sr.capabilities import Support
from aurum_sr.compat.differences import VerdictClass
from aurum_sr.datacontracts import ContractConfig, Metadata, Rule, RuleSet
from aurum_sr.diff.drift import DriftFinding, DriftKind
from aurum_sr.model import SchemaType
from aurum_sr.plan.model import Plan, SubjectAction
from aurum_sr.plan.reasons import (
    AbsentAndPermanent,
    AbsentInContracts,
    AllowedBy,
    ApprovalExpired,
    ApprovalMiss,
    ApprovalUnmatched,
    BlockReason,
    BreakAccepted,
    CompatibilityChange,
    ContractConfigChange,
    CreateSubject,
    DataContractsNotStored,
    DeleteReason,
    DeletesNotAllowed,
    HistoryBreaksNewLevel,
    Incompatible,
    KeySchemaChanges,
    LevelChangeOrder,
    LevelLiftedForBreak,
    LiveReferencesUnchecked,
    LiveSchemaUnusable,
    MetadataChange,
    ModeChange,
    ModeInEffect,
    ModeNotSettable,
    ModeRefusesWrites,
    Note,
    NotPromoted,
    PlanWarning,
    PromotionCheckSkipped,
    PrunedUnmanaged,
    PruneSubject,
    PurgeDropsSettings,
    PurgeSubject,
    ReferencedInRegistry,
    RegisterVersion,
    RegistryRefusesSchema,
    RegistrySaysIncompatible,
    RemoteCheckFailed,
    RemoteCheckSkippedLevelChange,
    RemoteCheckSkippedPlannedReference,
    RollBack,
    RollbackSoftDeletesNewer,
    RollbackStrandsData,
    RollbackTargetIsOlder,
    RollbackTo,
    RuleChange,
    SameAsSoftDeleted,
    SoftDeleteKeepsVersions,
    SoftDeleteSubject,
    SubjectReferenced,
    SubjectWarning,
    Summary,
    TargetCannotStore,
    UnmanagedNotRead,
    UnmanagedPruned,
    UpdateSettings,
    VerdictDependsOnImplementation,
    VersionReferenced,
)
from aurum_sr.plan.steps import (
    DeleteSubject,
    DeleteVersion,
    RegisterSchema,
    SetCompatibility,
    SetContractConfig,
    SetMode,
    Step,
)


def _versions(versions: Iterable[int]) -> str:
    """``v2, v3``."""
    return ", ".join(f"v{v}" for v in versions)


def summary(reason: Summary) -> str:
    """What happens to a subject, e.g. ``register v3 (latest is v2)``."""
    match reason:
        case CreateSubject(version=version):
            return f"create subject (register v{version})"
        case RegisterVersion(version=version, latest=latest):
            return f"register v{version} (latest is v{'?' if latest is None else latest})"
        case RollBack(target=target, newer=newer):
            return f"roll back to v{target} (soft-delete {_versions(newer)})"
        case UpdateSettings(version=version):
            return "update settings (schema unchanged" + (f", v{version})" if version else ")")
        case SoftDeleteSubject():
            return "soft-delete subject"
        case PurgeSubject():
            return "permanently delete (already soft-deleted)"
        case PruneSubject():
            return "soft-delete unmanaged subject"
        case _:
            assert_never(reason)


def _level_change_order(order: LevelChangeOrder) -> str:
    if order is LevelChangeOrder.SET_BEFORE_FIRST_VERSION:
        return "set before the first version"
    if order is LevelChangeOrder.LOOSEN_BEFORE_REGISTERING:
        return "loosen, before registering"
    if order is LevelChangeOrder.LOOSEN_FIRST:
        return "loosen, first"
    if order is LevelChangeOrder.LOOSEN:
        return "loosen"
    if order is LevelChangeOrder.TIGHTEN_AFTER_REGISTERING:
        return "tighten, after registering"
    if order is LevelChangeOrder.TIGHTEN:
        return "tighten"
    assert_never(order)


def note(reason: Note) -> str:
    """A setting change or a fact about a subject's change, one line."""
    match reason:
        case CompatibilityChange(before=None, inherited=inherited, after=after) if (
            inherited is after
        ):
            return f"compatibility: pin {after.value} (inherited today; nothing else changes)"
        case CompatibilityChange(before=before, inherited=inherited, after=after, order=order):
            was = before.value if before else f"inherited {inherited.value}"
            return f"compatibility: {was} -> {after.value} ({_level_change_order(order)})"
        case ModeChange(before=None, inherited=inherited_mode, after=after_mode) if (
            inherited_mode is after_mode
        ):
            return f"mode: pin {after_mode.value} (inherited today; nothing else changes)"
        case ModeChange(before=before_mode, inherited=inherited_mode, after=after_mode):
            was = before_mode.value if before_mode else f"inherited {inherited_mode.value}"
            return f"mode: {was} -> {after_mode.value}"
        case SameAsSoftDeleted(version=version):
            return (
                f"same content as soft-deleted v{version}; "
                "the registry registers it as a new version"
            )
        case RollbackTargetIsOlder(target=target, newer=newer):
            return (
                f"the contracts hold the content of v{target}, but {_versions(newer)} came later; "
                f"registering it again would only return v{target} and leave latest where it is"
            )
        case RollbackSoftDeletesNewer(target=target, newer=newer):
            return (
                f"so the plan soft-deletes {_versions(newer)} (newest first): v{target} becomes "
                "latest again; soft-deleted versions stay readable by id for existing data"
            )
        case SoftDeleteKeepsVersions():
            return "versions stay readable by id; run plan --permanent afterwards to purge"
        case PurgeDropsSettings():
            return "its subject-level compatibility and mode go with it"
        case UnmanagedPruned():
            return "unmanaged subject under an owned prefix, pruned (--prune)"
        case UnmanagedNotRead():
            return "not read: the registry refuses the delete if another schema uses it"
        case ModeInEffect(mode=mode, implementation=implementation):
            return (
                f"mode: {mode.value} is already in effect; {implementation.value} cannot pin a "
                "subject's mode, so there is no step"
            )
        case LevelLiftedForBreak(level=level, restore=restore):
            return (
                f"compatibility: NONE for the accepted registration only, then {restore.value} "
                f"again (the registry refuses a version incompatible under {level.value})"
            )
        case MetadataChange(before=before_md, after=after_md):
            return "metadata changed: " + metadata_changes(before_md, after_md)
        case RuleChange(name=name, migration=migration, before=before_rule, after=after_rule):
            which = "migration" if migration else "domain"
            if before_rule is not None and after_rule is not None:
                changes = rule_changes(before_rule, after_rule)
                return f"rule changed: {which} rule {name!r}: {changes}"
            if after_rule is not None:
                return f"rule added: {which} rule {name!r} {rule_text(after_rule)}"
            if before_rule is not None:
                return f"rule removed: {which} rule {name!r} {rule_text(before_rule)}"
            return f"rule: {which} rule {name!r}"
        case ContractConfigChange(before=before_config, after=after_config):
            return "data-contract config: " + config_changes(before_config, after_config)
        case _:
            assert_never(reason)


def _quoted(value: object) -> str:
    return "none" if value is None else repr(value)


def metadata_changes(before: Metadata | None, after: Metadata | None) -> str:
    """What differs between two metadata values, ``key: before -> after`` by item."""
    old, new = before or Metadata(), after or Metadata()
    parts: list[str] = []
    old_props, new_props = dict(old.properties), dict(new.properties)
    for key in sorted(old_props.keys() | new_props.keys()):
        if old_props.get(key) != new_props.get(key):
            parts.append(
                f"property {key}: {_quoted(old_props.get(key))} -> {_quoted(new_props.get(key))}"
            )
    old_tags, new_tags = dict(old.tags), dict(new.tags)
    for path in sorted(old_tags.keys() | new_tags.keys()):
        if old_tags.get(path) != new_tags.get(path):
            was = ", ".join(old_tags[path]) if path in old_tags else "none"
            now = ", ".join(new_tags[path]) if path in new_tags else "none"
            parts.append(f"tags of {path}: {was} -> {now}")
    if old.sensitive != new.sensitive:
        was = ", ".join(old.sensitive) or "none"
        now = ", ".join(new.sensitive) or "none"
        parts.append(f"sensitive: {was} -> {now}")
    return "; ".join(parts) or "none -> none"


def metadata_text(metadata: Metadata | None) -> str:
    """A metadata value on one line (``none`` when empty)."""
    return metadata_changes(None, metadata).replace("none -> ", "") if metadata else "none"


_RULE_FIELDS = ("kind", "mode", "type", "expr", "doc", "tags", "params", "on_success", "on_failure")


def _rule_value(rule: Rule, name: str) -> object:
    value = getattr(rule, name)
    if name in ("kind", "mode"):
        return str(value.value)
    if name == "tags":
        return ", ".join(value) or None
    if name == "params":
        return ", ".join(f"{k}={v}" for k, v in value) or None
    return value


def rule_text(rule: Rule) -> str:
    """A rule on one line: ``CONDITION WRITE CEL 'expr'`` and what else it sets."""
    text = f"({rule.kind.value} {rule.mode.value} {rule.type}"
    if rule.expr is not None:
        text += f" {rule.expr!r}"
    for name in ("tags", "params", "on_success", "on_failure"):
        value = _rule_value(rule, name)
        if value is not None:
            text += f", {name} {value}"
    if rule.disabled:
        text += ", disabled"
    return text + ")"


def rule_changes(before: Rule, after: Rule) -> str:
    """What differs between two rules of one name, ``field before -> after``."""
    parts = [
        f"{name} {_quoted(_rule_value(before, name))} -> {_quoted(_rule_value(after, name))}"
        for name in _RULE_FIELDS
        if _rule_value(before, name) != _rule_value(after, name)
    ]
    if before.disabled != after.disabled:
        parts.append("disabled" if after.disabled else "enabled")
    return "; ".join(parts) or "order changed"


def rule_set_text(rule_set: RuleSet | None) -> str:
    """A rule set on one line: the rules' names by list."""
    if rule_set is None or rule_set.empty:
        return "none"
    parts = []
    if rule_set.domain_rules:
        parts.append("domain " + ", ".join(r.name for r in rule_set.domain_rules))
    if rule_set.migration_rules:
        parts.append("migration " + ", ".join(r.name for r in rule_set.migration_rules))
    return "[" + "; ".join(parts) + "]"


def config_changes(before: ContractConfig, after: ContractConfig) -> str:
    """What differs between two data-contract configurations, key by key."""
    parts: list[str] = []
    for key in ("default_metadata", "override_metadata"):
        old, new = getattr(before, key), getattr(after, key)
        if old != new:
            parts.append(f"{key} {metadata_text(old)} -> {metadata_text(new)}")
    for key in ("default_rule_set", "override_rule_set"):
        old, new = getattr(before, key), getattr(after, key)
        if old != new:
            parts.append(f"{key} {rule_set_text(old)} -> {rule_set_text(new)}")
    for key in ("compatibility_group", "alias"):
        old, new = getattr(before, key), getattr(after, key)
        if old != new:
            parts.append(f"{key} {_quoted(old)} -> {_quoted(new)}")
    return "; ".join(parts) or "unchanged"


def verdict_class(value: VerdictClass) -> str:
    """What a class of implementation-dependent change is, in a few words."""
    match value:
        case VerdictClass.ALIAS_NAMES_OTHER_FIELD:
            return "a field alias that also names another field of the older schema"
        case VerdictClass.RENAME_BY_UNQUALIFIED_ALIAS:
            return "a type renamed through an alias without its namespace"
        case VerdictClass.ERROR_RECORD:
            return 'a record of "type": "error"'
        case VerdictClass.NON_SPEC_NAMES:
            return "a name with characters the Avro specification forbids, or an enum default "
            "outside its symbols"
    assert_never(value)


def subject_warning(reason: SubjectWarning) -> str:
    """A warning on one subject, starting ``warning:``."""
    match reason:
        case HistoryBreaksNewLevel(
            level=level, against_version=against, field_path=path, message=message
        ):
            older = f"v{against}" if against else "an older version"
            return (
                f"warning: under {level.value} the latest schema is not compatible with {older} "
                f"({path}: {message}); the registry does not re-check existing versions, but "
                "later registrations will be checked against them"
            )
        case RollbackStrandsData(target=target, newer=newer, field_path=path, message=message):
            return (
                f"warning: readers of v{target} cannot read data already written with "
                f"{_versions(newer)}: {path}: {message}"
            )
        case KeySchemaChanges():
            return (
                "warning: this is a key schema: a new version changes the serialized key bytes "
                "and so the partition each key lands in, even when compatible (ordering per key "
                "and compacted topics split across old and new keys)"
            )
        case VerdictDependsOnImplementation(
            verdict_class=kind, implementation=implementation, known_to_differ=differs
        ):
            how = (
                f"{implementation.value} is known to judge it differently from the local check"
                if differs
                else f"how {implementation.value} judges it is not verified"
            )
            return (
                f"warning: the verdict depends on the registry: {verdict_class(kind)}; {how}. "
                "Run plan --remote-check to let the registry decide"
            )
        case _:
            assert_never(reason)


def blocked_reason(reason: BlockReason) -> str:
    """Why a subject is blocked, one line."""
    match reason:
        case Incompatible(level=level, breaking_changes=count):
            return f"incompatible under {level.value}: {count} breaking change(s)"
        case ModeRefusesWrites(subject=subject, mode=mode):
            return (
                f"{subject} is in mode {mode.value}: the registry refuses new versions "
                "(set mode: READWRITE in its contract, or change the mode by hand first)"
            )
        case VersionReferenced(version=version, referrer=referrer):
            return f"v{version} is referenced by {referrer}; the registry refuses to delete it"
        case SubjectReferenced(referrer=referrer):
            return f"referenced by {referrer}; delete or change the referrer first"
        case ReferencedInRegistry(version=version, referrer=referrer, referrer_version=rv):
            return (
                f"v{version} is referenced by {referrer} v{rv} in the registry (not in the "
                "contracts); the registry refuses to delete it: delete or re-point "
                f"{referrer} first"
            )
        case RegistrySaysIncompatible():
            return "the registry's own compatibility test says incompatible"
        case ModeNotSettable(
            wanted=wanted, in_force=in_force, implementation=implementation, support=support
        ):
            why = (
                f"{implementation.value} cannot set a subject's mode"
                if support is Support.NOT_SUPPORTED
                else f"it is not known whether this registry ({implementation.value}) can set "
                'a subject\'s mode (pin flavor = "..." in the configuration)'
            )
            return (
                f"the contract wants mode {wanted.value} but {in_force.value} is in force and "
                f"{why}; set mode: {in_force.value} (or remove mode:) in contracts.yml, or change "
                "the registry's mode by its own means first"
            )
        case NotPromoted(previous=previous, subject=subject, version=version):
            return (
                f"{previous} does not have {subject} v{version} yet: register it in {previous} "
                f"first (promotion order), or override with --skip-promotion-check {subject} "
                "--reason TEXT"
            )
        case DeletesNotAllowed(environment=environment):
            return (
                f'environment {environment} never deletes (deletes = "never"): delete by hand, '
                "or change the environment's delete policy"
            )
        case RegistryRefusesSchema(message=message):
            return (
                f"the registry calls the schema invalid ({message}); its first registration "
                "would be refused: fix the schema file"
            )
        case DataContractsNotStored(implementation=implementation, support=support):
            known = (
                "cannot store"
                if support is Support.NOT_SUPPORTED
                else "is not known to store (pin flavor in the configuration if it does)"
            )
            return (
                f"the contracts give this subject metadata, rules or a data-contract "
                f"configuration, which {implementation.value} {known}; it would drop them. "
                "Use Confluent Platform 7.4+ or Confluent Cloud, or remove the keys"
            )
        case TargetCannotStore(verdict_class=kind, implementation=implementation):
            return (
                f"{implementation.value} refuses to register {verdict_class(kind)}; change the "
                "schema file (for an error record: declare it as a record)"
            )
        case LiveSchemaUnusable(
            subject=holder, version=version, schema_id=schema_id, schema_type=kind, message=message
        ):
            which = f"live {holder} v{version} (id {schema_id}, {kind.value})"
            fix = (
                "fix or delete that version in the registry, or manage this subject by hand"
                if kind is SchemaType.AVRO
                else "manage this subject by hand, or take it out of contracts.yml"
            )
            return f"{which} cannot be read by aurum-sr ({message}); nothing is planned: {fix}"
        case _:
            assert_never(reason)


def plan_warning(reason: PlanWarning) -> str:
    """A warning on the whole plan, without the ``warning:`` label."""
    match reason:
        case RemoteCheckSkippedPlannedReference(subject=subject):
            return (
                f"remote check skipped for {subject}: it references a version this plan registers"
            )
        case RemoteCheckSkippedLevelChange(
            subject=subject, planned_level=planned, registry_level=now
        ):
            return (
                f"remote check skipped for {subject}: the plan sets its level to "
                f"{planned.value} first; the registry would test under {now.value}"
            )
        case RemoteCheckFailed(subject=subject, message=message):
            return f"remote check failed for {subject}: {message}"
        case ApprovalExpired(subject=subject, by=by, location=location, until=until):
            blocked = (
                "; it names the break this plan registers, which it no longer accepts"
                if reason.matches
                else ""
            )
            return (
                f"the approval of a break of {subject} by {by} ({location}) expired on "
                f"{until.isoformat()}: it accepts nothing{blocked}. Remove it, or extend "
                "`until` after a new review"
            )
        case ApprovalUnmatched():
            return _unmatched(reason)
        case LiveReferencesUnchecked(subjects=subjects):
            return (
                "the registry has no referencedby endpoint, so whether live subjects outside "
                f"the contracts reference {', '.join(subjects)} could not be checked; if one "
                "does, the registry refuses that delete during apply"
            )
        case PromotionCheckSkipped(subject=subject, previous=previous, reason=why):
            return (
                f"promotion check skipped for {subject} (--skip-promotion-check): {previous} "
                f"does not hold its schema yet; reason given: {why}"
            )
        case _:
            assert_never(reason)


def _approval_names(digest: str | None, version: int | None) -> str:
    """What an approval names: ``sha256:... as v4``, ``sha256:...`` or ``v4``."""
    if digest is not None and version is not None:
        return f"{digest} as v{version}"
    return digest if digest is not None else f"v{version}"


def _unmatched(reason: ApprovalUnmatched) -> str:
    head = (
        f"the approval of a break of {reason.subject} by {reason.by} ({reason.location}) "
        f"accepts nothing: "
    )
    miss = reason.miss
    if miss is ApprovalMiss.NOTHING_REGISTERED:
        why = f"this plan registers no new version of {reason.subject}"
    elif miss is ApprovalMiss.ALREADY_REGISTERED:
        why = (
            f"the registry already holds what it names as v{reason.registered_version} (the "
            "break was applied)"
        )
    elif miss is ApprovalMiss.OTHER_SCHEMA:
        planned = _approval_names(reason.planned_digest, reason.planned_version)
        names = _approval_names(reason.digest, reason.version)
        why = (
            f"it names {names}, but this plan registers {planned}; another change needs its own "
            "review and approval"
        )
        return head + why
    elif miss is ApprovalMiss.NOT_NEEDED:
        why = "the registration it names is compatible, or accepted otherwise"
    else:
        assert_never(miss)
    return head + why + "; remove it from the contracts"


def accepted_break(reason: BreakAccepted) -> str:
    """Who accepted an incompatible registration, why, until when, and where it is written."""
    until = f", until {reason.until.isoformat()}" if reason.until is not None else ""
    return f"accepted by {reason.by}{until} ({reason.location}): {reason.reason}"


ACCEPT_TEMPLATE = (
    "accepted_breaks:",
    "  - digest: {digest}",
    "    by: <who approves>",
    "    reason: <why the break is safe>",
    "    # until: YYYY-MM-DD  (optional: the last day it accepts)",
)
"""The approval a blocked break offers to paste under its subject in the contracts."""


def how_to_accept(subject: str, contracts_path: str) -> str:
    """The sentence before the approval snippet (:func:`accept_snippet`)."""
    return (
        f"to accept this break in git, add under {subject} in {contracts_path} (fill in who "
        "and why; a later, different break needs its own approval):"
    )


def accept_snippet(reason: Incompatible) -> tuple[str, ...]:
    """The ready-to-paste YAML that accepts exactly the blocked registration; empty when the
    reason does not carry the schema's digest."""
    if reason.digest is None:
        return ()
    return tuple(line.format(digest=reason.digest) for line in ACCEPT_TEMPLATE)


def allowed_by(reason: AllowedBy) -> str:
    """Why an incompatible registration is accepted."""
    if reason is AllowedBy.CONTRACT_LEVEL_NONE:
        return "the contract's compatibility level is NONE"
    if reason is AllowedBy.ALLOW_INCOMPATIBLE:
        return "allowed with --allow-incompatible"
    if reason is AllowedBy.ACCEPTED_IN_CONTRACTS:
        return "accepted in the contracts"
    assert_never(reason)


def delete_reason(reason: DeleteReason) -> str:
    """Why a delete step runs, as the step list shows it in parentheses."""
    match reason:
        case AbsentInContracts():
            return "lifecycle: absent"
        case AbsentAndPermanent():
            return "lifecycle: absent, --permanent"
        case PrunedUnmanaged():
            return "unmanaged, --prune"
        case RollbackTo(version=version):
            return f"rollback to v{version}"
        case _:
            assert_never(reason)


def step(item: Step) -> str:
    """One line a person reads in the step list."""
    match item:
        case RegisterSchema():
            refs = ""
            if item.references:
                refs = " with references " + ", ".join(
                    f"{r.subject}@{'(planned)' if r.planned else f'v{r.version}'}"
                    for r in item.references
                )
            source = f" from {item.schema_file}" if item.schema_file else ""
            contract = []
            if item.metadata is not None and not item.metadata.empty:
                contract.append("metadata")
            if item.rule_set is not None and not item.rule_set.empty:
                contract.append(f"rules {rule_set_text(item.rule_set)}")
            held = f", holding {' and '.join(contract)}" if contract else ""
            return f"register {item.subject} v{item.expected_version}{source}{refs}{held}"
        case SetCompatibility() if item.temporary:
            was = item.previous.value if item.previous is not None else "inherited"
            return (
                f"set compatibility of {item.subject} to {item.level.value} for the accepted "
                f"registration only (was {was})"
            )
        case SetCompatibility():
            if item.previous is None:
                how = "was inherited; now pinned on the subject"
            else:
                change = "loosening" if item.loosening else "tightening"
                how = f"was {item.previous.value}; {change}"
            return f"set compatibility of {item.subject} to {item.level.value} ({how})"
        case SetContractConfig():
            return (
                f"set the data-contract config of {item.subject} "
                f"({config_changes(item.previous, item.config)})"
            )
        case SetMode():
            was = item.previous.value if item.previous is not None else "inherited"
            return f"set mode of {item.subject} to {item.mode.value} (was {was})"
        case DeleteVersion():
            how = "permanently delete" if item.permanent else "soft-delete"
            return f"{how} {item.subject} v{item.version} ({delete_reason(item.reason)})"
        case DeleteSubject():
            how = "permanently delete" if item.permanent else "soft-delete"
            return f"{how} subject {item.subject} ({delete_reason(item.reason)})"
        case _:
            assert_never(item)


def action_symbol(action: SubjectAction) -> str:
    """The Terraform-like mark before a subject: ``+`` create, ``~`` update, ``-`` delete."""
    if action is SubjectAction.CREATE:
        return "+"
    if action is SubjectAction.UPDATE:
        return "~"
    if action is SubjectAction.ROLLBACK:
        return "<"
    if action is SubjectAction.DELETE:
        return "-"
    if action is SubjectAction.BLOCKED:
        return "!"
    assert_never(action)


def plan_counts(plan: Plan) -> dict[str, int]:
    """The plan's counts for machines: subjects by action (``update`` counts rollbacks, as the
    closing line does) and steps."""
    return plan.counts()


def plan_summary(plan: Plan) -> str:
    """The closing line: ``Plan: N to create, M to update, K to delete, B blocked.``"""
    if not plan.has_changes:
        return "No changes. The registry matches the contracts."
    create = plan.count(SubjectAction.CREATE)
    update = plan.count(SubjectAction.UPDATE) + plan.count(SubjectAction.ROLLBACK)
    delete = plan.count(SubjectAction.DELETE)
    blocked = plan.count(SubjectAction.BLOCKED)
    return f"Plan: {create} to create, {update} to update, {delete} to delete, {blocked} blocked."


def drift_remedies(finding: DriftFinding, registry: str) -> tuple[str, ...]:
    """The ways to resolve one drift finding, one line each (``adopt: ...``, ``roll back: ...``);
    empty when the finding's message says it all."""
    if finding.kind is not DriftKind.VERSION_OUTSIDE_GIT:
        return ()
    version = finding.actual.removeprefix("v")
    target = finding.schema_file or "the contract's schema file"
    return (
        f"adopt: write {finding.actual}'s schema into {target} (GET {registry}/subjects/"
        f"{finding.subject}/versions/{version}/schema) and commit it; "
        "`aurum-sr import --merge` adds subjects the contracts do not list yet",
        f"roll back: `aurum-sr apply` soft-deletes the versions after {finding.expected}, "
        "which the contracts hold",
    )
