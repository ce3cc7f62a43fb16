"""The whole story, start here.

``aurum-sr plan`` is::

    load_desired            contracts.yml + .avsc files → DesiredState     (aurum_sr.desired)
    open_registry           a URL or file: → Registry                      (aurum_sr.registry)
                            its capabilities: what it is and can do, found out once (or
                            pinned with flavor = "..."); the plan never has a step it
                            cannot perform, and records them      (aurum_sr.capabilities)
    read_latest             only the managed subjects, latest live version each (+ listings
                            under owned prefixes; levels and modes only where a contract
                            manages one);
                            load_reading runs it while the schemas are checked, in a forked
                            child process where the platform allows      (aurum_sr.desired)
    diff                    DesiredState × LiveState → ChangeSet           (aurum_sr.diff)
    read_until_complete     re-read, whole history, only what the plan needs: changed subjects
                            and what their references reach; diff again (aurum_sr.registry)
    with_settings           the levels a registration is checked under and the modes of what
                            the plan writes, where nobody read them up front
    build_plan              verdict on every registration, ordered steps → Plan (aurum_sr.plan)
    check_live_references   deletes the registry would refuse (live referrers) block the plan
    [check_remotely]        the registry's own compatibility test, recorded next to ours
    render / dumps          → text, or the saved plan document             (aurum_sr.render)

``aurum-sr apply`` is :func:`apply` (re-check preconditions, run steps; aurum_sr.apply) and
``aurum-sr drift`` is :func:`drift`, and ``aurum-sr check --against REF`` is
:func:`check_against` (the ref's desired state read from git, compared with no registry). Each
step is a plain function over frozen data.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from aurum_sr.apply import ApplyResult, StepCallback, apply_plan
from aurum_sr.canonical import warm
from aurum_sr.capabilities import Capability
from aurum_sr.compat.against import AgainstReport, compare
from aurum_sr.desired import LoadedDesired, load_desired
from aurum_sr.desired.background import load_reading, precompute_identities
from aurum_sr.desired.directory import load_schema_dir
from aurum_sr.desired.git import GitError, GitRepo
from aurum_sr.diff import ChangeSet, DriftReport, diff
from aurum_sr.diff import drift as classify_drift
from aurum_sr.diff.needs import histories_needed, levels_needed, modes_needed
from aurum_sr.errors import DesiredStateError, InvalidSchemaError, PartialHistoryError
from aurum_sr.model import DesiredState, LiveState, Schema, SubjectSpec
from aurum_sr.plan import Plan, PlanPolicy, build_plan
from aurum_sr.plan.live_references import check_live_references
from aurum_sr.plan.remote import check_remotely
from aurum_sr.registry.protocol import Registry
from aurum_sr.registry.reading import (
    Reading,
    read_latest,
    read_live,
    read_until_complete,
    with_settings,
)

__all__ = [
    "Reading",
    "apply",
    "drift",
    "load",
    "load_reading",
    "make_plan",
    "plan_with_state",
    "precompute_identities",
    "read_latest",
    "read_live",
]


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


def make_plan(
    desired: DesiredState,
    registry: Registry,
    *,
    policy: PlanPolicy,
    remote_check: bool = False,
    reading: Reading | None = None,
    created_at: datetime | None = None,
    latest: LiveState | None = None,
    run_id: str = "",
) -> Plan:
    """Read, diff and plan; with ``remote_check``, ask the registry about every registration.

    ``latest`` is :func:`read_latest` of ``desired`` from ``registry`` when the caller read it
    already (see :func:`load_reading`).
    """
    return plan_with_state(
        desired,
        registry,
        policy=policy,
        remote_check=remote_check,
        reading=reading,
        created_at=created_at,
        latest=latest,
        run_id=run_id,
    )[0]


def plan_with_state(
    desired: DesiredState,
    registry: Registry,
    *,
    policy: PlanPolicy,
    remote_check: bool = False,
    reading: Reading | None = None,
    created_at: datetime | None = None,
    latest: LiveState | None = None,
    run_id: str = "",
) -> tuple[Plan, LiveState]:
    """:func:`make_plan`, and the live state the plan was made from: an apply in the same run
    takes it as the preconditions (``apply(..., seen=state)``) instead of reading them again."""

    def needs(live: LiveState) -> tuple[ChangeSet, set[str]]:
        changes = diff(desired, live, prune=policy.prune)
        return changes, histories_needed(desired, live, changes, permanent=policy.permanent)

    if latest is None:
        with _identities_meanwhile(desired):
            latest = read_latest(desired, registry, reading=reading)
    live, changes, complete = read_until_complete(
        desired, registry, needs, reading=reading, latest=latest
    )
    touched = {c.subject for c in changes.changes} & set(desired.subjects)
    if not touched <= complete:
        raise PartialHistoryError(sorted(touched - complete)[0], "the plan")
    live = with_settings(
        live,
        registry,
        levels=levels_needed(desired, changes),
        modes=modes_needed(desired, changes),
    )
    plan = build_plan(
        desired,
        live,
        changes,
        policy=policy,
        created_at=created_at,
        run_id=run_id,
        capabilities=registry.capabilities(),
    )
    plan = check_live_references(plan, registry.referenced_by)
    if remote_check:
        plan = check_remotely(plan, registry.test_compatibility, _registrable(registry))
    return plan, live


@contextmanager
def _identities_meanwhile(desired: DesiredState) -> Iterator[None]:
    """Compute the desired schemas' identities (what the diff compares) in a thread while the
    body reads the registry: that thread mostly waits on the registry's answers."""
    texts = [(s.schema_str, s.schema_type) for s in desired.subjects.values() if s.schema_str]
    worker = threading.Thread(target=warm, args=(texts,), name="aurum-identities", daemon=True)
    worker.start()
    try:
        yield
    finally:
        worker.join()


