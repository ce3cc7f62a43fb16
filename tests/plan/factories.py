"""Small hand-built desired and live states for diff, plan and render tests."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from aurum_sr.model import (
    CompatibilityLevel,
    DesiredReference,
    DesiredState,
    Lifecycle,
    LiveState,
    Mode,
    RegisteredSchema,
    Schema,
    SchemaReference,
    SourceLocation,
    SubjectSpec,
    SubjectState,
)
from tests import factories
from tests.factories import avsc_text, field

__all__ = ["field", "record"]

FIXED_TIME = datetime(2026, 11, 27, 12, 0, 0, tzinfo=timezone.utc)
REGISTRY = "https://registry.example:8081"


def record(name: str, *fields: dict[str, Any], namespace: str = "aurum.test", **extra: Any) -> str:
    """An Avro record schema as ``.avsc`` text, one field per line, in ``aurum.test``."""
    return avsc_text(factories.record(name, *fields, namespace=namespace, **extra))


def spec(
    subject: str,
    schema_str: str | None = None,
    *,
    compatibility: CompatibilityLevel | None = None,
    mode: Mode | None = None,
    references: tuple[DesiredReference, ...] = (),
    lifecycle: Lifecycle = Lifecycle.PRESENT,
    owner: str | None = "data-platform@aurum.example",
    line: int = 1,
) -> SubjectSpec:
    schema_file = None if schema_str is None else f"schemas/{subject.replace('.', '/')}.avsc"
    return SubjectSpec(
        subject=subject,
        location=SourceLocation("contracts/contracts.yml", line, 5),
        lifecycle=lifecycle,
        schema_file=schema_file,
        schema_str=schema_str,
        references=references,
        owner=owner,
        compatibility=compatibility,
        mode=mode,
    )


def desired(*specs: SubjectSpec, owned_prefixes: tuple[str, ...] = ("aurum.",)) -> DesiredState:
    return DesiredState(
        root="/repo",
        contracts_path="contracts/contracts.yml",
        format_version=1,
        subjects={s.subject: s for s in specs},
        owned_prefixes=owned_prefixes,
    )


def subject_state(
    subject: str,
    *schemas: str | Schema,
    compatibility: CompatibilityLevel | None = None,
    mode: Mode | None = None,
    deleted: tuple[int, ...] = (),
    first_id: int = 100,
) -> SubjectState:
    """A subject holding ``schemas`` as versions 1..n (``deleted`` ones soft-deleted)."""
    versions = tuple(
        RegisteredSchema(
            subject=subject,
            version=i,
            schema_id=first_id + i,
            schema=s if isinstance(s, Schema) else Schema(s),
            deleted=i in deleted,
        )
        for i, s in enumerate(schemas, start=1)
    )
    return SubjectState(subject, versions, compatibility, mode)


def live(
    *states: SubjectState,
    global_compatibility: CompatibilityLevel = CompatibilityLevel.BACKWARD,
    global_mode: Mode = Mode.READWRITE,
    other_subjects: tuple[str, ...] = (),
) -> LiveState:
    return LiveState(
        registry=REGISTRY,
        global_compatibility=global_compatibility,
        global_mode=global_mode,
        subjects={s.subject: s for s in states},
        other_subjects=other_subjects,
    )


def live_from(state: DesiredState, **kwargs: Any) -> LiveState:
    """The live state a registry holds right after applying ``state`` to an empty registry."""
    subjects: dict[str, SubjectState] = {}
    pending = [s for s in state.subjects.values() if s.lifecycle is Lifecycle.PRESENT]
    next_id = 1
    while pending:
        progressed = False
        for s in list(pending):
            if any(r.subject not in subjects for r in s.references if r.version is None):
                continue
            refs = tuple(
                SchemaReference(
                    r.name,
                    r.subject,
                    r.version
                    if r.version is not None
                    else subjects[r.subject].versions[-1].version,
                )
                for r in s.references
            )
            assert s.schema_str is not None
            subjects[s.subject] = SubjectState(
                s.subject,
                (
                    RegisteredSchema(
                        s.subject, 1, next_id, Schema(s.schema_str, s.schema_type, refs)
                    ),
                ),
                s.compatibility,
                s.mode,
            )
            next_id += 1
            pending.remove(s)
            progressed = True
        assert progressed, "reference cycle in the factory input"
    return live(*subjects.values(), **kwargs)
