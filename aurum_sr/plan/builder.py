"""⑤ The planner: a ChangeSet, verdicts and a policy → a frozen Plan. Pure."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from datetime import datetime, timezone

from aurum_sr.diff.config import is_loosening, mode_allows_writes
from aurum_sr.diff.schemas import find_version, next_version, reference_order
from aurum_sr.diff.subjects import ChangeSet, SchemaAction, SubjectChange
from aurum_sr.errors import PlanError, SchemaInputError, require_history
from aurum_sr.model import (
    CompatibilityLevel,
    DesiredState,
    LiveState,
    RegisteredSchema,
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
from aurum_sr.plan.steps import (
    DeleteSubject,
    DeleteVersion,
    RegisterSchema,
    SetCompatibility,
    SetMode,
    StepReference,
)
from aurum_sr.secrets import mask_url


def build_plan(
    desired: DesiredState,
    live: LiveState,
    changes: ChangeSet,
    *,
    policy: PlanPolicy,
    created_at: datetime | None = None,
) -> Plan:
    """Turn ``changes`` into ordered steps with a verdict on every registration.

    ``created_at`` is injectable so saved plans and golden files are reproducible.
    """
    deleting = {
        c.subject
        for c in changes.subjects
        if c.action in (SchemaAction.DELETE, SchemaAction.ABSENT)
    } | {u.subject for u in changes.unmanaged if u.prune}
    builder = _Builder(desired, live, policy, deleting)
    by_subject = {c.subject: c for c in changes.subjects}
    # Reference order, so a referrer's verdict can resolve the version its reference registers.
    for name in reference_order(desired):
        if name in by_subject:
            builder.add(by_subject.pop(name))
    for change in by_subject.values():
        builder.add(change)
    for unmanaged in changes.unmanaged:
        builder.add_unmanaged(unmanaged.subject, owned=unmanaged.owned, prune=unmanaged.prune)
    when = created_at or datetime.now(timezone.utc)
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
    )


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


class _Builder:
    def __init__(
        self, desired: DesiredState, live: LiveState, policy: PlanPolicy, deleting: set[str]
    ) -> None:
        self.deleting = deleting
        """Subjects this plan deletes: their references do not block other deletes."""
        self.desired = desired
        self.live = live
        self.policy = policy
        self.subjects: dict[str, SubjectPlan] = {}
        self.steps: dict[str, SubjectSteps] = {}
        self.unmanaged: list[UnmanagedEntry] = []
        self.warnings: list[str] = []
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

    def add(self, change: SubjectChange) -> None:
        action = change.action
        if action is SchemaAction.ABSENT:
            self._delete(change)  # a soft-deleted subject may still be purged (--permanent)
            return
        if change.is_noop:
            return
        if action in (SchemaAction.CREATE, SchemaAction.REGISTER):
            self._register(change)
        elif action is SchemaAction.ROLLBACK:
            self._rollback(change)
        elif action in (SchemaAction.DELETE, SchemaAction.ABSENT):
            self._delete(change)
        else:
            self._settings_only(change)

    def _spec_fields(self, subject: str) -> tuple[str | None, str | None]:
        spec = self.desired.subjects.get(subject)
        return (spec.schema_file, spec.owner) if spec else (None, None)

    def _setting_steps(self, change: SubjectChange, slots: SubjectSteps) -> list[str]:
        """Add the compatibility and mode steps; return their description lines."""
        lines: list[str] = []
        new_subject = change.action is SchemaAction.CREATE
        if change.compatibility is not None:
            c = change.compatibility
            loosening = is_loosening(c)
            step = SetCompatibility(change.subject, c.after, c.before, loosening=loosening)
            was = c.before.value if c.before else f"inherited {c.inherited.value}"
            if loosening or new_subject:
                slots.before.append(step)
                when = "before registering" if change.desired else "first"
            else:
                slots.after.append(step)
                when = "after registering" if change.action is not SchemaAction.UNCHANGED else ""
            how = "loosen" if loosening else "tighten"
            suffix = f", {when}" if when and change.action is not SchemaAction.UNCHANGED else ""
            if new_subject:
                how, suffix = "set", " before the first version"
            lines.append(f"compatibility: {was} -> {c.after.value} ({how}{suffix})")
        if change.mode is not None:
            m = change.mode
            step_mode = SetMode(change.subject, m.after, m.before)
            if mode_allows_writes(m.after):
                slots.before.append(step_mode)
            else:
                slots.after.append(step_mode)
            was = m.before.value if m.before else f"inherited {m.inherited.value}"
            lines.append(f"mode: {was} -> {m.after.value}")
        return lines

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
        details = self._setting_steps(change, slots)
        expected = next_version(state)
        schema = change.desired.schema
        self.planned_schemas[(name, expected)] = schema
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
            )
        )
        if change.deleted_match is not None:
            details.append(
                f"same content as soft-deleted v{change.deleted_match}; "
                f"the registry registers it as a new version"
            )
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
        allowed_reason = ""
        if not result.is_compatible:
            if spec.compatibility is CompatibilityLevel.NONE:
                allowed_reason = "the contract's compatibility level is NONE"
            elif name in self.policy.allow_incompatible:
                allowed_reason = "allowed with --allow-incompatible"
        verdict = Verdict(
            compatible=result.is_compatible,
            level=level,
            checked_versions=tuple(v.version for v in previous),
            breaking_changes=result.breaking_changes,
            allowed=bool(allowed_reason),
            allowed_reason=allowed_reason,
        )
        blocked: tuple[str, ...] = ()
        if verdict.blocking:
            blocked = (
                f"incompatible under {level.value}: "
                f"{len(result.breaking_changes)} breaking change(s)",
            )
        details.extend(self._tightening_notes(change, schema, live_versions))
        mode = self.live.effective_mode(name)
        if not mode_allows_writes(mode) and not (
            change.mode is not None and mode_allows_writes(change.mode.after)
        ):
            # Blocking here, not failing at apply: earlier steps would already be written.
            blocked += (
                f"{name} is in mode {mode.value}: the registry refuses new versions "
                "(set mode: READWRITE in its contract, or change the mode by hand first)",
            )
        if blocked:
            action = SubjectAction.BLOCKED
        elif change.action is SchemaAction.CREATE:
            action = SubjectAction.CREATE
        else:
            action = SubjectAction.UPDATE
        if change.action is SchemaAction.CREATE:
            summary = f"create subject (register v{expected})"
        else:
            summary = f"register v{expected} (latest is v{latest.version if latest else '?'})"
        self.subjects[name] = SubjectPlan(
            subject=name,
            action=action,
            summary=summary,
            schema_file=spec.schema_file,
            owner=spec.owner,
            details=tuple(details),
            changes=schema_changes,
            verdict=verdict,
            blocked_reasons=blocked,
        )

    def _rollback(self, change: SubjectChange) -> None:
        name = change.subject
        schema_file, owner = self._spec_fields(name)
        slots = self.steps.setdefault(name, SubjectSteps())
        details = self._setting_steps(change, slots)
        target = change.matched_version
        newer = change.newer_versions
        listed = ", ".join(f"v{v}" for v in newer)
        details[:0] = [
            f"the contracts hold the content of v{target}, but {listed} came later; registering "
            f"it again would only return v{target} and leave latest where it is",
            f"so the plan soft-deletes {listed} (newest first): v{target} becomes latest again; "
            "soft-deleted versions stay readable by id for existing data",
        ]
        for version in sorted(newer, reverse=True):
            slots.main.append(
                DeleteVersion(name, version, permanent=False, reason=f"rollback to v{target}")
            )
        state = self.live.subjects.get(name)
        require_history(state, "a rollback")
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
                details.append(
                    f"warning: readers of v{target} cannot read data already written with "
                    f"{listed}: {first.field_path}: {first.message}"
                )
        blocked = tuple(
            f"v{version} is referenced by {referrer}; the registry refuses to delete it"
            for version in newer
            for referrer in self._referrers(name, version)
        )
        self.subjects[name] = SubjectPlan(
            subject=name,
            action=SubjectAction.BLOCKED if blocked else SubjectAction.ROLLBACK,
            summary=f"roll back to v{target} (soft-delete {listed})",
            schema_file=schema_file,
            owner=owner,
            details=tuple(details),
            blocked_reasons=blocked,
        )

    def _tightening_notes(
        self,
        change: SubjectChange,
        latest: Schema,
        history: tuple[RegisteredSchema, ...],
    ) -> list[str]:
        """Warn when a level the plan tightens to does not hold over the existing history.

        The registry does not re-check existing versions when a level is tightened, but every
        later registration is checked under it; say so now rather than at the next release.
        """
        c = change.compatibility
        if c is None or is_loosening(c) or c.after is CompatibilityLevel.NONE or not history:
            return []
        result = verdicts.check(latest, history, c.after, self._resolver)
        if result.is_compatible:
            return []
        first = result.breaking_changes[0]
        against = f"v{first.against_version}" if first.against_version else "an older version"
        return [
            f"warning: under {c.after.value} the latest schema is not compatible with {against} "
            f"({first.field_path}: {first.message}); the registry does not re-check existing "
            "versions, but later registrations will be checked against them"
        ]

    def _settings_only(self, change: SubjectChange) -> None:
        name = change.subject
        schema_file, owner = self._spec_fields(name)
        slots = self.steps.setdefault(name, SubjectSteps())
        details = self._setting_steps(change, slots)
        state = self.live.subjects.get(name)
        require_history(state, "a settings change")
        if state is not None and state.latest is not None:
            history = state.live_versions[:-1]
            details.extend(self._tightening_notes(change, state.latest.schema, history))
        self.subjects[name] = SubjectPlan(
            subject=name,
            action=SubjectAction.UPDATE,
            summary="update settings (schema unchanged"
            + (f", v{change.matched_version})" if change.matched_version else ")"),
            schema_file=schema_file,
            owner=owner,
            details=tuple(details),
        )

    def _delete(self, change: SubjectChange) -> None:
        name = change.subject
        require_history(self.live.subjects.get(name), "a subject delete")
        schema_file, owner = self._spec_fields(name)
        if change.action is SchemaAction.ABSENT:
            if not (change.soft_deleted and self.policy.permanent):
                return  # already gone, or soft-deleted and no permanent delete asked for
            step = DeleteSubject(name, permanent=True, reason="lifecycle: absent, --permanent")
            summary = "permanently delete (already soft-deleted)"
            details: list[str] = ["its subject-level compatibility and mode go with it"]
            permanent = True
        else:
            step = DeleteSubject(name, permanent=False, reason="lifecycle: absent")
            summary = "soft-delete subject"
            details = ["versions stay readable by id; run plan --permanent afterwards to purge"]
            permanent = False
        self._add_delete(name, step, summary, details, schema_file, owner, permanent=permanent)

    def _add_delete(
        self,
        name: str,
        step: DeleteSubject,
        summary: str,
        details: list[str],
        schema_file: str | None,
        owner: str | None,
        *,
        permanent: bool,
    ) -> None:
        referrers = sorted(
            {r for r in self._referrers(name, None, include_deleted=permanent) if r != name}
        )
        blocked = tuple(
            f"referenced by {r}; delete or change the referrer first" for r in referrers
        )
        self.steps.setdefault(name, SubjectSteps()).deletes.append(step)
        self.subjects[name] = SubjectPlan(
            subject=name,
            action=SubjectAction.BLOCKED if blocked else SubjectAction.DELETE,
            summary=summary,
            schema_file=schema_file,
            owner=owner,
            details=tuple(details),
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
        details = ["unmanaged subject under an owned prefix, pruned (--prune)"]
        if subject not in self.live.subjects:
            details.append("not read: the registry refuses the delete if another schema uses it")
        self._add_delete(
            subject,
            DeleteSubject(subject, permanent=False, reason="unmanaged, --prune"),
            "soft-delete unmanaged subject",
            details,
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
    if not compatible and not verdict.allowed and current.action is not SubjectAction.BLOCKED:
        reason = "the registry's own compatibility test says incompatible"
        updated = replace(
            updated,
            action=SubjectAction.BLOCKED,
            blocked_reasons=(*current.blocked_reasons, reason),
        )
    subjects = tuple(updated if s.subject == subject else s for s in plan.subjects)
    return replace(plan, subjects=subjects)