def _registrable(registry: Registry) -> Callable[[str, Schema], str | None]:
    """Whether ``registry`` can store a schema, asked without storing it: a lookup. A registry
    that parses before it looks answers "invalid schema" for one it cannot store; "not found"
    says nothing either way."""

    def ask(subject: str, schema: Schema) -> str | None:
        try:
            registry.lookup(subject, schema)
        except InvalidSchemaError as exc:
            return exc.registry_message or exc.message
        return None

    return ask


def apply(
    plan: Plan,
    registry: Registry,
    *,
    allow_delete: bool = False,
    on_step: StepCallback | None = None,
    max_workers: int = 1,
    seen: LiveState | None = None,
) -> ApplyResult:
    """Re-check the plan's preconditions (or, with ``seen`` from :func:`plan_with_state`, take
    the plan's own reads as them), then run its steps, independent ones ``max_workers`` at a
    time (:func:`aurum_sr.apply.apply_plan`)."""
    return apply_plan(
        plan,
        registry,
        allow_delete=allow_delete,
        on_step=on_step,
        max_workers=max_workers,
        seen=seen,
    )


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

    pinnable = registry.capabilities().supports(Capability.SUBJECT_MODE_WRITE)

    def needs(live: LiveState) -> tuple[None, set[str]]:
        changes = diff(desired, live)
        findings = set(classify_drift(desired, live, modes_pinnable=pinnable).subjects)
        return None, histories_needed(desired, live, changes) | findings

    live, _, _ = read_until_complete(desired, registry, needs, reading=reading, latest=latest)
    return classify_drift(desired, live, modes_pinnable=pinnable)


def check_against(
    root: str | Path,
    ref: str,
    *,
    contracts: str = "contracts/contracts.yml",
    ref_contracts: str | None = None,
) -> tuple[LoadedDesired, AgainstReport]:
    """``aurum-sr check --against REF``: the work tree's desired state, and every schema that
    changed since ``ref`` checked against the ref's (no registry).

    The ref's state is read from git (:mod:`aurum_sr.desired.git`): its contracts file is
    ``ref_contracts`` (the ref's own configuration says where, else the same path as now), and
    transitive levels check against the history of the schema file up to the ref.

    Raises:
        DesiredStateError: the work tree's desired state is invalid.
        GitError: no clone, the ref is not in it (the hint says what to fetch), or the ref's
            contracts do not load.
    """
    loaded = load_desired(root, contracts=contracts)
    repo = GitRepo.at(root)
    if ref == "HEAD" and not repo.has_commits:  # the first commit (a pre-commit hook): all new
        return loaded, compare(None, loaded.state, ref=ref, commit="")
    commit = repo.commit(ref)
    with repo.checkout(commit) as base:
        path = ref_contracts or _contracts_at(base, contracts)
        old = None
        if (base / path).is_file():
            try:
                old = load_desired(base, contracts=path).state
            except DesiredStateError as exc:
                first = "\n".join(str(d) for d in exc.diagnostics[:3])
                raise GitError(
                    f"the contracts at {ref} do not load, so nothing can be checked against "
                    f"them:\n{first}",
                    hint="compare with a ref whose contracts validate",
                ) from None

    def history(spec: SubjectSpec) -> tuple[list[str], bool]:
        return repo.history(commit, spec.schema_file) if spec.schema_file else ([], False)

    report = compare(old, loaded.state, ref=ref, commit=commit, history=history)
    return loaded, report


def _contracts_at(base: Path, fallback: str) -> str:
    """Where the configuration in ``base`` (a ref's files) keeps the contracts."""
    from aurum_sr.config import load_config
    from aurum_sr.errors import ConfigError

    try:
        return load_config(base, environ={}).contracts_path
    except ConfigError:
        return fallback
