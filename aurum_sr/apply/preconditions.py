"""Is a plan still valid? Compare what it saw with what the registry holds now.

A plan recorded, for each touched subject, its versions (number, id, soft-deleted), its
subject-level compatibility and mode, and the global settings. The registry may since have moved
in two ways. The plan's own steps may have run already (an apply that stopped half-way, or the
same plan applied twice): those differences are expected and the idempotent steps skip them.
Anything else (a version registered outside the plan, an id that changed, a setting the plan
does not make) means the verdicts and the order were computed on a state that no longer exists:
the plan is stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from aurum_sr.canonical import same_schema
from aurum_sr.errors import require_history
from aurum_sr.model import LiveState, RegisteredSchema, Schema, SubjectState
from aurum_sr.plan.model import Plan, Precondition, VersionSeen
from aurum_sr.plan.steps import (
    DeleteSubject,
    DeleteVersion,
    RegisterSchema,
    SetCompatibility,
    SetMode,
    Step,
)


@dataclass(frozen=True)
class Movement:
    """One thing that moved since the plan was made."""

    subject: str
    """The subject, or ``(global)`` for the registry's global settings."""
    what: str
    """``versions``, ``compatibility`` or ``mode``."""
    before: str
    now: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.what} {self.before} -> {self.now}"


def subjects_to_read(plan: Plan) -> tuple[str, ...]:
    """Every subject the plan recorded preconditions for."""
    return tuple(p.subject for p in plan.preconditions)


def modes_to_read(plan: Plan) -> tuple[str, ...]:
    """Subjects whose mode the plan read: those whose mode it saw or sets, and every subject it
    writes to apart from a first registration (the pipeline reads those modes so a
    subject-level READONLY blocks the plan instead of stopping apply half-way). Re-reading
    others would report modes the plan never looked at."""
    steps = _by_subject(plan)
    return tuple(
        p.subject for p in plan.preconditions if _relies_on_mode(p, steps.get(p.subject, []))
    )


def _by_subject(plan: Plan) -> dict[str, list[Step]]:
    by_subject: dict[str, list[Step]] = {}
    for step in plan.steps:
        by_subject.setdefault(step.subject, []).append(step)
    return by_subject


def movements(plan: Plan, live: LiveState) -> tuple[Movement, ...]:
    """What moved since ``plan`` was made, apart from the effects of the plan's own steps."""
    found: list[Movement] = []
    seen = plan.global_settings
    if live.global_compatibility is not seen.compatibility:
        found.append(
            Movement(
                "(global)",
                "compatibility",
                seen.compatibility.value,
                live.global_compatibility.value,
            )
        )
    if live.global_mode is not seen.mode:
        found.append(Movement("(global)", "mode", seen.mode.value, live.global_mode.value))
    by_subject = _by_subject(plan)
    for pre in plan.preconditions:
        steps = by_subject.get(pre.subject, [])
        found.extend(_subject_movements(pre, live.subjects.get(pre.subject), steps))
    return tuple(found)


def _subject_movements(
    pre: Precondition, now: SubjectState | None, steps: list[Step]
) -> list[Movement]:
    require_history(now, "apply's precondition check")
    found: list[Movement] = []
    if not pre.versions and any(isinstance(s, DeleteSubject) for s in steps):
        # An unmanaged subject pruned after only being listed, never read: nothing was recorded
        # to compare against (the registry itself refuses the delete while it is referenced).
        return found
    purged = any(isinstance(s, DeleteSubject) and s.permanent for s in steps)
    versions_now = now.versions if now is not None else ()
    if not _versions_explained(pre.versions, versions_now, steps, purged=purged):
        found.append(
            Movement(
                pre.subject, "versions", _versions_text(pre.versions), _live_text(versions_now)
            )
        )
    level_now = now.compatibility if now is not None else None
    levels = {pre.compatibility} | {s.level for s in steps if isinstance(s, SetCompatibility)}
    if purged:
        levels.add(None)
    if level_now not in levels and _relies_on_level(pre, steps):
        found.append(
            Movement(pre.subject, "compatibility", _setting(pre.compatibility), _setting(level_now))
        )
    mode_now = now.mode if now is not None else None
    modes = {pre.mode} | {s.mode for s in steps if isinstance(s, SetMode)}
    if purged:
        modes.add(None)
    if mode_now not in modes and _relies_on_mode(pre, steps):
        found.append(Movement(pre.subject, "mode", _setting(pre.mode), _setting(mode_now)))
    return found


