"""Two desired states compared subject by subject, the way ``buf breaking --against`` compares
two git refs: every schema that changed is checked against the older state's, under the level
the newer contracts set. Pure: the caller reads both states (and any file histories).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from aurum_sr.canonical import canonical_text
from aurum_sr.compat.checker import check
from aurum_sr.compat.result import CompatibilityResult
from aurum_sr.errors import SchemaInputError
from aurum_sr.model import (
    CompatibilityLevel,
    DesiredState,
    Lifecycle,
    Schema,
    SchemaReference,
    SubjectSpec,
)

DEFAULT_LEVEL = CompatibilityLevel.BACKWARD
"""The registry's own default, for contracts that set no level."""


class SubjectStatus(str, Enum):
    CHANGED = "changed"
    """The schema differs from the ref's: checked."""
    NEW = "new"
    """Not at the ref: its first version, nothing to check against."""
    DELETED = "deleted"
    """At the ref, no longer in the contracts (the registry keeps it: it becomes unmanaged)."""
    ABSENT = "absent"
    """Now ``lifecycle: absent``: apply deletes it (with --allow-delete)."""


@dataclass(frozen=True)
class SubjectCheck:
    subject: str
    status: SubjectStatus
    schema_file: str | None = None
    """The schema file in the work tree (or at the ref, for deleted subjects)."""
    previous_file: str | None = None
    """The schema file at the ref, when it was another path (renamed or moved)."""
    level: CompatibilityLevel | None = None
    result: CompatibilityResult | None = None
    history_versions: int = 0
    """How many versions the verdict was checked against (transitive levels: from git)."""
    schema_str: str | None = field(default=None, repr=False)
    """The work tree's schema text (annotations find a field's line in it)."""


@dataclass(frozen=True)
class AgainstReport:
    """Every subject that differs between the ref and the work tree, sorted by subject."""

    ref: str
    commit: str
    contracts_path: str
    subjects: tuple[SubjectCheck, ...]
    unchanged: int
    warnings: tuple[str, ...] = ()

    @property
    def incompatible(self) -> tuple[SubjectCheck, ...]:
        return tuple(s for s in self.subjects if s.result and not s.result.is_compatible)

    @property
    def compatible(self) -> bool:
        return not self.incompatible


History = Callable[[SubjectSpec], tuple[list[str], bool]]
"""``history(old_spec)``: the texts the subject's schema file had up to the ref, oldest first,
and whether that history may be cut short (a shallow clone)."""


def compare(
    old: DesiredState | None,
    new: DesiredState,
    *,
    ref: str,
    commit: str,
    history: History | None = None,
) -> AgainstReport:
    """What changed from ``old`` (the ref's state; None when the ref has no contracts) to
    ``new``, with a verdict on every changed schema.

    Transitive levels check against every earlier text of the schema file that ``history``
    finds (the ref's own text last); without ``history``, against the ref's text only.

    Raises:
        SchemaInputError: a schema that is not valid Avro, or a reference that cannot be
            resolved (on either side).
    """
    before = dict(old.subjects) if old is not None else {}
    checks: list[SubjectCheck] = []
    warnings: list[str] = []
    unchanged = 0
    for name in sorted(set(before) | set(new.subjects)):
        was, now = before.get(name), new.subjects.get(name)
        was_present = was is not None and _present(was)
        if now is None:
            if was_present and was is not None:
                checks.append(SubjectCheck(name, SubjectStatus.DELETED, was.schema_file))
            continue
        if not _present(now):
            if was_present and was is not None:
                checks.append(SubjectCheck(name, SubjectStatus.ABSENT, was.schema_file))
            continue
        if not was_present or was is None:
            checks.append(SubjectCheck(name, SubjectStatus.NEW, now.schema_file))
            continue
        moved = was.schema_file if was.schema_file != now.schema_file else None
        if _same(was, now):
            unchanged += 1
            continue
        level = now.compatibility or DEFAULT_LEVEL
        texts = [was.schema_str or ""]
        if level.transitive and history is not None:
            found, cut = history(was)
            if found and canonical_text(found[-1]) == canonical_text(texts[0]):
                texts = found
            if cut:
                warnings.append(
                    f"{name}: {level.value} checks every earlier version, and this shallow clone "
                    f"holds {len(texts)} of {was.schema_file}; `git fetch --unshallow` for all"
                )
        assert old is not None  # was_present implies an old state
        old_schemas = [_schema(text, was, _AT_REF) for text in texts]
        result = check(
            _schema(now.schema_str or "", now), old_schemas, level, resolver=_resolver(new, old)
        )
        checks.append(
            SubjectCheck(
                name,
                SubjectStatus.CHANGED,
                now.schema_file,
                previous_file=moved,
                level=level,
                result=result,
                history_versions=len(result.checked_versions),
                schema_str=now.schema_str,
            )
        )
    return AgainstReport(
        ref=ref,
        commit=commit,
        contracts_path=new.contracts_path,
        subjects=tuple(checks),
        unchanged=unchanged,
        warnings=tuple(warnings),
    )


def _present(spec: SubjectSpec) -> bool:
    return spec.lifecycle is not Lifecycle.ABSENT and spec.schema_str is not None


def _same(was: SubjectSpec, now: SubjectSpec) -> bool:
    if was.references != now.references:
        return False
    try:
        return canonical_text(was.schema_str or "") == canonical_text(now.schema_str or "")
    except SchemaInputError:
        return was.schema_str == now.schema_str


_AT_REF = "\0ref:"
"""Marks a reference made by a schema at the ref, so that it resolves on the ref's side."""


def _schema(text: str, spec: SubjectSpec, side: str = "") -> Schema:
    references = tuple(
        SchemaReference(r.name, side + r.subject, r.version or 0) for r in spec.references
    )
    return Schema(text, spec.schema_type, references)


def _resolver(new: DesiredState, old: DesiredState) -> Callable[[SchemaReference], Schema]:
    """References resolve to the referenced subject's schema on their own side: the work
    tree's for the new schema, the ref's for the old ones (a pinned older version is assumed
    to define the same types)."""

    def resolve(reference: SchemaReference) -> Schema:
        at_ref = reference.subject.startswith(_AT_REF)
        subject = reference.subject.removeprefix(_AT_REF)
        state, side = (old, _AT_REF) if at_ref else (new, "")
        spec = state.subjects.get(subject)
        if spec is None or spec.schema_str is None:
            where = "at the ref" if at_ref else "in the work tree"
            raise SchemaInputError(
                f"reference {reference.name} names subject {subject!r}, which the contracts "
                f"{where} do not hold with a schema"
            )
        return _schema(spec.schema_str, spec, side)

    return resolve
