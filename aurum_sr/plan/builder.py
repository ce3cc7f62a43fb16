"""⑤ The planner: a ChangeSet, verdicts and a policy → a frozen Plan. Pure."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timezone

from typing_extensions import assert_never

from aurum_sr.canonical import schema_digest
from aurum_sr.capabilities import Capabilities, Capability
from aurum_sr.compat.differences import TargetBehaviour, target_behaviour, verdict_differences
from aurum_sr.datacontracts import RuleSet, same_metadata, same_rule_set
from aurum_sr.diff.config import is_loosening, mode_allows_writes
from aurum_sr.diff.schemas import find_version, next_version, reference_order
from aurum_sr.diff.subjects import ChangeSet, SchemaAction, SubjectChange
from aurum_sr.errors import PlanError, SchemaInputError, require_history
from aurum_sr.formats import ReferenceResolver, find_format
from aurum_sr.model import (
    BreakApproval,
    CompatibilityLevel,
    DesiredState,
    LiveState,
    RegisteredSchema,
    Role,
    Schema,
    SchemaReference,
    SubjectState,
)
from aurum_sr.plan import verdicts
from aurum_sr.plan.model import (
    FORMAT_VERSION,
    GlobalSettings,
    Plan,
    PlanPolicy,
    Precondition,
    SubjectAction,
    SubjectPlan,
    UnmanagedEntry,
    Verdict,
    VersionSeen,
)
from aurum_sr.plan.order import SubjectSteps, order_steps
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
    HistoryBreaksNewLevel,
    Incompatible,
    KeySchemaChanges,
    LevelChangeOrder,
    LevelLiftedForBreak,
    LiveSchemaUnusable,
    MetadataChange,
    ModeChange,
    ModeInEffect,
    ModeNotSettable,
    ModeRefusesWrites,
    Note,
    PlanWarning,
    PrunedUnmanaged,
    PruneSubject,
    PurgeDropsSettings,
    PurgeSubject,
    RegisterVersion,
    RegistrySaysIncompatible,
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
    StepReference,
)
from aurum_sr.plan.textdiff import schema_diff
from aurum_sr.secrets import mask_url


def build_plan(
    desired: DesiredState,
    live: LiveState,
    changes: ChangeSet,
    *,
    policy: PlanPolicy,
    created_at: datetime | None = None,
    run_id: str = "",
    capabilities: Capabilities | None = None,
) -> Plan:
    """Turn ``changes`` into ordered steps with a verdict on every registration.

    ``created_at`` is injectable so saved plans and golden files are reproducible; ``run_id``
    names the run that makes the plan. ``capabilities`` is what the target can do
    (:meth:`Registry.capabilities`): no step is planned that it cannot perform. None plans as
    for a registry that can do everything.
    """
    deleting = {
        c.subject
        for c in changes.subjects
        if c.action in (SchemaAction.DELETE, SchemaAction.ABSENT)
    } | {u.subject for u in changes.unmanaged if u.prune}
    when = created_at or datetime.now(timezone.utc)
    today = when.astimezone(timezone.utc).date()
    builder = _Builder(desired, live, policy, deleting, capabilities, today=today)
    by_subject = {c.subject: c for c in changes.subjects}
    # Reference order, so a referrer's verdict can resolve the version its reference registers.
    for name in reference_order(desired):
        if name in by_subject:
            builder.add_or_block(by_subject.pop(name))
    for change in by_subject.values():
        builder.add_or_block(change)
    for unmanaged in changes.unmanaged:
        builder.add_unmanaged(unmanaged.subject, owned=unmanaged.owned, prune=unmanaged.prune)
    builder.check_approvals()
    touched = sorted(builder.subjects)
    return Plan(
        format_version=FORMAT_VERSION,
        registry=mask_url(live.registry),
        desired_root=desired.root,
        contracts_path=desired.contracts_path,
        created_at=when.astimezone(timezone.utc).isoformat(timespec="seconds"),
        policy=policy,
        global_settings=GlobalSettings(live.global_compatibility, live.global_mode),
        subjects=tuple(builder.subjects[name] for name in touched),
        steps=order_steps(builder.steps, builder.depends_on()),
        preconditions=tuple(precondition(name, live.subjects.get(name)) for name in touched),
        unmanaged=tuple(builder.unmanaged),
        warnings=tuple(builder.warnings),
        run_id=run_id,
        capabilities=capabilities,
    )


def unusable_version(
    versions: Sequence[RegisteredSchema], resolver: ReferenceResolver
) -> tuple[RegisteredSchema, str] | None:
    """The newest of ``versions`` aurum-sr cannot read, and why; None when it reads them all.

    A version is unreadable when aurum-sr has no format for its type, or the format cannot
    parse it (with its references resolved by ``resolver``).
    """
    for version in sorted(versions, key=lambda v: v.version, reverse=True):
        found = find_format(version.schema.schema_type)
        if found is None:
            kind = version.schema.schema_type.value
            return version, f"{kind} schemas are not supported yet"
        try:
            found.validate(version.schema, resolver)
        except SchemaInputError as exc:
            return version, exc.message
    return None


def precondition(subject: str, state: SubjectState | None) -> Precondition:
    """What apply must find again for ``subject`` (nothing at all for a new subject)."""
    require_history(state, "a plan precondition")
    versions = tuple(
        VersionSeen(v.version, v.schema_id, v.deleted) for v in (state.versions if state else ())
    )
    compatibility = state.compatibility if state else None
    mode = state.mode if state else None
    seen = {
        "subject": subject,
        "versions": [asdict(v) for v in versions],
        "compatibility": compatibility.value if compatibility else None,
        "mode": mode.value if mode else None,
    }
    digest = hashlib.sha256(
        json.dumps(seen, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    return Precondition(subject, versions, compatibility, mode, digest)


@dataclass(frozen=True)
class _Planned:
    """The registration the plan makes for one subject, as approvals name it."""

    digest: str
    version: int


def approval_names(approval: BreakApproval, digest: str, version: int) -> bool:
    """Whether ``approval`` names the registration of the schema ``digest`` as ``version``:
    every selector it gives (digest, version) must match; one that gives none names nothing."""
    if approval.digest is None and approval.version is None:
        return False
    return (approval.digest is None or approval.digest == digest) and (
        approval.version is None or approval.version == version
    )


def approval_active(approval: BreakApproval, today: date) -> bool:
    """Whether ``approval`` still accepts on ``today`` (its ``until`` is that day or later)."""
    return approval.until is None or approval.until >= today


def contract_changes(before: Schema | None, after: Schema) -> list[Note]:
    """How the metadata and rules of ``after`` differ from those of ``before`` (the latest live
    version), as notes: one for the metadata, one per rule added, removed or changed."""
    notes: list[Note] = []
    old_md = before.metadata if before is not None else None
    if not same_metadata(old_md, after.metadata):
        notes.append(MetadataChange(old_md, after.metadata))
    old_rules = before.rule_set if before is not None else None
    if same_rule_set(old_rules, after.rule_set):
        return notes
    old, new = old_rules or RuleSet(), after.rule_set or RuleSet()
    for migration, was, now in (
        (True, old.migration_rules, new.migration_rules),
        (False, old.domain_rules, new.domain_rules),
    ):
        was_by_name = {r.name: r for r in was}
        now_by_name = {r.name: r for r in now}
        for rule in now:
            previous = was_by_name.get(rule.name)
            if previous != rule:
                notes.append(RuleChange(rule.name, migration, previous, rule))
        for rule in was:
            if rule.name not in now_by_name:
                notes.append(RuleChange(rule.name, migration, rule, None))
    if not any(isinstance(n, RuleChange) for n in notes):
        # Same rules, another order: the order is part of the rule set.
        for rule in new.rules():
            notes.append(RuleChange(rule.name, rule in new.migration_rules, rule, rule))
            break
    return notes


class _Builder:
    def __init__(
        self,
        desired: DesiredState,
        live: LiveState,
        policy: PlanPolicy,
        deleting: set[str],
        capabilities: Capabilities | None = None,
        *,
        today: date,
    ) -> None:
        self.today = today
        """The plan's date: an approval whose ``until`` is earlier accepts nothing."""
        self.planned: dict[str, _Planned] = {}
        """Subject -> the registration this plan makes for it."""
        self.used: set[tuple[str, int]] = set()
        """(subject, index in ``accepted_breaks``) of the approvals that accept a break."""
        self.capabilities = capabilities
        self.deleting = deleting
        """Subjects this plan deletes: their references do not block other deletes."""
        self.desired = desired
        self.live = live
        self.policy = policy
        self.subjects: dict[str, SubjectPlan] = {}
        self.steps: dict[str, SubjectSteps] = {}
        self.unmanaged: list[UnmanagedEntry] = []
        self.warnings: list[PlanWarning] = []
        self.planned_schemas: dict[tuple[str, int], Schema] = {}

    def depends_on(self) -> dict[str, set[str]]:
        """What each subject references: in the contracts, and in any version the registry has."""
        edges: dict[str, set[str]] = {}
        for name, spec in self.desired.subjects.items():
            edges.setdefault(name, set()).update(r.subject for r in spec.references)
        for name, state in self.live.subjects.items():
            for version in state.versions:
                edges.setdefault(name, set()).update(r.subject for r in version.schema.references)
        return edges

    # -- managed subjects -------------------------------------------------------------------

    def add_or_block(self, change: SubjectChange) -> None:
        """:meth:`add`, except that a live schema aurum-sr cannot read (a PROTOBUF version, or
        text that does not parse) blocks this subject alone instead of failing the plan."""
        try:
            self.add(change)
        except SchemaInputError as exc:
            self._block_unusable(change, exc)

    def _block_unusable(self, change: SubjectChange, exc: SchemaInputError) -> None:
        name = change.subject
        culprit = self._unusable(change)
        if culprit is None:
            raise exc  # not a live schema's fault
        self.steps.pop(name, None)
        for key in [k for k in self.planned_schemas if k[0] == name]:
            del self.planned_schemas[key]
        version, message = culprit
        reason = LiveSchemaUnusable(
            version.subject,
            version.version,
            version.schema_id,
            version.schema.schema_type,
            message,
        )
        state = self.live.subjects.get(name)
        schema_file, owner = self._spec_fields(name)
        latest = state.latest if state is not None else None
        summary: Summary
        match change.action:
            case SchemaAction.ROLLBACK:
                assert change.matched_version is not None
                summary = RollBack(change.matched_version, change.newer_versions)
            case SchemaAction.UNCHANGED:
                summary = UpdateSettings(change.matched_version)
            case SchemaAction.DELETE | SchemaAction.ABSENT:
                summary = SoftDeleteSubject()
            case SchemaAction.CREATE | SchemaAction.REGISTER:
                summary = RegisterVersion(next_version(state), latest.version if latest else None)
            case _:
                assert_never(change.action)
        self.subjects[name] = SubjectPlan(
            subject=name,
            action=SubjectAction.BLOCKED,
            summary=summary,
            schema_file=schema_file,
            owner=owner,
            blocked_reasons=(reason,),
        )

    def _unusable(self, change: SubjectChange) -> tuple[RegisteredSchema, str] | None:
        """The live version behind a failure to plan ``change``, and what is wrong with it: a
        version of the subject itself, else one that its versions or its desired schema
        reference directly."""
        state = self.live.subjects.get(change.subject)
        own = list(state.versions) if state is not None else []
        found = unusable_version(own, self._resolver)
        if found is not None:
            return found
        references = {r for v in own for r in v.schema.references}
        if change.desired is not None:
            references.update(change.desired.schema.references)
        referenced = [
            v
            for r in sorted(references, key=lambda r: (r.subject, r.version))
            if (v := find_version(self.live, r.subject, r.version)) is not None
        ]
        return unusable_version(referenced, self._resolver)

    def add(self, change: SubjectChange) -> None:
        action = change.action
        # An absent subject is never a no-op here: a soft-deleted one may still be purged.
        if change.is_noop and action is not SchemaAction.ABSENT:
            return
        match action:
            case SchemaAction.CREATE | SchemaAction.REGISTER:
                self._register(change)
            case SchemaAction.ROLLBACK:
                self._rollback(change)
            case SchemaAction.DELETE | SchemaAction.ABSENT:
                self._delete(change)
            case SchemaAction.UNCHANGED:
                self._settings_only(change)
            case _:
                assert_never(action)

    def _spec_fields(self, subject: str) -> tuple[str | None, str | None]:
        spec = self.desired.subjects.get(subject)
        return (spec.schema_file, spec.owner) if spec else (None, None)

    def _setting_steps(
        self, change: SubjectChange, slots: SubjectSteps, blocks: list[BlockReason]
    ) -> list[Note]:
        """Add the compatibility and mode steps; return their notes (and add to ``blocks``
        what the registry cannot do)."""
        notes: list[Note] = []
        if change.contract_config is not None:
            before, after = change.contract_config
            slots.before.append(SetContractConfig(change.subject, after, before))
            notes.append(ContractConfigChange(before, after))
            blocks.extend(self._contracts_not_stored())
        if change.compatibility is not None:
            c = change.compatibility
            loosening = is_loosening(c)
            step = SetCompatibility(change.subject, c.after, c.before, loosening=loosening)
            if loosening or change.action is SchemaAction.CREATE:
                slots.before.append(step)
            else:
                slots.after.append(step)
            notes.append(CompatibilityChange(c.before, c.inherited, c.after, _order(change)))
        if change.mode is not None and not self._mode_settable():
            m = change.mode
            known = self.capabilities
            assert known is not None
            if m.effective_before == m.after:
                notes.append(ModeInEffect(m.after, known.implementation))
            else:
                support = known[Capability.SUBJECT_MODE_WRITE]
                blocks.append(
                    ModeNotSettable(m.after, m.effective_before, known.implementation, support)
                )
        elif change.mode is not None:
            m = change.mode
            step_mode = SetMode(change.subject, m.after, m.before)
            if mode_allows_writes(m.after):
                slots.before.append(step_mode)
            else:
                slots.after.append(step_mode)
            notes.append(ModeChange(m.before, m.inherited, m.after))
        return notes

    def _contracts_not_stored(self) -> list[BlockReason]:
        """A block when the registry is not known to store data contracts."""
        known = self.capabilities
        if known is None or known.supports(Capability.METADATA_RULES):
            return []
        return [DataContractsNotStored(known.implementation, known[Capability.METADATA_RULES])]

    def _mode_settable(self) -> bool:
        """Whether a subject's mode can be set here (an unknown registry: not assumed)."""
        known = self.capabilities
        return known is None or known.supports(Capability.SUBJECT_MODE_WRITE)

    def planned_keys(self) -> frozenset[tuple[str, int]]:
        """(subject, provisional version) of every version this plan registers so far."""
        return frozenset(self.planned_schemas)

    def _level_in_force(self, change: SubjectChange) -> CompatibilityLevel:
        c = change.compatibility
        if c is not None and (is_loosening(c) or change.action is SchemaAction.CREATE):
            return c.after
        return self.live.effective_compatibility(change.subject)

    def _resolver(self, reference: SchemaReference) -> Schema:
        planned = self.planned_schemas.get((reference.subject, reference.version))
        if planned is not None:
            return planned
        found = find_version(self.live, reference.subject, reference.version)
        if found is None:
            require_history(self.live.subjects.get(reference.subject), "resolving a reference")
            raise SchemaInputError(
                f"reference {reference.name} points at {reference.subject} "
                f"v{reference.version}, which the registry {self.live.registry} does not have"
            )
        return found.schema

    def _register(self, change: SubjectChange) -> None:
        assert change.desired is not None
        name = change.subject
        state = self.live.subjects.get(name)
        require_history(state, "a registration's verdict and version number")
        spec = self.desired.subjects[name]
        slots = self.steps.setdefault(name, SubjectSteps())
        capability_blocks: list[BlockReason] = []
        notes = self._setting_steps(change, slots, capability_blocks)
        expected = next_version(state)
        schema = change.desired.schema
        self.planned_schemas[(name, expected)] = schema
        latest_seen = state.latest if state else None
        contract_notes = contract_changes(latest_seen.schema if latest_seen else None, schema)
        notes.extend(contract_notes)
        if contract_notes and change.contract_config is None:
            capability_blocks.extend(self._contracts_not_stored())
        slots.main.append(
            RegisterSchema(
                subject=name,
                schema_str=schema.schema_str,
                schema_type=schema.schema_type,
                references=tuple(
                    StepReference(r.name, r.subject, r.version, r.planned)
                    for r in change.desired.references
                ),
                normalize=spec.normalize,
                schema_file=spec.schema_file,
                expected_version=expected,
                metadata=schema.metadata,
                rule_set=schema.rule_set,
            )
        )
        if change.deleted_match is not None:
            notes.append(SameAsSoftDeleted(change.deleted_match))
        live_versions = state.live_versions if state else ()
        level = self._level_in_force(change)
        previous: tuple[RegisteredSchema, ...] = (
            live_versions if level.transitive else live_versions[-1:]
        )
        result = verdicts.check(schema, previous, level, self._resolver)
        latest = state.latest if state else None
        schema_changes = (
            # The checker's change list is categorised for the level in force; the structural
            # diff covers what it does not (custom attributes, reference changes).
            result.changes
            or verdicts.structural_changes(latest.schema, schema, planned=self.planned_keys())
            if latest
            else ()
        )
        digest = schema_digest(schema.schema_str, schema.schema_type)
        self.planned[name] = _Planned(digest, expected)
        allowed_by: AllowedBy | None = None
        accepted: BreakAccepted | None = None
        if not result.is_compatible:
            if spec.compatibility is CompatibilityLevel.NONE:
                allowed_by = AllowedBy.CONTRACT_LEVEL_NONE
            elif (accepted := self._accepting(spec.subject, digest, expected)) is not None:
                allowed_by = AllowedBy.ACCEPTED_IN_CONTRACTS
            elif name in self.policy.allow_incompatible:
                allowed_by = AllowedBy.ALLOW_INCOMPATIBLE
        verdict = Verdict(
            compatible=result.is_compatible,
            level=level,
            checked_versions=tuple(v.version for v in previous),
            breaking_changes=result.breaking_changes,
            allowed_by=allowed_by,
            accepted=accepted,
        )
        if allowed_by in (AllowedBy.ACCEPTED_IN_CONTRACTS, AllowedBy.ALLOW_INCOMPATIBLE):
            notes.append(self._lift_level(name, level, slots, state))
        blocked: tuple[BlockReason, ...] = ()
        if verdict.blocking:
            # A transitive level finds one break once per older version: count breaks, not pairs.
            distinct = {
                (b.kind, b.direction, b.location, b.field_path, b.message)
                for b in result.breaking_changes
            }
            blocked = (
                Incompatible(level, len(distinct), digest, expected, spec.location.path or None),
            )
        blocked += tuple(capability_blocks)
        dependent, unstorable = self._target_differences(schema, previous)
        blocked += unstorable
        warnings = self._tightening_warnings(change, schema, live_versions) + dependent
        if change.action is not SchemaAction.CREATE and (
            spec.role is Role.KEY or name.endswith("-key")
        ):
            warnings += (KeySchemaChanges(),)
        mode = self.live.effective_mode(name)
        if not mode_allows_writes(mode) and not (
            change.mode is not None
            and mode_allows_writes(change.mode.after)
            and self._mode_settable()
        ):
            # Blocking here, not failing at apply: earlier steps would already be written.
            blocked += (ModeRefusesWrites(name, mode),)
        if blocked:
            action = SubjectAction.BLOCKED
        elif change.action is SchemaAction.CREATE:
            action = SubjectAction.CREATE
        else:
            action = SubjectAction.UPDATE
        summary: CreateSubject | RegisterVersion
        if change.action is SchemaAction.CREATE:
            summary = CreateSubject(expected)
        else:
            summary = RegisterVersion(expected, latest.version if latest else None)
        self.subjects[name] = SubjectPlan(
            subject=name,
            action=action,
            summary=summary,
            schema_file=spec.schema_file,
            owner=spec.owner,
            notes=tuple(notes),
            warnings=warnings,
            changes=schema_changes,
            schema_diff=_text_diff(name, latest, schema, spec.schema_file),
            verdict=verdict,
            blocked_reasons=blocked,
        )

    def _accepting(self, subject: str, digest: str, version: int) -> BreakAccepted | None:
        """The first active approval of ``subject`` naming this registration, marked used."""
        spec = self.desired.subjects[subject]
        for index, approval in enumerate(spec.accepted_breaks):
            if approval_active(approval, self.today) and approval_names(approval, digest, version):
                self.used.add((subject, index))
                return BreakAccepted(
                    by=approval.by,
                    reason=approval.reason,
                    location=approval.location,
                    until=approval.until,
                    digest=approval.digest,
                    version=approval.version,
                )
        return None

    def _lift_level(
        self,
        name: str,
        level: CompatibilityLevel,
        slots: SubjectSteps,
        state: SubjectState | None,
    ) -> LevelLiftedForBreak:
        """Steps that let the registry take an accepted incompatible version: the registry
        checks every registration under the subject's level, so the level is NONE just for the
        registration and set back right after it (a tightening the plan makes anyway does that)."""
        earlier = [s for s in slots.before if isinstance(s, SetCompatibility)]
        holding = earlier[-1].level if earlier else (state.compatibility if state else None)
        slots.before.append(
            SetCompatibility(name, CompatibilityLevel.NONE, holding, loosening=True, temporary=True)
        )
        later = [s for s in slots.after if isinstance(s, SetCompatibility)]
        if later:
            return LevelLiftedForBreak(level, later[-1].level)
        slots.after.insert(
            0, SetCompatibility(name, level, CompatibilityLevel.NONE, loosening=False)
        )
        return LevelLiftedForBreak(level, level)

    def check_approvals(self) -> None:
        """A plan warning for every approval that accepts nothing: expired, or naming no
        registration of this plan (so a stale approval is seen and removed)."""
        for name, spec in sorted(self.desired.subjects.items()):
            for index, approval in enumerate(spec.accepted_breaks):
                if (name, index) in self.used:
                    continue
                planned = self.planned.get(name)
                names_planned = planned is not None and approval_names(
                    approval, planned.digest, planned.version
                )
                if not approval_active(approval, self.today):
                    assert approval.until is not None
                    self.warnings.append(
                        ApprovalExpired(
                            name,
                            approval.by,
                            approval.location,
                            approval.until,
                            approval.digest,
                            approval.version,
                            matches=names_planned,
                        )
                    )
                    continue
                self.warnings.append(self._unmatched(name, approval, planned, names_planned))

    def _unmatched(
        self, name: str, approval: BreakApproval, planned: _Planned | None, names_planned: bool
    ) -> ApprovalUnmatched:
        registered = None if names_planned else self._registered_version(name, approval)
        if names_planned:
            miss = ApprovalMiss.NOT_NEEDED
        elif registered is not None:
            miss = ApprovalMiss.ALREADY_REGISTERED
        elif planned is not None:
            miss = ApprovalMiss.OTHER_SCHEMA
        else:
            miss = ApprovalMiss.NOTHING_REGISTERED
        return ApprovalUnmatched(
            subject=name,
            by=approval.by,
            location=approval.location,
            miss=miss,
            digest=approval.digest,
            version=approval.version,
            planned_digest=planned.digest if planned else None,
            planned_version=planned.version if planned else None,
            registered_version=registered,
        )

    def _registered_version(self, name: str, approval: BreakApproval) -> int | None:
        """The live version the approval names (by digest, else by number), if any."""
        state = self.live.subjects.get(name)
        if state is None:
            return None
        for registered in reversed(state.live_versions):
            schema = registered.schema
            digest = schema_digest(schema.schema_str, schema.schema_type)
            if approval_names(approval, digest, registered.version):
                return registered.version
        return None

    def _target_differences(
        self, schema: Schema, previous: tuple[RegisteredSchema, ...]
    ) -> tuple[tuple[SubjectWarning, ...], tuple[BlockReason, ...]]:
        """Where the target is known (or not known) to judge this registration unlike the
        local checker: warnings; where it is known to refuse the schema: blocks."""
        known = self.capabilities
        if known is None:
            return (), ()
        warnings: list[SubjectWarning] = []
        blocks: list[BlockReason] = []
        found = verdict_differences(schema.schema_str, [v.schema.schema_str for v in previous])
        for kind in sorted(found, key=lambda k: k.value):
            behaviour = target_behaviour(known.implementation, kind)
            if behaviour is TargetBehaviour.CANNOT_STORE:
                blocks.append(TargetCannotStore(kind, known.implementation))
            elif behaviour is not TargetBehaviour.SAME:
                differs = behaviour is TargetBehaviour.DIFFERS
                warnings.append(VerdictDependsOnImplementation(kind, known.implementation, differs))
        return tuple(warnings), tuple(blocks)

    def _rollback(self, change: SubjectChange) -> None:
        name = change.subject
        schema_file, owner = self._spec_fields(name)
        slots = self.steps.setdefault(name, SubjectSteps())
        target = change.matched_version
        assert target is not None, "a rollback names the version that becomes latest"
        newer = change.newer_versions
        capability_blocks: list[BlockReason] = []
        notes: list[Note] = [
            RollbackTargetIsOlder(target, newer),
            RollbackSoftDeletesNewer(target, newer),
            *self._setting_steps(change, slots, capability_blocks),
        ]
        for version in sorted(newer, reverse=True):
            slots.main.append(
                DeleteVersion(name, version, permanent=False, reason=RollbackTo(target))
            )
        state = self.live.subjects.get(name)
        require_history(state, "a rollback")
        warnings: tuple[SubjectWarning, ...] = ()
        if change.desired is not None and state is not None:
            written = tuple(v for v in state.live_versions if v.version in newer)
            readback = verdicts.check(
                change.desired.schema,
                written,
                CompatibilityLevel.BACKWARD_TRANSITIVE,
                self._resolver,
            )
            if not readback.is_compatible:
                first = readback.breaking_changes[0]
                warnings = (RollbackStrandsData(target, newer, first.field_path, first.message),)
        blocked: tuple[BlockReason, ...] = tuple(
            VersionReferenced(version, referrer)
            for version in newer
            for referrer in self._referrers(name, version)
        ) + tuple(capability_blocks)
        self.subjects[name] = SubjectPlan(
            subject=name,
            action=SubjectAction.BLOCKED if blocked else SubjectAction.ROLLBACK,
            summary=RollBack(target, newer),
            schema_file=schema_file,
            owner=owner,
            notes=tuple(notes),
            warnings=warnings,
            schema_diff=(
                _text_diff(name, state.latest, change.desired.schema, schema_file)
                if change.desired is not None and state is not None
                else ()
            ),
            blocked_reasons=blocked,
        )

    def _tightening_warnings(
        self,
        change: SubjectChange,
        latest: Schema,
        history: tuple[RegisteredSchema, ...],
    ) -> tuple[SubjectWarning, ...]:
        """Warn when a level the plan tightens to does not hold over the existing history.

        The registry does not re-check existing versions when a level is tightened, but every
        later registration is checked under it; say so now rather than at the next release.
        """
        c = change.compatibility
        if c is None or is_loosening(c) or c.after is CompatibilityLevel.NONE or not history:
            return ()
        result = verdicts.check(latest, history, c.after, self._resolver)
        if result.is_compatible:
            return ()
        first = result.breaking_changes[0]
        return (
            HistoryBreaksNewLevel(
                c.after, first.against_version or None, first.field_path, first.message
            ),
        )

    def _settings_only(self, change: SubjectChange) -> None:
        name = change.subject
        schema_file, owner = self._spec_fields(name)
        slots = self.steps.setdefault(name, SubjectSteps())
        blocked: list[BlockReason] = []
        notes = self._setting_steps(change, slots, blocked)
        if not blocked and not (slots.before or slots.main or slots.after or slots.deletes):
            # Only a mode already in effect that the registry cannot pin: nothing to do.
            del self.steps[name]
            return
        state = self.live.subjects.get(name)
        require_history(state, "a settings change")
        warnings: tuple[SubjectWarning, ...] = ()
        if state is not None and state.latest is not None:
            history = state.live_versions[:-1]
            warnings = self._tightening_warnings(change, state.latest.schema, history)
        self.subjects[name] = SubjectPlan(
            subject=name,
            action=SubjectAction.BLOCKED if blocked else SubjectAction.UPDATE,
            summary=UpdateSettings(change.matched_version or None),
            schema_file=schema_file,
            owner=owner,
            notes=tuple(notes),
            warnings=warnings,
            blocked_reasons=tuple(blocked),
        )

    def _delete(self, change: SubjectChange) -> None:
        name = change.subject
        require_history(self.live.subjects.get(name), "a subject delete")
        schema_file, owner = self._spec_fields(name)
        if change.action is SchemaAction.ABSENT:
            if not (change.soft_deleted and self.policy.permanent):
                return  # already gone, or soft-deleted and no permanent delete asked for
            step = DeleteSubject(name, permanent=True, reason=AbsentAndPermanent())
            summary: PurgeSubject | SoftDeleteSubject = PurgeSubject()
            notes: list[Note] = [PurgeDropsSettings()]
            permanent = True
        else:
            step = DeleteSubject(name, permanent=False, reason=AbsentInContracts())
            summary = SoftDeleteSubject()
            notes = [SoftDeleteKeepsVersions()]
            permanent = False
        self._add_delete(name, step, summary, notes, schema_file, owner, permanent=permanent)

    def _add_delete(
        self,
        name: str,
        step: DeleteSubject,
        summary: PurgeSubject | SoftDeleteSubject | PruneSubject,
        notes: list[Note],
        schema_file: str | None,
        owner: str | None,
        *,
        permanent: bool,
    ) -> None:
        referrers = sorted(
            {r for r in self._referrers(name, None, include_deleted=permanent) if r != name}
        )
        blocked: tuple[BlockReason, ...] = tuple(SubjectReferenced(r) for r in referrers)
        self.steps.setdefault(name, SubjectSteps()).deletes.append(step)
        self.subjects[name] = SubjectPlan(
            subject=name,
            action=SubjectAction.BLOCKED if blocked else SubjectAction.DELETE,
            summary=summary,
            schema_file=schema_file,
            owner=owner,
            notes=tuple(notes),
            blocked_reasons=blocked,
        )

    def _referrers(
        self, subject: str, version: int | None, *, include_deleted: bool = False
    ) -> list[str]:
        """Subjects (read, not deleted by this plan) whose versions reference ``subject``."""
        found = []
        for name, state in sorted(self.live.subjects.items()):
            if name == subject or name in self.deleting:
                continue
            require_history(state, f"finding what references {subject}")
            for registered in state.versions:
                if registered.deleted and not include_deleted:
                    continue
                if any(
                    r.subject == subject and (version is None or r.version == version)
                    for r in registered.schema.references
                ):
                    found.append(name)
                    break
        return found

    # -- unmanaged subjects -----------------------------------------------------------------

    def add_unmanaged(self, subject: str, *, owned: bool, prune: bool) -> None:
        self.unmanaged.append(UnmanagedEntry(subject, owned=owned, pruned=prune))
        if not prune:
            return
        notes: list[Note] = [UnmanagedPruned()]
        if subject not in self.live.subjects:
            notes.append(UnmanagedNotRead())
        self._add_delete(
            subject,
            DeleteSubject(subject, permanent=False, reason=PrunedUnmanaged()),
            PruneSubject(),
            notes,
            None,
            None,
            permanent=False,
        )


