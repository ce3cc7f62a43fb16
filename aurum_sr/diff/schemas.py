"""Desired schemas with their references resolved, and matching them against live versions.

A desired reference without a version means "the referenced subject's desired version": the
live version that already holds that content, or the version this plan registers. The latter
has no number yet, so it is carried as *planned*; for local checks it gets the number the
registry would assign (highest version including soft-deleted ones, plus one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aurum_sr.canonical import same_schema
from aurum_sr.datacontracts import Contract, ContractConfig, effective
from aurum_sr.errors import PlanError, SchemaInputError
from aurum_sr.model import (
    DesiredReference,
    DesiredState,
    Lifecycle,
    LiveState,
    RegisteredSchema,
    Schema,
    SchemaReference,
    SubjectSpec,
    SubjectState,
)


@dataclass(frozen=True)
class ResolvedReference:
    """A reference as the plan will send it."""

    name: str
    subject: str
    version: int | None
    """The referenced version, or ``None`` while it is the version this plan registers."""
    planned: bool = False
    """True when the reference points at the version this plan registers for ``subject``."""


@dataclass(frozen=True)
class DesiredSchema:
    """A subject's desired schema, references resolved."""

    subject: str
    schema: Schema
    """The schema with concrete reference versions (provisional ones for planned references)."""
    references: tuple[ResolvedReference, ...]


@dataclass(frozen=True)
class LiveMatch:
    """Where a desired schema sits in a subject's live history."""

    latest: bool
    """True when the latest live version holds the desired schema."""
    older_version: int | None
    """The highest older live version holding it (a rollback target), if any."""
    deleted_version: int | None
    """A soft-deleted version holding it (registering creates a new version anyway)."""


def next_version(state: SubjectState | None) -> int:
    """The number the registry gives the next version (soft-deleted versions count)."""
    if state is None or not state.versions:
        return 1
    return max(v.version for v in state.versions) + 1


def match_live(desired: Schema, state: SubjectState | None) -> LiveMatch:
    """Compare ``desired`` with every version of ``state`` by registry identity."""
    if state is None:
        return LiveMatch(latest=False, older_version=None, deleted_version=None)
    latest = state.latest
    if latest is not None and _same(latest.schema, desired):
        return LiveMatch(latest=True, older_version=None, deleted_version=None)
    older = [
        v.version
        for v in state.live_versions
        if (latest is None or v.version != latest.version) and _same(v.schema, desired)
    ]
    deleted = [v.version for v in state.versions if v.deleted and _same(v.schema, desired)]
    return LiveMatch(
        latest=False,
        older_version=max(older) if older else None,
        deleted_version=max(deleted) if deleted else None,
    )


def _same(live: Schema, desired: Schema) -> bool:
    """:func:`same_schema`, where a live text that cannot be read (not JSON) is simply not the
    desired schema (which reads): the planner blocks that subject if it needs that version."""
    try:
        return same_schema(live, desired)
    except SchemaInputError:
        return False


def reference_order(desired: DesiredState) -> tuple[str, ...]:
    """Desired subjects with every referenced subject before its referrers, ties by name.

    Raises:
        PlanError: the references form a cycle.
    """
    edges = {
        name: sorted({r.subject for r in spec.references if r.subject in desired.subjects})
        for name, spec in desired.subjects.items()
    }
    return topological(edges)


def topological(edges: Mapping[str, list[str]]) -> tuple[str, ...]:
    """Nodes ordered dependencies first (``edges[node]`` = what it depends on), ties by name."""
    nodes = set(edges)
    remaining = {node: set(deps) & nodes for node, deps in edges.items()}
    order: list[str] = []
    while remaining:
        ready = sorted(node for node, deps in remaining.items() if not deps)
        if not ready:
            cycle = ", ".join(sorted(remaining))
            raise PlanError(
                f"schema references form a cycle between these subjects: {cycle}",
                hint="a reference chain must end; remove one of the references in contracts.yml",
            )
        for node in ready:
            del remaining[node]
        for deps in remaining.values():
            deps.difference_update(ready)
        order.extend(ready)
    return tuple(order)


