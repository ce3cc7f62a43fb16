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

from aurum_sr.errors import SubjectNotFoundError
from aurum_sr.model import DesiredState, LiveState, SubjectState
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
    desired: DesiredState, registry: Registry, reading: Reading | None, **latest_only: bool
) -> LiveState:
    with (reading or _quiet)(len(desired.subjects), registry.name):
        return registry.read_state(
            sorted(desired.subjects),
            list_prefixes=desired.owned_prefixes,
            modes_for=modes_managed(desired),
            **latest_only,
        )


def modes_managed(desired: DesiredState) -> list[str]:
    """The subjects whose mode the contracts manage: the only modes read up front (no bulk
    endpoint exists for modes)."""
    return sorted(s for s, spec in desired.subjects.items() if spec.mode is not None)


def complete_histories(
    live: LiveState, subjects: set[str], registry: Registry, desired: DesiredState
) -> LiveState:
    """``live`` with the whole history of ``subjects`` read again (one ``read_state`` call)."""
    wanted = sorted(subjects)
    full = registry.read_state(wanted, modes_for=sorted(set(modes_managed(desired)) & subjects))
    merged = dict(live.subjects)
    for name in wanted:
        state = full.subjects.get(name)
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
    """``live`` plus the subject-level mode of each of ``subjects``: one request each.

    A subject set READONLY by hand that a plan writes to must block the plan, not stop apply
    half-way, so the plan reads the modes of what it writes (and was not read up front).
    """
    states = dict(live.subjects)
    for subject in sorted(set(subjects)):
        try:
            mode = registry.get_mode(subject)
        except SubjectNotFoundError:
            mode = None
        state = states.get(subject) or SubjectState(subject=subject)
        states[subject] = replace(state, mode=mode)
    return replace(live, subjects=states)


def _quiet(count: int, registry: str) -> AbstractContextManager[object]:
    return nullcontext()
