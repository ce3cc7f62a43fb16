"""Deletes checked against the live registry's references, not only the contracts'.

The plan reads only managed subjects, so a subject the contracts do not manage may reference
one the plan deletes; the registry would refuse that delete half-way through apply. The plan
does no I/O: :func:`check_live_references` is handed the question to ask (a registry's
``referenced_by``) and asks it only for the versions this plan deletes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from aurum_sr.errors import SubjectNotFoundError, VersionNotFoundError
from aurum_sr.plan.model import Plan, SubjectAction, SubjectPlan
from aurum_sr.plan.reasons import (
    BlockReason,
    LiveReferencesUnchecked,
    ReferencedInRegistry,
    SubjectReferenced,
    VersionReferenced,
)
from aurum_sr.plan.steps import DeleteSubject, DeleteVersion

AskReferrers = Callable[[str, int], list[tuple[str, int]] | None]
"""``ask(subject, version)``: the live ``(subject, version)`` pairs referencing that version
(:meth:`aurum_sr.registry.Registry.referenced_by`); None when the registry cannot tell."""


def check_live_references(plan: Plan, ask: AskReferrers) -> Plan:
    """Block every delete the registry would refuse because a live version it did not read
    references it; the referrers are named. Referrers the plan deletes itself, or already
    names, are left out. A registry that cannot tell (no ``referencedby`` endpoint) blocks
    nothing: the plan warns that those deletes were not checked."""
    deleted_subjects = {s.subject for s in plan.steps if isinstance(s, DeleteSubject)}
    targets: dict[str, set[int]] = {}
    for step in plan.steps:
        if isinstance(step, DeleteVersion):
            targets.setdefault(step.subject, set()).add(step.version)
        elif isinstance(step, DeleteSubject):
            pre = next((p for p in plan.preconditions if p.subject == step.subject), None)
            live = {v.version for v in pre.versions if not v.deleted} if pre else set()
            targets.setdefault(step.subject, set()).update(live)
    if not targets:
        return plan
    updated: dict[str, SubjectPlan] = {}
    unchecked: list[str] = []
    for subject in sorted(targets):
        current = next((s for s in plan.subjects if s.subject == subject), None)
        if current is None:
            continue
        known = {
            r.referrer
            for r in current.blocked_reasons
            if isinstance(r, SubjectReferenced | VersionReferenced)
        }
        found: list[BlockReason] = []
        for version in sorted(targets[subject]):
            try:
                referrers = ask(subject, version)
            except (SubjectNotFoundError, VersionNotFoundError):
                continue  # gone meanwhile: nothing to refuse the delete
            if referrers is None:
                unchecked.append(subject)
                break  # no other version of it can be checked either
            found.extend(
                ReferencedInRegistry(version, name, referrer_version)
                for name, referrer_version in referrers
                if name != subject and name not in deleted_subjects and name not in known
            )
        if found:
            updated[subject] = replace(
                current,
                action=SubjectAction.BLOCKED,
                blocked_reasons=(*current.blocked_reasons, *found),
            )
    warnings = plan.warnings
    if unchecked:
        warnings = (*warnings, LiveReferencesUnchecked(tuple(unchecked)))
    if not updated and not unchecked:
        return plan
    return replace(
        plan,
        subjects=tuple(updated.get(s.subject, s) for s in plan.subjects),
        warnings=warnings,
    )
