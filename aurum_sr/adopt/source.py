"""Reading what an import needs from a registry: one listing, the bulk read, the settings.

Requests: the subject listing (twice with soft-deleted subjects), the global level and mode,
the bulk listing of latest versions (paged; per subject on servers without it), and each
selected subject's own level and mode (the registry has no bulk endpoint for those). The
versions and the settings can be read apart (:func:`read_registry` without ``settings``, then
:func:`read_settings`), so that the schema checks run while the settings are read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace

from aurum_sr import interrupt
from aurum_sr.errors import ConfigError, SubjectNotFoundError
from aurum_sr.model import CompatibilityLevel, LiveState, Mode
from aurum_sr.registry.protocol import Registry

WORKERS = 16
"""Settings requests in flight at once (the HTTP client's own default concurrency)."""

Reading = Callable[[int, str], AbstractContextManager[object]]
"""``reading(subject_count, registry_name)``: shown while the registry is read."""


@dataclass(frozen=True)
class Selection:
    """Which subjects to import."""

    prefixes: tuple[str, ...] = ()
    """Only subjects starting with one of these (all subjects when empty)."""
    match: str | None = None
    """Only subjects in which this regular expression matches (``re.search``)."""
    exclude: str | None = None
    """No subject in which this regular expression matches."""
    include_deleted: bool = False
    """Also soft-deleted subjects (imported as ``lifecycle: absent``)."""

    def describe(self) -> str:
        """The filters, for messages."""
        parts = [f"--subject-prefix {p}" for p in self.prefixes]
        if self.match is not None:
            parts.append(f"--match {self.match}")
        if self.exclude is not None:
            parts.append(f"--exclude {self.exclude}")
        return " ".join(parts) or "no filter"


@dataclass(frozen=True)
class RegistryContent:
    """What the registry holds for an import."""

    live: LiveState
    """The selected subjects: latest live version, own level and mode."""
    selected: tuple[str, ...]
    """The subjects the filters selected, sorted (soft-deleted ones too when included)."""
    soft_deleted: tuple[str, ...]
    """Selected subjects whose versions are all soft-deleted, sorted."""
    live_names: tuple[str, ...]
    """Every live subject under the scanned prefixes (all of them without prefixes), sorted:
    a prefix is owned only when every live subject under it is imported."""


def compile_filter(pattern: str | None, flag: str) -> re.Pattern[str] | None:
    """``pattern`` compiled, or a clear error naming the flag.

    Raises:
        ConfigError: not a regular expression.
    """
    if pattern is None:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ConfigError(
            f"{flag} {pattern!r} is not a regular expression: {exc}",
            hint="use Python regular expression syntax, e.g. --match '^aurum\\.(eia|fred)\\.'",
        ) from exc


def select(names: Sequence[str], selection: Selection) -> list[str]:
    """The names the selection keeps, sorted.

    Raises:
        ConfigError: a filter is not a regular expression.
    """
    match = compile_filter(selection.match, "--match")
    exclude = compile_filter(selection.exclude, "--exclude")
    return sorted(
        n
        for n in set(names)
        if (not selection.prefixes or n.startswith(tuple(selection.prefixes)))
        and (match is None or match.search(n))
        and (exclude is None or not exclude.search(n))
    )


def read_registry(
    registry: Registry,
    selection: Selection,
    *,
    reading: Reading | None = None,
    modes: bool = True,
    settings: bool = True,
) -> RegistryContent:
    """The selected subjects of ``registry`` (without subject-level modes unless ``modes``;
    without ``settings``, neither their levels nor their modes: :func:`read_settings` reads
    them later).

    Raises:
        ConfigError: the filters match no subject, or a filter is not a regular expression.
        RegistryError: the registry could not be read.
    """
    compile_filter(selection.match, "--match")
    compile_filter(selection.exclude, "--exclude")
    scans: Sequence[str | None] = selection.prefixes or (None,)
    live_names = sorted({n for p in scans for n in registry.list_subjects(prefix=p)})
    every = live_names
    if selection.include_deleted:
        every = sorted(
            {n for p in scans for n in registry.list_subjects(deleted=True, prefix=p)}
            | set(live_names)
        )
    selected = select(every, selection)
    if not selected:
        where = (
            "holds no subject" if not every else f"has no subject matching {selection.describe()}"
        )
        raise ConfigError(
            f"registry {registry.name} {where}: nothing to import",
            hint="check the filters (aurum-sr status lists what the registry holds)"
            if every
            else "point --registry at the registry that holds the subjects",
        )
    live_set = set(live_names)
    soft_deleted = tuple(n for n in selected if n not in live_set)
    present = [n for n in selected if n in live_set]
    with (reading or _quiet)(len(present), registry.name):
        live = registry.read_state(
            present,
            modes_for=present if modes and settings else (),
            configs_for=None if settings else (),
            latest_only=True,
        )
    return RegistryContent(
        live=live,
        selected=tuple(selected),
        soft_deleted=soft_deleted,
        live_names=tuple(live_names),
    )


def read_settings(
    registry: Registry, live: LiveState, *, modes: bool = True, workers: int = WORKERS
) -> LiveState:
    """``live`` with the subject-level compatibility (and, with ``modes``, mode) of each of its
    subjects read: one request each, ``workers`` at a time (the registry has no bulk endpoint
    for them). A subject deleted meanwhile reads as having no setting of its own.

    Raises:
        RegistryError: the registry could not be read.
    """
    names = sorted(live.subjects)

    def settings_of(subject: str) -> tuple[CompatibilityLevel | None, Mode | None]:
        try:
            level = registry.get_compatibility(subject)
            mode = registry.get_mode(subject) if modes else None
        except SubjectNotFoundError:
            return None, None
        return level, mode

    with interrupt.pool(workers) as pool:
        found = dict(zip(names, pool.map(settings_of, names), strict=True))
    subjects = {
        n: replace(s, compatibility=found[n][0], mode=found[n][1]) for n, s in live.subjects.items()
    }
    return replace(live, subjects=subjects)


def _quiet(count: int, registry: str) -> AbstractContextManager[object]:
    return nullcontext()
