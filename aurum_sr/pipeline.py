"""The whole story, start here.

``aurum-sr plan`` is::

    load_desired            contracts.yml + .avsc files → DesiredState     (aurum_sr.desired)
    open_registry           a URL or file: → Registry                      (aurum_sr.registry)
    read_latest             only the managed subjects, latest live version each (+ listings
                            under owned prefixes; modes only where a contract manages one);
                            load_reading runs it while the schemas are checked, in a forked
                            child process where the platform allows
    diff                    DesiredState × LiveState → ChangeSet           (aurum_sr.diff)
    complete_histories      re-read, whole history, only what the plan needs: changed subjects
                            and what their references reach; diff again  (until nothing new)
    build_plan              verdict on every registration, ordered steps → Plan (aurum_sr.plan)
    [remote_check]          the registry's own compatibility test, recorded next to ours
    render / dumps          → text, or the saved plan document             (aurum_sr.render)

``aurum-sr apply`` is :func:`apply` (re-check preconditions, run steps; aurum_sr.apply) and
``aurum-sr drift`` is :func:`drift`. Each step is a plain function over frozen data.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from aurum_sr.apply import ApplyResult, StepCallback, apply_plan
from aurum_sr.canonical import identity_digest
from aurum_sr.desired import LoadedDesired, load_desired
from aurum_sr.desired.background import SchemaCheck
from aurum_sr.desired.directory import load_schema_dir
from aurum_sr.desired.loader import check_schemas, finish, gather_desired
from aurum_sr.diff import ChangeSet, DriftReport, SchemaAction, diff
from aurum_sr.diff import drift as classify_drift
from aurum_sr.errors import (
    PartialHistoryError,
    RegistryError,
    SchemaInputError,
    Severity,
    SubjectNotFoundError,
)
from aurum_sr.model import (
    DesiredState,
    Lifecycle,
    LiveState,
    Schema,
    SchemaReference,
    SubjectState,
)
from aurum_sr.plan import Plan, PlanPolicy, RegisterSchema, build_plan, record_remote_verdict
from aurum_sr.registry.protocol import Registry

Reading = Callable[[int, str], AbstractContextManager[object]]
"""``reading(subject_count, registry_name)``: shown while the live state is read (a progress
bar in a terminal)."""


def load(
    root: str | Path = ".",
    *,
    contracts: str = "contracts/contracts.yml",
    strict: bool = False,
    schema_dir: str | Path | None = None,
) -> LoadedDesired:
    """The desired state: the contracts under ``root``, or (asked for explicitly) a folder of
    ``.avsc`` files without contracts, whose warning says contracts are not enforced."""
    if schema_dir is not None:
        return load_schema_dir(schema_dir, root=root)
    return load_desired(root, contracts=contracts, strict=strict)


T = TypeVar("T")


def load_reading(
    root: str | Path,
    read: Callable[[DesiredState], T],
    *,
    contracts: str = "contracts/contracts.yml",
    strict: bool = False,
    fork: bool | None = None,
    meanwhile: Callable[[DesiredState, T, Callable[[], bool]], object] | None = None,
) -> tuple[LoadedDesired, T]:
    """:func:`load`, with ``read`` (which must only *read*, e.g. :func:`read_latest`) run on the
    subjects the contracts list while their schemas are checked.

    The checks run in a forked child process where that is possible
    (:func:`aurum_sr.desired.background.can_fork`; ``fork`` forces the choice), so reading the
    registry and checking the schemas take the time of the longer one instead of both. The
    result is the same either way. The desired state's errors win: when the schemas are
    invalid, the :class:`~aurum_sr.errors.DesiredStateError` is raised whatever ``read`` did;
    when they are valid, whatever ``read`` raised is raised. When reading the contracts or the
    schema files already failed, ``read`` is not called at all.
    ``meanwhile(state, value, checking)`` runs after ``read`` while the child still checks:
    work the caller needs next anyway (e.g. :func:`precompute_identities`), which may stop
    early once ``checking()`` turns false; it is skipped when the checks run in this process.

    Raises:
        DesiredStateError: every problem found in the desired state.
    """
    gathered = gather_desired(root, contracts=contracts, strict=strict)
    if any(d.severity is Severity.ERROR for d in gathered.diagnostics):
        finish(gathered, check_schemas(gathered))  # raises, with the schema problems too
    check = SchemaCheck(gathered, fork=fork)
    try:
        try:
            state = gathered.state
            value = read(state)
            if meanwhile is not None and check.forked:
                meanwhile(state, value, check.checking)
        except Exception:
            finish(gathered, check.result())  # invalid schemas: that error, not the read's
            raise
        return finish(gathered, check.result()), value
    finally:
        check.close()


def precompute_identities(
    desired: DesiredState, live: LiveState, checking: Callable[[], bool] = lambda: True
) -> None:
    """Compute (and cache) the registry identities :func:`diff` compares: every latest live
    version's, then, while ``checking()`` (the schema checks still run in their child
    process, which sends the desired ones once it is done), the desired schemas' from the last.
    Run as :func:`load_reading`'s ``meanwhile``, it moves the diff's main cost into time spent
    waiting. Schemas that are not JSON are left for the checks and the diff to report."""
    for state in live.subjects.values():
        for version in state.versions[-1:]:
            with suppress(SchemaInputError):
                identity_digest(version.schema.schema_str, version.schema.schema_type)
    for spec in reversed(list(desired.subjects.values())):
        if not checking():
            return
        if spec.schema_str is not None:
            with suppress(SchemaInputError):
                identity_digest(spec.schema_str, spec.schema_type)


def read_live(
    desired: DesiredState, registry: Registry, *, reading: Reading | None = None
) -> LiveState:
    """Read what the contracts manage, and list what lives under the prefixes they own."""
    return _read(desired, registry, reading)


def read_latest(
    desired: DesiredState, registry: Registry, *, reading: Reading | None = None
) -> LiveState:
    """Like :func:`read_live`, but only each subject's latest live version (partial states)."""
    return _read(desired, registry, reading, latest_only=True)


