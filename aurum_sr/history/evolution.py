"""A subject's evolution, from what git holds: each commit that changed its schema file or its
contract entry, with the compatibility verdict under the level the contracts set at that commit
and the checker's own change list (breaking, non-breaking, risky, cosmetic). Pure: the caller
reads git (:mod:`aurum_sr.history.reading`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from enum import Enum

from aurum_sr.canonical import canonical_text
from aurum_sr.compat.checker import check
from aurum_sr.compat.result import BreakingChange, ChangeCategory, SchemaChange
from aurum_sr.desired.git import Revision
from aurum_sr.errors import SchemaInputError
from aurum_sr.model import CompatibilityLevel, Schema, SchemaType

DEFAULT_LEVEL = CompatibilityLevel.BACKWARD
"""The registry's own default, for contracts that set no level."""


class Category(str, Enum):
    """What one commit did to the subject."""

    FIRST = "first"
    """The subject's first schema."""
    BREAKING = "breaking"
    """Incompatible under the level in force, or a change the checker calls breaking."""
    RISKY = "risky"
    """Compatible for the registry, but the meaning of stored values may change."""
    NON_BREAKING = "non-breaking"
    COSMETIC = "cosmetic"
    """Only docs, order or formatting: the same data either way."""
    CONTRACT = "contract"
    """The schema did not change; its contract entry did."""
    REMOVED = "removed"
    """The schema file was deleted."""
    UNCHECKED = "unchecked"
    """The schema could not be checked (not valid, or its references cannot be resolved)."""


_SEVERITY = (
    (ChangeCategory.BREAKING, Category.BREAKING),
    (ChangeCategory.RISKY, Category.RISKY),
    (ChangeCategory.NON_BREAKING, Category.NON_BREAKING),
    (ChangeCategory.COSMETIC, Category.COSMETIC),
)


@dataclass(frozen=True)
class ContractEntry:
    """What the contracts said about the subject at one commit."""

    schema_file: str | None
    compatibility: str
    """The level in force: the entry's, else the defaults', else the registry's default."""
    mode: str | None
    owner: str | None
    lifecycle: str
    schema_type: str


LISTED = "listed"
"""The :class:`ContractChange` key of a subject added to or removed from the contracts."""


@dataclass(frozen=True)
class ContractChange:
    """One key of the subject's contract entry that a commit changed (None: absent)."""

    key: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Event:
    """One commit in the subject's history."""

    commit: str
    author: str
    date: str
    summary: str
    category: Category
    schema_file: str | None
    renamed_from: str | None = None
    """The schema file's path before this commit, when the commit moved it."""
    version: int | None = None
    """The version this schema becomes when every change is applied in turn (an existing one for
    a rollback); None when the commit made no new schema."""
    rollback: bool = False
    """The schema equals an older version (not the latest): the registry returns that one."""
    level: CompatibilityLevel | None = None
    compatible: bool | None = None
    checked_versions: tuple[int, ...] = ()
    breaking_changes: tuple[BreakingChange, ...] = ()
    changes: tuple[SchemaChange, ...] = ()
    """The checker's change list against the previous version."""
    contract: tuple[ContractChange, ...] = ()
    error: str | None = None
    """Why the schema could not be checked (category ``unchecked``)."""


@dataclass(frozen=True)
class SubjectHistory:
    subject: str
    events: tuple[Event, ...]
    """Oldest first."""


@dataclass(frozen=True)
class ContractRevision:
    """The subject's contract entry as one commit of the contracts file left it (None: the
    subject was not in the contracts, or the file could not be read)."""

    revision: Revision
    entry: ContractEntry | None


def evolve(
    subject: str,
    schema_revisions: Sequence[Revision],
    contract_revisions: Sequence[ContractRevision],
    order: Sequence[str],
) -> SubjectHistory:
    """The subject's history from its schema file's revisions and its contract entry's, both
    oldest first; ``order`` lists the commits oldest first (both kinds interleaved)."""
    position = {commit: i for i, commit in enumerate(order)}
    schemas = {r.commit: r for r in schema_revisions}
    contracts = {c.revision.commit: c for c in contract_revisions}
    commits = sorted(set(schemas) | set(contracts), key=lambda c: position.get(c, -1))
    events: list[Event] = []
    entry: ContractEntry | None = None
    versions: list[str] = []  # identity texts, version n at index n-1
    texts: list[Schema] = []
    path: str | None = None
    for commit in commits:
        before = entry
        if commit in contracts:
            entry = contracts[commit].entry
        contract = _contract_changes(before, entry) if commit in contracts else ()
        revision = schemas.get(commit)
        if revision is None:
            if contract:
                meta = contracts[commit].revision
                events.append(_event(meta, Category.CONTRACT, path, contract=contract))
            continue
        moved = path if path is not None and path != revision.path else None
        path = revision.path
        if revision.text is None:
            events.append(_event(revision, Category.REMOVED, path, contract=contract))
            continue
        schema_type = SchemaType(entry.schema_type) if entry else SchemaType.AVRO
        level = CompatibilityLevel(entry.compatibility) if entry else DEFAULT_LEVEL
        new = Schema(revision.text, schema_type)
        try:
            identity = canonical_text(revision.text, schema_type)
            if versions and identity == versions[-1]:
                events.append(
                    _event(revision, Category.COSMETIC, path, moved=moved, contract=contract)
                )
                continue
            result = check(new, texts, level)
        except SchemaInputError as exc:
            events.append(
                _event(
                    revision,
                    Category.UNCHECKED,
                    path,
                    moved=moved,
                    contract=contract,
                    error=exc.message,
                )
            )
            continue
        rollback = identity in versions
        if not rollback:
            versions.append(identity)
            texts.append(new)
        if len(versions) == 1 and not rollback:  # listed with its first schema: nothing to add
            contract = tuple(c for c in contract if c.key != LISTED)
        events.append(
            Event(
                commit=revision.commit,
                author=revision.author,
                date=revision.date,
                summary=revision.summary,
                category=_category(result.is_compatible, result.changes, first=len(versions) == 1),
                schema_file=path,
                renamed_from=moved,
                version=versions.index(identity) + 1,
                rollback=rollback,
                level=level,
                compatible=result.is_compatible if len(versions) > 1 or rollback else None,
                checked_versions=result.checked_versions,
                breaking_changes=result.breaking_changes,
                changes=result.changes,
                contract=contract,
            )
        )
    return SubjectHistory(subject, tuple(events))


def _category(compatible: bool, changes: Sequence[SchemaChange], *, first: bool) -> Category:
    if first:
        return Category.FIRST
    if not compatible:
        return Category.BREAKING
    found = {c.category for c in changes}
    for change, category in _SEVERITY:
        if change in found:
            return category
    return Category.COSMETIC


def _contract_changes(
    before: ContractEntry | None, after: ContractEntry | None
) -> tuple[ContractChange, ...]:
    if before == after:
        return ()
    if before is None or after is None:
        return (ContractChange(LISTED, "listed" if before else None, "listed" if after else None),)
    return tuple(
        ContractChange(f.name, getattr(before, f.name), getattr(after, f.name))
        for f in fields(ContractEntry)
        if getattr(before, f.name) != getattr(after, f.name)
    )


def _event(
    revision: Revision,
    category: Category,
    path: str | None,
    *,
    moved: str | None = None,
    contract: tuple[ContractChange, ...] = (),
    error: str | None = None,
) -> Event:
    return Event(
        commit=revision.commit,
        author=revision.author,
        date=revision.date,
        summary=revision.summary,
        category=category,
        schema_file=path,
        renamed_from=moved,
        contract=contract,
        error=error,
    )