def resolve_desired(desired: DesiredState, live: LiveState) -> dict[str, DesiredSchema]:
    """Every present subject's desired schema with references resolved, by subject.

    Raises:
        PlanError: a reference names a subject neither the contracts nor the registry has,
            or a subject the contracts want absent, or references form a cycle.
    """
    resolved: dict[str, DesiredSchema] = {}
    planned: dict[str, int] = {}
    """Subjects this plan registers, with the provisional number of that version."""
    for name in reference_order(desired):
        spec = desired.subjects[name]
        if spec.lifecycle is Lifecycle.ABSENT or spec.schema_str is None:
            continue
        refs = tuple(_resolve_reference(spec, r, desired, live, resolved) for r in spec.references)
        state = live.subjects.get(name)
        contract = desired_contract(spec, state)
        schema = Schema(
            schema_str=spec.schema_str,
            schema_type=spec.schema_type,
            references=tuple(
                SchemaReference(
                    name=r.name,
                    subject=r.subject,
                    version=planned[r.subject] if r.planned else (r.version or 0),
                )
                for r in refs
            ),
            metadata=contract.metadata,
            rule_set=contract.rule_set,
        )
        resolved[name] = DesiredSchema(subject=name, schema=schema, references=refs)
        match = match_live(schema, state)
        if not match.latest and match.older_version is None:
            planned[name] = next_version(state)
    return resolved


def desired_contract(spec: SubjectSpec, state: SubjectState | None) -> Contract:
    """The metadata and rule set the registry would store if the subject's desired schema were
    registered now: what the contracts send (or the latest live version's, when they send
    none), merged with the subject's default and override configuration (the contracts', where
    they manage it; else the registry's)."""
    latest = state.latest if state is not None else None
    previous = Contract(latest.schema.metadata, latest.schema.rule_set) if latest else None
    config = spec.contract_config
    if config is None:
        config = state.contract_config if state is not None else ContractConfig()
    return effective(Contract(spec.registry_metadata, spec.rule_set), previous, config)


def desired_version(state: SubjectState | None, schema: DesiredSchema) -> tuple[int | None, bool]:
    """The version a reference without a number resolves to: ``(number, planned)``."""
    match = match_live(schema.schema, state)
    if match.latest and state is not None and state.latest is not None:
        return state.latest.version, False
    if match.older_version is not None:
        return match.older_version, False
    return None, True


def _resolve_reference(
    spec: SubjectSpec,
    ref: DesiredReference,
    desired: DesiredState,
    live: LiveState,
    resolved: Mapping[str, DesiredSchema],
) -> ResolvedReference:
    if ref.version is not None:
        return ResolvedReference(ref.name, ref.subject, ref.version)
    target = desired.subjects.get(ref.subject)
    if target is not None and target.lifecycle is Lifecycle.ABSENT:
        raise PlanError(
            f"{spec.subject} references {ref.subject}, which the contracts want absent",
            hint=f"drop the reference or keep {ref.subject} present ({spec.location})",
        )
    if target is not None:
        number, is_planned = desired_version(live.subjects.get(ref.subject), resolved[ref.subject])
        return ResolvedReference(ref.name, ref.subject, number, planned=is_planned)
    state = live.subjects.get(ref.subject)
    latest = state.latest if state is not None else None
    if latest is None:
        raise PlanError(
            f"{spec.subject} references {ref.subject}, which neither the contracts nor the "
            f"registry {live.registry} has",
            hint=f"add {ref.subject} to contracts.yml or pin an existing version ({spec.location})",
        )
    return ResolvedReference(ref.name, ref.subject, latest.version)


def find_version(live: LiveState, subject: str, version: int) -> RegisteredSchema | None:
    """A version of a subject that was read, soft-deleted ones included."""
    state = live.subjects.get(subject)
    if state is None:
        return None
    return next((v for v in state.versions if v.version == version), None)