def _read(
    desired: DesiredState, registry: Registry, reading: Reading | None, **latest_only: bool
) -> LiveState:
    with (reading or _quiet)(len(desired.subjects), registry.name):
        return registry.read_state(
            sorted(desired.subjects),
            list_prefixes=desired.owned_prefixes,
            modes_for=_modes_for(desired),
            **latest_only,
        )


def _modes_for(desired: DesiredState) -> list[str]:
    return sorted(s for s, spec in desired.subjects.items() if spec.mode is not None)


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


def complete_histories(
    live: LiveState, subjects: set[str], registry: Registry, desired: DesiredState
) -> LiveState:
    """``live`` with the whole history of ``subjects`` read again (one ``read_state`` call)."""
    wanted = sorted(subjects)
    full = registry.read_state(wanted, modes_for=sorted(set(_modes_for(desired)) & subjects))
    merged = dict(live.subjects)
    for name in wanted:
        state = full.subjects.get(name)
        if state is None:
            merged.pop(name, None)
        else:
            merged[name] = state
    return replace(live, subjects=merged)


def _two_phase(
    desired: DesiredState,
    registry: Registry,
    *,
    reading: Reading | None,
    prune: bool,
    permanent: bool,
    extra: Callable[[LiveState], set[str]] | None = None,
    latest: LiveState | None = None,
) -> tuple[LiveState, ChangeSet, set[str]]:
    """Read latest-only, diff, and re-read whole histories until every subject the result
    depends on has one; returns the merged state, its diff and the fully read subjects.

    Each round reads only subjects not read in full yet; the set only grows, so this ends
    (usually after one re-read: a later round finds only what an older version references).
    """
    live = latest if latest is not None else read_latest(desired, registry, reading=reading)
    changes = diff(desired, live, prune=prune)
    complete: set[str] = set()
    while True:
        needed = histories_needed(desired, live, changes, permanent=permanent)
        if extra is not None:
            needed |= extra(live) & set(desired.subjects)
        missing = needed - complete
        if not missing:
            return live, changes, complete
        live = complete_histories(live, missing, registry, desired)
        complete |= missing
        changes = diff(desired, live, prune=prune)


