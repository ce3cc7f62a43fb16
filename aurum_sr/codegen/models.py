"""Models built at run time from the contracts, cached.

A subject's model is the source :mod:`aurum_sr.codegen.source` generates for that subject alone,
executed as a module of its own, so dynamic and generated models cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
import threading
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from aurum_sr.codegen.source import SUBJECTS_NAME, render_module
from aurum_sr.codegen.types import SubjectTypes, subject_types
from aurum_sr.datacontracts import Contract, ContractConfig, effective
from aurum_sr.desired import load_desired
from aurum_sr.errors import NotSupportedError, SchemaInputError
from aurum_sr.model import (
    DesiredState,
    Lifecycle,
    Schema,
    SchemaReference,
    SchemaType,
    SubjectSpec,
)

CONTRACTS = Path("contracts") / "contracts.yml"

_lock = threading.RLock()
_by_subject: dict[tuple[str, str], type[BaseModel]] = {}
_by_source: dict[str, type[BaseModel]] = {}


def find_root(root: str | Path | None = None) -> Path:
    """``root`` if given; else the current directory or its nearest parent holding
    ``contracts/contracts.yml`` (the current directory when none does)."""
    if root is not None:
        return Path(root).resolve()
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / CONTRACTS).is_file():
            return candidate
    return here


def load_state(root: Path) -> DesiredState:
    """The desired state of the repository at ``root``."""
    return load_desired(root).state


def get_model(subject: str, *, root: str | Path | None = None) -> type[BaseModel]:
    """The Pydantic model of ``subject`` as the contracts at ``root`` define it (cached).

    What each Avro type accepts is in :mod:`aurum_sr.codegen.runtime`; in short, naive
    ``datetime`` values for ``timestamp-*`` fields are taken as UTC and aware ones converted to
    UTC. The model's ``model_dump(mode="python")`` uses Avro field names.

    Raises:
        SchemaInputError: the subject is not in the contracts, is ``absent``, or its schema is
            unusable.
        DesiredStateError: the contracts are invalid.
    """
    key = (str(find_root(root)), subject)
    with _lock:
        cached = _by_subject.get(key)
        if cached is None:
            cached = model_for_state(load_state(Path(key[0])), subject)
            _by_subject[key] = cached
        return cached


def payload_from_contract(
    subject: str, payload: Any, *, root: str | Path | None = None
) -> BaseModel:
    """Validate ``payload`` (a dict of Avro field names, or the value of a non-record subject)
    against ``subject``'s model; raises ``pydantic.ValidationError`` naming every bad field."""
    return get_model(subject, root=root).model_validate(payload)


def clear_cache() -> None:
    """Forget every cached model (after the contracts changed on disk)."""
    with _lock:
        _by_subject.clear()


def model_for_state(state: DesiredState, subject: str) -> type[BaseModel]:
    """The model of ``subject`` in ``state``, built from its schema and references."""
    source = render_module([types_for_subject(state, subject)])
    digest = hashlib.sha256(source.encode()).hexdigest()[:20]
    with _lock:
        cached = _by_source.get(digest)
        if cached is None:
            cached = _execute(source, f"aurum_sr.codegen._models_{digest}")[subject]
            _by_source[digest] = cached
        return cached


def types_for_subject(state: DesiredState, subject: str) -> SubjectTypes:
    """``subject``'s type tree, its references resolved through the contracts."""
    spec = _spec(state, subject)
    try:
        found = subject_types(
            subject, _schema(spec), lambda ref: _schema(_spec(state, ref.subject))
        )
        return dataclasses.replace(found, field_tags=_field_tags(spec))
    except SchemaInputError as exc:
        if exc.message.startswith(f"subject {subject!r}"):
            raise
        raise SchemaInputError(
            f"subject {subject!r} ({spec.schema_file}): {exc.message}", hint=exc.hint
        ) from exc


def _field_tags(spec: SubjectSpec) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The tags the registry will hold for the subject's fields: its metadata merged with the
    configured default and override metadata (nothing inherited from the registry)."""
    stored = effective(
        Contract(spec.registry_metadata, None), None, spec.contract_config or ContractConfig()
    )
    return stored.metadata.tags if stored.metadata is not None else ()


def _spec(state: DesiredState, subject: str) -> SubjectSpec:
    spec = state.subjects.get(subject)
    where = f"{state.contracts_path}"
    if spec is None:
        known = ", ".join(sorted(state.subjects)) or "none"
        raise SchemaInputError(
            f"subject {subject!r} is not in {where}",
            hint=f"subjects in the contracts: {known}",
        )
    if spec.lifecycle is Lifecycle.ABSENT or spec.schema_str is None:
        raise SchemaInputError(
            f"subject {subject!r} is absent in {where} ({spec.location}): it has no schema"
        )
    if spec.schema_type is not SchemaType.AVRO:
        raise NotSupportedError(
            f"subject {subject!r} is a {spec.schema_type.value} schema; codegen supports Avro only"
        )
    return spec


def _schema(spec: SubjectSpec) -> Schema:
    # Codegen reads the referenced subjects' schemas as the contracts hold them; a reference
    # pinned to an older registry version is assumed to define the same type.
    references = tuple(
        SchemaReference(ref.name, ref.subject, ref.version or 0) for ref in spec.references
    )
    return Schema(spec.schema_str or "", SchemaType.AVRO, references)


def _execute(source: str, module_name: str) -> Mapping[str, type[BaseModel]]:
    module = types.ModuleType(module_name)
    module.__file__ = f"<{module_name}>"
    # Registered before execution: Pydantic resolves forward references through sys.modules.
    sys.modules[module_name] = module
    try:
        exec(compile(source, module.__file__, "exec"), module.__dict__)
    except BaseException:
        del sys.modules[module_name]
        raise
    models: Mapping[str, type[BaseModel]] = getattr(module, SUBJECTS_NAME)
    return models
