"""Several environments from one repository: each environment's view of the contracts, their
registries read concurrently, and each plan under its environment's rules.

``plan --env all`` is::

    load_reading        the contracts once; meanwhile every environment's registry is read
                        at the same time (read_latest of its overlaid desired state)
    make_plan           per environment, concurrently                     (aurum_sr.pipeline)
    with_rules          deletes = "never" blocks deletes; the promotion gate blocks a schema
                        change the previous environment does not hold yet (aurum_sr.plan.promotion)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TypeVar

from aurum_sr import interrupt, pipeline
from aurum_sr.config import Environment
from aurum_sr.desired.overlay import apply_overlay, contract_name
from aurum_sr.diff import DriftReport, SchemaAction, diff
from aurum_sr.errors import AurumError
from aurum_sr.model import DesiredState, LiveState
from aurum_sr.plan import Plan, PlanPolicy
from aurum_sr.plan.environments import EnvironmentPlan, EnvironmentsPlan
from aurum_sr.plan.promotion import forbid_deletes, gate, schema_changes
from aurum_sr.registry.protocol import Registry

OpenRegistry = Callable[[Environment], Registry]
"""Opens an environment's registry (its configuration, credentials from its variables)."""

T = TypeVar("T")


@dataclass(frozen=True)
class Target:
    """One environment of the run: its desired state, its open registry and what was read."""

    environment: Environment
    desired: DesiredState
    registry: Registry
    latest: LiveState


@dataclass(frozen=True)
class Promotion:
    """The promotion order and what may skip it."""

    order: tuple[str, ...] = ()
    environments: Mapping[str, Environment] | None = None
    """Every configured environment, by name (the previous one may not be a target)."""
    skipped: Mapping[str, str] | None = None
    """``--skip-promotion-check``: contract subject -> the reason given."""


def concurrently(items: Sequence[Environment], work: Callable[[Environment], T]) -> list[T]:
    """``work`` on every environment at once, results in order; the first error (in order) is
    raised, naming its environment."""
    if len(items) == 1:
        return [_named(items[0], work)]
    with interrupt.pool(len(items)) as pool:
        futures = [pool.submit(_named, item, work) for item in items]
        return [f.result() for f in futures]


def _named(environment: Environment, work: Callable[[Environment], T]) -> T:
    try:
        return work(environment)
    except AurumError as exc:
        prefix = f"environment {environment.name}: "
        if not exc.message.startswith(prefix):
            exc.message = prefix + exc.message
        raise


@contextmanager
def opened(
    environments: Sequence[Environment], open_registry: OpenRegistry
) -> Iterator[Callable[[DesiredState], list[Target]]]:
    """A reader for :func:`aurum_sr.pipeline.load_reading`: every environment's overlaid
    desired state read from its registry, concurrently; the registries close on exit."""
    registries: dict[str, Registry] = {}

    def read(desired: DesiredState) -> list[Target]:
        def one(environment: Environment) -> Target:
            state = apply_overlay(desired, environment)
            registry = open_registry(environment)
            registries[environment.name] = registry
            return Target(environment, state, registry, pipeline.read_latest(state, registry))

        return concurrently(environments, one)

    try:
        yield read
    finally:
        for registry in registries.values():
            registry.close()


def plan_environments(
    desired: DesiredState,
    targets: Sequence[Target],
    *,
    policy: PlanPolicy,
    promotion: Promotion,
    open_registry: OpenRegistry,
    remote_check: bool = False,
    run_id: str = "",
) -> EnvironmentsPlan:
    """Every target's plan, made concurrently, then each under its environment's rules."""
    by_name = {t.environment.name: t for t in targets}

    def one(environment: Environment) -> Plan:
        target = by_name[environment.name]
        return pipeline.make_plan(
            target.desired,
            target.registry,
            policy=policy,
            remote_check=remote_check,
            latest=target.latest,
            run_id=run_id,
        )

    plans = concurrently([t.environment for t in targets], one)
    made = {t.environment.name: p for t, p in zip(targets, plans, strict=True)}
    return EnvironmentsPlan(
        tuple(
            EnvironmentPlan(
                t.environment.name,
                with_rules(
                    made[t.environment.name],
                    desired,
                    t.environment,
                    promotion,
                    open_registry,
                    made=made,
                ),
            )
            for t in targets
        )
    )


