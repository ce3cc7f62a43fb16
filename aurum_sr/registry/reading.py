"""Reading strategies: what to read from a registry for a plan or a drift report, and when.

A plan starts from each managed subject's latest live version only (:func:`read_latest`: one
bulk listing where the server has one) and reads a subject's whole history again only where
the result depends on it (:func:`read_until_complete`); :func:`with_modes` reads the
subject-level modes nobody asked for up front. Every function only *reads*.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from typing import TypeVar

from aurum_sr import interrupt
from aurum_sr.errors import SubjectNotFoundError
from aurum_sr.model import CompatibilityLevel, DesiredState, LiveState, Mode, SubjectState
from aurum_sr.registry.protocol import Registry

Reading = Callable[[int, str], AbstractContextManager[object]]
"""``reading(subject_count, registry_name)``: shown while the live state is read (a progress
bar in a terminal)."""

T = TypeVar("T")


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
    desired: DesiredState, registry: Registry, reading: Reading | None, *, latest_only: bool = False
) -> LiveState:
    with (reading or _quiet)(len(desired.subjects), registry.name):
        live = registry.read_state(
            sorted(desired.subjects),
            list_prefixes=desired.owned_prefixes,
            modes_for=modes_managed(desired),
            configs_for=levels_managed(desired),
            latest_only=latest_only,
        )
        return with_contract_configs(live, contracts_managed(desired), registry)


def contracts_managed(desired: DesiredState) -> list[str]:
    """The subjects whose contracts carry data-contract keys: the only ones whose data-contract
    configuration is read (what the registry stores for them depends on it)."""
    return sorted(
        s
        for s, spec in desired.subjects.items()
        if spec.registry_metadata is not None
        or spec.rule_set is not None
        or spec.contract_config is not None
    )


def with_contract_configs(
    live: LiveState, subjects: Iterable[str], registry: Registry
) -> LiveState:
    """``live`` plus the data-contract configuration of each of ``subjects`` (one request
    each, several in flight)."""
    wanted = sorted(set(subjects))
    if not wanted:
        return live
    with interrupt.pool(_SETTINGS_IN_FLIGHT) as pool:
        answers = list(pool.map(registry.get_contract_config, wanted))
    states = dict(live.subjects)
    for subject, config in zip(wanted, answers, strict=True):
        if config.empty and subject not in states:
            continue
        state = states.get(subject) or SubjectState(subject=subject)
        states[subject] = replace(state, contract_config=config)
    return replace(live, subjects=states)


def levels_managed(desired: DesiredState) -> list[str]:
    """The subjects whose compatibility the contracts manage: the only subject-level configs
    read up front. Another subject's level matters only when a version is registered into (or
    rolled back in) its live history; :func:`with_settings` reads it then."""
    return sorted(s for s, spec in desired.subjects.items() if spec.compatibility is not None)


def modes_managed(desired: DesiredState) -> list[str]:
    """The subjects whose mode the contracts manage: the only modes read up front (no bulk
    endpoint exists for modes)."""
    return sorted(s for s, spec in desired.subjects.items() if spec.mode is not None)


def complete_histories(
    live: LiveState, subjects: set[str], registry: Registry, desired: DesiredState
) -> LiveState:
    """``live`` with the whole history of ``subjects`` read again (one ``read_state`` call).

    The settings come from ``live`` (the first read's managed levels and modes), not read
    again; the levels and modes nobody read up front are read afterwards where the plan needs
    them (:func:`with_settings`).
    """
    wanted = sorted(subjects)
    full = registry.read_state(wanted, modes_for=(), configs_for=())
    merged = dict(live.subjects)
    for name in wanted:
        before = live.subjects.get(name)
        state = full.subjects.get(name)
        if before is not None:
            state = replace(
                state or SubjectState(subject=name),
                compatibility=before.compatibility,
                mode=before.mode,
                contract_config=before.contract_config,
            )
        if state is None:
            merged.pop(name, None)
        else:
            merged[name] = state
    return replace(live, subjects=merged)


def read_until_complete(
    desired: DesiredState,
    registry: Registry,
    needs: Callable[[LiveState], tuple[T, set[str]]],
    *,
    reading: Reading | None = None,
    latest: LiveState | None = None,
) -> tuple[LiveState, T, set[str]]:
    """Read latest-only (or take ``latest``, :func:`read_latest` read already), then re-read
    whole histories until every managed subject the result depends on has one.

    ``needs(live)`` makes the caller's result from ``live`` (a diff, say) and names the
    subjects whose whole history that result depends on. Returns the merged state, the result
    made from it and the subjects read in full. Each round reads only subjects not read in full
    yet; the set only grows, so this ends (usually after one re-read: a later round finds only
    what an older version references).
    """
    live = latest if latest is not None else read_latest(desired, registry, reading=reading)
    complete: set[str] = set()
    while True:
        made, needed = needs(live)
        missing = (needed & set(desired.subjects)) - complete
        if not missing:
            return live, made, complete
        live = complete_histories(live, missing, registry, desired)
        complete |= missing


def with_modes(live: LiveState, subjects: Iterable[str], registry: Registry) -> LiveState:
    """``live`` plus the subject-level mode of each of ``subjects`` (:func:`with_settings`)."""
    return with_settings(live, registry, modes=subjects)


def with_settings(
    live: LiveState,
    registry: Registry,
    *,
    levels: Iterable[str] = (),
    modes: Iterable[str] = (),
) -> LiveState:
    """``live`` plus the subject-level compatibility of ``levels`` and mode of ``modes``: one
    request each, several in flight (the registry's connection pool bounds them).

    A plan registers into a subject's history under its level, so it reads the levels the
    contracts leave unmanaged there; and a subject set READONLY by hand that a plan writes to
    must block the plan, not stop apply half-way, so it reads the modes of what it writes.
    """
    asks = [("level", s) for s in sorted(set(levels))] + [("mode", s) for s in sorted(set(modes))]
    if not asks:
        return live

    def ask(item: tuple[str, str]) -> CompatibilityLevel | Mode | None:
        kind, subject = item
        try:
            if kind == "level":
                return registry.get_compatibility(subject)
            return registry.get_mode(subject)
        except SubjectNotFoundError:
            return None

    with interrupt.pool(_SETTINGS_IN_FLIGHT) as pool:
        answers = list(pool.map(ask, asks))
    states = dict(live.subjects)
    for (kind, subject), answer in zip(asks, answers, strict=True):
        state = states.get(subject) or SubjectState(subject=subject)
        if kind == "level":
            assert answer is None or isinstance(answer, CompatibilityLevel)
            states[subject] = replace(state, compatibility=answer)
        else:
            assert answer is None or isinstance(answer, Mode)
            states[subject] = replace(state, mode=answer)
    return replace(live, subjects=states)


_SETTINGS_IN_FLIGHT = 16
"""Threads asking for settings; an HTTP registry's blocking pool of ``max_workers``
connections bounds the requests actually in flight."""


def _quiet(count: int, registry: str) -> AbstractContextManager[object]:
    return nullcontext()
