"""The example repository against the in-process registry server, seeded from the committed
snapshot (read from a temporary copy; the committed file is never modified)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from aurum_sr.canonical import canonical_text
from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.model import DesiredState
from aurum_sr.plan import RegisterSchema, SetCompatibility, SetMode, Step
from aurum_sr.plan.steps import DeleteSubject, DeleteVersion
from aurum_sr.registry.engine import RegistryEngine
from aurum_sr.registry.http import HttpRegistry
from aurum_sr.registry.protocol import Registry
from aurum_sr.registry.snapshot import SnapshotRegistry
from tests.factories import FAST_RETRY

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT = REPO / "registry" / "snapshot.json"


def without_data_contracts(state: DesiredState) -> DesiredState:
    """``state`` without registry metadata, rule sets and data-contract configurations: the
    shipped contracts as a registry that cannot store data contracts can take them (with them,
    such a registry blocks the plan)."""
    return replace(
        state,
        subjects={
            name: replace(spec, registry_metadata=None, rule_set=None, contract_config=None)
            for name, spec in state.subjects.items()
        },
    )


def snapshot_copy(tmp_path: Path) -> Path:
    target = tmp_path / "snapshot.json"
    shutil.copyfile(SNAPSHOT, target)
    return target


def seeded_engine(tmp_path: Path, name: str = "seed") -> RegistryEngine:
    """An engine holding what the committed snapshot holds (ids, versions, settings)."""
    source = SnapshotRegistry(snapshot_copy(tmp_path))
    state = source.read_state(source.list_subjects(deleted=True))
    engine = RegistryEngine(name)
    engine.load_state(state)
    return engine


def http_client(url: str) -> HttpRegistry:
    return HttpRegistry(SchemaRegistryConfig(base_url=url, timeout_seconds=5.0), policy=FAST_RETRY)


def in_effect(registry: Registry, step: Step) -> bool:
    """Whether the registry shows ``step``'s effect (a register: the content in some live
    version of the subject, references aside)."""
    subject = step.subject
    if isinstance(step, RegisterSchema):
        if subject not in registry.list_subjects():
            return False
        wanted = canonical_text(step.schema_str)
        return any(
            canonical_text(registry.get_version(subject, v).schema.schema_str) == wanted
            for v in registry.list_versions(subject)
        )
    if isinstance(step, SetCompatibility):
        return registry.get_compatibility(subject) is step.level
    if isinstance(step, SetMode):
        return registry.get_mode(subject) is step.mode
    if isinstance(step, DeleteSubject):
        return subject not in registry.list_subjects()
    if isinstance(step, DeleteVersion):
        return step.version not in registry.list_versions(subject, deleted=False)
    raise AssertionError(step)


def versions_holding(registry: Registry, subject: str, schema_str: str) -> list[int]:
    wanted = canonical_text(schema_str)
    return [
        v
        for v in registry.list_versions(subject, deleted=True)
        if canonical_text(registry.get_version(subject, v, deleted=True).schema.schema_str)
        == wanted
    ]