def with_rules(
    plan: Plan,
    desired: DesiredState,
    environment: Environment,
    promotion: Promotion,
    open_registry: OpenRegistry,
    *,
    made: Mapping[str, Plan] | None = None,
) -> Plan:
    """``plan`` (made for ``environment``) recording its environment, with every delete blocked
    under ``deletes = "never"`` and every schema change blocked that the environment before it
    in the promotion order does not hold yet (read from its registry, or taken from its plan in
    ``made``), unless skipped."""
    plan = replace(plan, environment=environment.name)
    if environment.overlay.deletes == "never":
        plan = forbid_deletes(plan, environment.name)
    order = promotion.order
    if environment.name not in order or order.index(environment.name) == 0:
        return plan
    known = promotion.environments or {}
    earlier = [known[n] for n in reversed(order[: order.index(environment.name)]) if n in known]
    changed = {contract_name(s, environment): s for s in schema_changes(plan)}
    skipped = {
        environment.overlay.subject_prefix + s: why for s, why in (promotion.skipped or {}).items()
    }
    for previous in earlier:
        held = set(apply_overlay(desired, previous).subjects)
        mine = {c: s for c, s in changed.items() if previous.overlay.subject_prefix + c in held}
        if not mine:
            continue
        pending = _pending(previous, desired, open_registry, (made or {}).get(previous.name))
        plan = gate(
            plan,
            previous.name,
            {s: pending[c] for c, s in mine.items() if c in pending},
            skipped,
        )
        changed = {c: s for c, s in changed.items() if c not in mine}
    return plan


def _pending(
    environment: Environment,
    desired: DesiredState,
    open_registry: OpenRegistry,
    plan: Plan | None,
) -> dict[str, str]:
    """The subjects (contract name -> ``environment``'s name) whose desired schema
    ``environment`` does not hold yet: from its plan, else read from its registry."""
    if plan is not None:
        return {contract_name(s, environment): s for s in schema_changes(plan)}

    def read(env: Environment) -> dict[str, str]:
        state = apply_overlay(desired, env)
        registry = open_registry(env)
        try:
            changes = diff(state, pipeline.read_latest(state, registry))
        finally:
            registry.close()
        moving = (SchemaAction.CREATE, SchemaAction.REGISTER, SchemaAction.ROLLBACK)
        return {
            contract_name(c.subject, env): c.subject for c in changes.subjects if c.action in moving
        }

    return _named(environment, read)


def drift_environments(targets: Sequence[Target]) -> list[tuple[str, DriftReport]]:
    """Every target's drift report, made concurrently."""
    by_name = {t.environment.name: t for t in targets}

    def one(environment: Environment) -> DriftReport:
        target = by_name[environment.name]
        return pipeline.drift(target.desired, target.registry, latest=target.latest)

    reports = concurrently([t.environment for t in targets], one)
    return [(t.environment.name, r) for t, r in zip(targets, reports, strict=True)]


@dataclass(frozen=True)
class Promoted:
    """``promote FROM TO``: the plan for TO, and the subjects it leaves out."""

    plan: Plan
    held_back: tuple[str, ...]
    """Contract subjects whose desired schema FROM does not hold yet (and those referencing
    them): not in the plan."""


def promote(
    desired: DesiredState,
    source: Environment,
    target: Environment,
    open_registry: OpenRegistry,
    *,
    policy: PlanPolicy,
    run_id: str = "",
) -> Promoted:
    """The plan for ``target`` of what ``source`` already holds: the contracts, overlaid for
    ``target``, without the subjects whose desired schema ``source`` does not hold yet (nor the
    subjects referencing those). Subjects left out are not managed by this plan (never
    pruned: the plan owns no prefixes)."""
    holds = {contract_name(n, source) for n in apply_overlay(desired, source).subjects}
    # Held back: what the source lacks, and what it does not hold at all (nothing to promote).
    held = set(_pending(source, desired, open_registry, None)) | (set(desired.subjects) - holds)
    grew = True
    while grew:  # a subject referencing a held-back one waits for it
        referrers = {
            name
            for name, spec in desired.subjects.items()
            if name not in held and any(r.subject in held for r in spec.references)
        }
        held |= referrers
        grew = bool(referrers)
    overlaid = apply_overlay(desired, target)
    prefix = target.overlay.subject_prefix
    narrowed = replace(
        overlaid,
        subjects={n: s for n, s in overlaid.subjects.items() if n.removeprefix(prefix) not in held},
        owned_prefixes=(),
    )

    def plan_target(environment: Environment) -> Plan:
        registry = open_registry(environment)
        try:
            return pipeline.make_plan(
                narrowed, registry, policy=replace(policy, prune=False), run_id=run_id
            )
        finally:
            registry.close()

    plan = _named(target, plan_target)
    plan = with_rules(plan, desired, target, Promotion(), open_registry)
    wanted = {contract_name(n, target) for n in overlaid.subjects}
    return Promoted(plan, tuple(sorted(held & wanted)))