def record_remote_verdict(
    plan: Plan, subject: str, *, compatible: bool, messages: tuple[str, ...] = ()
) -> Plan:
    """The plan with the registry's own answer (``--remote-check``) recorded for ``subject``.

    A disagreement is kept visible in the verdict. When the registry says incompatible and the
    change is not allowed, the subject is blocked even if the local check passed: apply would be
    refused by the registry anyway.

    Raises:
        PlanError: the plan registers nothing for ``subject``.
    """
    current = next((s for s in plan.subjects if s.subject == subject), None)
    if current is None or current.verdict is None:
        raise PlanError(f"the plan registers nothing for {subject}: no verdict to confirm")
    verdict = replace(current.verdict, remote_compatible=compatible, remote_messages=messages)
    updated = replace(current, verdict=verdict)
    dependent = any(isinstance(w, VerdictDependsOnImplementation) for w in current.warnings)
    if compatible and dependent and not verdict.compatible:
        # The target judges this class of change itself: its "compatible" decides.
        remaining = tuple(b for b in current.blocked_reasons if not isinstance(b, Incompatible))
        action = current.action
        if action is SubjectAction.BLOCKED and not remaining:
            creates = isinstance(current.summary, CreateSubject)
            action = SubjectAction.CREATE if creates else SubjectAction.UPDATE
        updated = replace(updated, blocked_reasons=remaining, action=action)
    if not compatible and not verdict.allowed and current.action is not SubjectAction.BLOCKED:
        updated = replace(
            updated,
            action=SubjectAction.BLOCKED,
            blocked_reasons=(*current.blocked_reasons, RegistrySaysIncompatible()),
        )
    subjects = tuple(updated if s.subject == subject else s for s in plan.subjects)
    return replace(plan, subjects=subjects)


def _order(change: SubjectChange) -> LevelChangeOrder:
    """Which way ``change`` moves the compatibility level, and where its step runs."""
    assert change.compatibility is not None
    if change.action is SchemaAction.CREATE:
        return LevelChangeOrder.SET_BEFORE_FIRST_VERSION
    settings_only = change.action is SchemaAction.UNCHANGED
    if is_loosening(change.compatibility):
        if settings_only:
            return LevelChangeOrder.LOOSEN
        if change.desired is not None:
            return LevelChangeOrder.LOOSEN_BEFORE_REGISTERING
        return LevelChangeOrder.LOOSEN_FIRST
    return LevelChangeOrder.TIGHTEN if settings_only else LevelChangeOrder.TIGHTEN_AFTER_REGISTERING


def _text_diff(
    subject: str, latest: RegisteredSchema | None, schema: Schema, schema_file: str | None
) -> tuple[str, ...]:
    """The text diff from the live latest version to ``schema``; empty without a latest."""
    if latest is None:
        return ()
    return schema_diff(
        latest.schema,
        schema,
        old_label=f"{subject} v{latest.version} (registry)",
        new_label=schema_file or f"{subject} (contracts)",
    )
