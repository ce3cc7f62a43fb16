"""What a change set needs read beyond each subject's latest version. Pure.

A plan (or drift report) starts from the latest live versions; these name the subjects whose
whole history, or whose subject-level mode, the result built from a :class:`ChangeSet`
depends on (:func:`aurum_sr.registry.reading.read_until_complete` reads them).
"""

from __future__ import annotations

from aurum_sr.diff.subjects import ChangeSet, SchemaAction
from aurum_sr.model import DesiredState, Lifecycle, LiveState


def histories_needed(
    desired: DesiredState, live: LiveState, changes: ChangeSet, *, permanent: bool = False
) -> set[str]:
    """The managed subjects whose whole history the plan (or drift report) built from
    ``changes`` reads.

    Every subject that changes, and every subject the contracts want absent (whether it keeps
    soft-deleted versions decides a permanent delete); when anything is deleted (a subject, a
    rollback's versions, a pruned subject), every managed subject, since any version of any of
    them may reference what goes; then, transitively, every subject the desired references and
    the read versions of those subjects reference (verdicts resolve pinned older versions).
    """
    needed = {c.subject for c in changes.changes}
    needed |= {s for s, spec in desired.subjects.items() if spec.lifecycle is Lifecycle.ABSENT}
    deletes = any(u.prune for u in changes.unmanaged) or any(
        c.action in (SchemaAction.DELETE, SchemaAction.ROLLBACK)
        or (c.action is SchemaAction.ABSENT and c.soft_deleted and permanent)
        for c in changes.subjects
    )
    if deletes:
        needed |= set(desired.subjects)
    todo = sorted(needed)
    while todo:
        name = todo.pop()
        spec = desired.subjects.get(name)
        refs = {r.subject for r in spec.references} if spec is not None else set()
        state = live.subjects.get(name)
        for version in state.versions if state is not None else ():
            refs |= {r.subject for r in version.schema.references}
        for ref in refs - needed:
            needed.add(ref)
            todo.append(ref)
    return needed & set(desired.subjects)


def modes_needed(desired: DesiredState, changes: ChangeSet) -> set[str]:
    """The subjects a plan built from ``changes`` writes to whose mode was not read up front
    (modes are read only where the contracts manage one; a plan must know the mode of a
    subject it writes to, so that a subject set READONLY by hand blocks the plan).

    A subject that holds no live version yet (its first registration) is the exception: one
    request per new subject would double what creating it costs, and a mode pinned on a
    subject before it holds anything is rare. If one refuses the registration, apply stops
    there with the registry's answer and a report a re-run converges from.
    """
    managed = {s for s, spec in desired.subjects.items() if spec.mode is not None}
    written = {c.subject for c in changes.changes if c.action is not SchemaAction.CREATE} | {
        u.subject for u in changes.unmanaged if u.prune
    }
    return written - managed


def levels_needed(desired: DesiredState, changes: ChangeSet) -> set[str]:
    """The subjects whose level a plan built from ``changes`` is made under and was not read up
    front (levels are read only where the contracts manage one): a new version registered into
    a live history, or a rollback, is checked under the subject's level. A first version has
    nothing to be compatible with, and a delete needs no level."""
    managed = {s for s, spec in desired.subjects.items() if spec.compatibility is not None}
    checked = {
        c.subject
        for c in changes.subjects
        if c.action in (SchemaAction.REGISTER, SchemaAction.ROLLBACK)
    }
    return checked - managed