def _relies_on_level(pre: Precondition, steps: list[Step]) -> bool:
    """Whether the plan's verdicts or steps depend on the subject-level compatibility it saw.

    A plan reads the level of a subject only where the contracts manage it (then a setting is
    recorded or a step sets it) or where it registers into, or deletes from, the subject's live
    history (the verdict and the rollback are made under it). Elsewhere (a subject's first
    version, a subject delete) the level was not read, and a level found now is no movement.
    """
    if pre.compatibility is not None or any(isinstance(s, SetCompatibility) for s in steps):
        return True
    live = any(not v.deleted for v in pre.versions)
    return live and any(isinstance(s, (RegisterSchema, DeleteVersion)) for s in steps)


def _relies_on_mode(pre: Precondition, steps: list[Step]) -> bool:
    """Whether the plan read the subject-level mode: where the contracts manage it (a mode is
    recorded or a step sets it) and where it writes, apart from a subject's first registration
    (see :func:`aurum_sr.diff.needs.modes_needed`)."""
    if pre.mode is not None or any(isinstance(s, SetMode) for s in steps):
        return True
    first = not any(not v.deleted for v in pre.versions) and any(
        isinstance(s, RegisterSchema) for s in steps
    )
    return bool(steps) and not first


def _versions_explained(
    seen: Iterable[VersionSeen],
    now: Iterable[RegisteredSchema],
    steps: list[Step],
    *,
    purged: bool,
) -> bool:
    """True when every difference between ``seen`` and ``now`` is one of ``steps``' effects."""
    before = {v.version: v for v in seen}
    after = {v.version: v for v in now}
    registers = [s for s in steps if isinstance(s, RegisterSchema)]
    soft_deleted = {s.version for s in steps if isinstance(s, DeleteVersion) and not s.permanent}
    purged_versions = {s.version for s in steps if isinstance(s, DeleteVersion) and s.permanent}
    deletes_subject = any(isinstance(s, DeleteSubject) for s in steps)
    new = [v for n, v in after.items() if n not in before]
    if len(new) > len(registers):
        return False
    for version in new:
        if version.deleted or not any(_holds(version, s) for s in registers):
            return False
    for number, old in before.items():
        current = after.get(number)
        if current is None:
            # Re-registering the content of a soft-deleted version drops that version.
            replaced = old.deleted and any(v.schema_id == old.schema_id for v in new)
            if not (purged or number in purged_versions or replaced):
                return False
            continue
        if current.schema_id != old.schema_id:
            return False
        if current.deleted != old.deleted and (
            old.deleted or not (deletes_subject or number in soft_deleted)
        ):
            return False
    return True


def _holds(version: RegisteredSchema, step: RegisterSchema) -> bool:
    """Whether ``version`` holds the schema ``step`` registers (a planned reference matches any
    version of the subject it names)."""
    refs = version.schema.references
    if len(refs) != len(step.references):
        return False
    for ref, wanted in zip(refs, step.references, strict=True):
        if (ref.name, ref.subject) != (wanted.name, wanted.subject):
            return False
        if not wanted.planned and ref.version != wanted.version:
            return False
    expected = Schema(step.schema_str, step.schema_type, refs, step.metadata, step.rule_set)
    return same_schema(replace(version.schema, references=refs), expected)


def _versions_text(versions: Iterable[VersionSeen]) -> str:
    parts = [f"v{v.version} (id {v.schema_id}{', deleted' if v.deleted else ''})" for v in versions]
    return "[" + ", ".join(parts) + "]" if parts else "[none]"


def _live_text(versions: Iterable[RegisteredSchema]) -> str:
    return _versions_text(VersionSeen(v.version, v.schema_id, v.deleted) for v in versions)


def _setting(value: object) -> str:
    return "inherited" if value is None else str(value)