def make_plan(
    desired: DesiredState,
    registry: Registry,
    *,
    policy: PlanPolicy,
    remote_check: bool = False,
    reading: Reading | None = None,
    created_at: datetime | None = None,
    latest: LiveState | None = None,
) -> Plan:
    """Read, diff and plan; with ``remote_check``, ask the registry about every registration.

    ``latest`` is :func:`read_latest` of ``desired`` from ``registry`` when the caller read it
    already (see :func:`load_reading`).
    """
    live, changes, complete = _two_phase(
        desired,
        registry,
        reading=reading,
        prune=policy.prune,
        permanent=policy.permanent,
        latest=latest,
    )
    touched = {c.subject for c in changes.changes} & set(desired.subjects)
    if not touched <= complete:
        first = sorted(touched - complete)[0]
        raise PartialHistoryError(first, "the plan")
    live = with_modes_of_written(live, changes, registry, desired)
    plan = build_plan(desired, live, changes, policy=policy, created_at=created_at)
    return check_remotely(plan, registry) if remote_check else plan


def with_modes_of_written(
    live: LiveState, changes: ChangeSet, registry: Registry, desired: DesiredState
) -> LiveState:
    """``live`` plus the subject-level mode of every subject the plan will write to.

    Modes are read up front only where the contracts manage one (no bulk endpoint exists). A
    subject set READONLY by hand that the plan writes to must block the plan, not stop apply
    half-way, so its mode is read now: one request per changed subject, none for a no-change plan.
    """
    managed = {s for s, spec in desired.subjects.items() if spec.mode is not None}
    written = [c.subject for c in changes.changes] + [
        u.subject for u in changes.unmanaged if u.prune
    ]
    subjects = dict(live.subjects)
    for subject in sorted(set(written) - managed):
        try:
            mode = registry.get_mode(subject)
        except SubjectNotFoundError:
            mode = None
        state = subjects.get(subject) or SubjectState(subject=subject)
        subjects[subject] = replace(state, mode=mode)
    return replace(live, subjects=subjects)


def check_remotely(plan: Plan, registry: Registry) -> Plan:
    """Record the registry's own verdict (its all-versions test, verbose) on each registration.

    Skipped, with a warning in the plan, where the registry cannot answer the question the
    plan asks: a first version, a reference to a version the plan registers, or a level the
    plan changes before registering.
    """
    notes: list[str] = []
    for step in (s for s in plan.steps if isinstance(s, RegisterSchema)):
        subject = next(s for s in plan.subjects if s.subject == step.subject)
        verdict = subject.verdict
        pre = next(p for p in plan.preconditions if p.subject == step.subject)
        level_now = pre.compatibility or plan.global_settings.compatibility
        if verdict is None or not any(not v.deleted for v in pre.versions):
            continue
        if any(r.planned for r in step.references):
            notes.append(
                f"remote check skipped for {step.subject}: "
                "it references a version this plan registers"
            )
            continue
        if verdict.level is not level_now:
            notes.append(
                f"remote check skipped for {step.subject}: the plan sets its level to "
                f"{verdict.level.value} first; the registry would test under {level_now.value}"
            )
            continue
        refs = tuple(SchemaReference(r.name, r.subject, r.version or 0) for r in step.references)
        try:
            answer = registry.test_compatibility(
                step.subject, Schema(step.schema_str, step.schema_type, refs)
            )
        except RegistryError as exc:
            notes.append(f"remote check failed for {step.subject}: {exc.message}")
            continue
        plan = record_remote_verdict(
            plan, step.subject, compatible=answer.is_compatible, messages=answer.messages
        )
    return replace(plan, warnings=(*plan.warnings, *notes)) if notes else plan


def apply(
    plan: Plan,
    registry: Registry,
    *,
    allow_delete: bool = False,
    on_step: StepCallback | None = None,
) -> ApplyResult:
    """Re-check the plan's preconditions, then run its steps (:func:`aurum_sr.apply.apply_plan`)."""
    return apply_plan(plan, registry, allow_delete=allow_delete, on_step=on_step)


def drift(
    desired: DesiredState,
    registry: Registry,
    *,
    reading: Reading | None = None,
    latest: LiveState | None = None,
) -> DriftReport:
    """What the registry holds that the contracts do not explain, classified.

    Read latest-only first (or take ``latest``, as :func:`make_plan` does); every subject with a
    finding (and every subject that changes) is read again in full before the report is made
    from the merged state.
    """

    def findings(live: LiveState) -> set[str]:
        return set(classify_drift(desired, live).subjects)

    live, _, _ = _two_phase(
        desired,
        registry,
        reading=reading,
        prune=False,
        permanent=False,
        extra=findings,
        latest=latest,
    )
    return classify_drift(desired, live)


def _quiet(count: int, registry: str) -> AbstractContextManager[object]:
    return nullcontext()
