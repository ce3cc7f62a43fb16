"""The import invariant over random registries built in the registry engine: import, and
validate passes, plan has no step (even with --prune), drift finds nothing, and importing
again with --merge writes nothing."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aurum_sr import pipeline
from aurum_sr.adopt import Selection, WriteMode, import_registry
from aurum_sr.desired import load_desired
from aurum_sr.errors import RegistryError
from aurum_sr.model import (
    CompatibilityLevel,
    LiveState,
    Mode,
    RegisteredSchema,
    Schema,
    SchemaReference,
    SubjectState,
)
from aurum_sr.plan import PlanPolicy
from aurum_sr.registry.engine import RegistryEngine
from aurum_sr.registry.memory import InMemoryRegistry
from tests.adopt.roundtrip import files_under

PRIMITIVES = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]
LOGICAL = [
    {"type": "int", "logicalType": "date"},
    {"type": "int", "logicalType": "time-millis"},
    {"type": "long", "logicalType": "time-micros"},
    {"type": "long", "logicalType": "timestamp-millis"},
    {"type": "long", "logicalType": "timestamp-micros"},
    {"type": "long", "logicalType": "local-timestamp-millis"},
    {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2},
    {"type": "string", "logicalType": "uuid"},
]
WORDS = st.sampled_from(["orders", "pay-ments", "geo", "a.b", "x_y", "Users"])


@st.composite
def avro_type(draw: st.DrawFn, names: itertools.count[int], depth: int = 0) -> Any:
    """Any Avro type: primitives, logical types, enums, fixed, arrays, maps, unions and
    records (named types get fresh names, some with '-', which registries accept)."""
    kinds = ["primitive", "logical", "enum", "fixed", "array", "map", "union", "record"]
    kind = draw(st.sampled_from(kinds if depth < 2 else kinds[:4]))
    if kind == "primitive":
        return draw(st.sampled_from(PRIMITIVES))
    if kind == "logical":
        return draw(st.sampled_from(LOGICAL))
    name = f"{draw(st.sampled_from(['T', 'Dash-T']))}{next(names)}"
    if kind == "enum":
        symbols = draw(st.lists(st.sampled_from(["A", "B", "C", "D"]), min_size=1, unique=True))
        out: dict[str, Any] = {"type": "enum", "name": name, "symbols": symbols}
        if draw(st.booleans()):
            out["default"] = symbols[0]
        return out
    if kind == "fixed":
        fixed: dict[str, Any] = {"type": "fixed", "name": name, "size": 16}
        if draw(st.booleans()):
            fixed.update(logicalType="decimal", precision=20, scale=4)
        return fixed
    if kind == "array":
        return {"type": "array", "items": draw(avro_type(names, depth + 1))}
    if kind == "map":
        return {"type": "map", "values": draw(avro_type(names, depth + 1))}
    if kind == "union":
        return ["null", draw(st.sampled_from(PRIMITIVES[1:]))]
    fields = [
        {"name": f"f{i}", "type": draw(avro_type(names, depth + 1))}
        for i in range(draw(st.integers(1, 3)))
    ]
    return {"type": "record", "name": name, "fields": fields}


@dataclass(frozen=True)
class Planned:
    subject: str
    body: dict[str, Any]
    versions: int
    uses_shared: int | None
    """Version of the shared subject referenced (None: no reference)."""
    compatibility: CompatibilityLevel | None
    mode: Mode | None
    soft_deleted: bool


@st.composite
def registries(draw: st.DrawFn) -> tuple[RegistryEngine, bool]:
    names = itertools.count()
    engine = RegistryEngine("prop")
    engine.set_compatibility(CompatibilityLevel.NONE)  # build freely; final levels at the end
    shared_versions = draw(st.integers(0, 2))
    shared = "shr.Common"
    for version in range(shared_versions):
        engine.register(shared, _schema(_record("Common", "shr", version)))
    planned = []
    for index in range(draw(st.integers(1, 5))):
        namespace = draw(st.sampled_from(["ns", "ns.sub", "dash-ns"]))
        record = {
            "type": "record",
            "name": f"R{index}",
            "namespace": namespace,
            "fields": [
                {"name": f"g{i}", "type": draw(avro_type(names))}
                for i in range(draw(st.integers(1, 3)))
            ],
        }
        full = f"{namespace}.R{index}"
        style = draw(st.sampled_from(["key", "value", "record", "topic_record", "none"]))
        topic = f"{draw(WORDS)}{index}"
        subject = {
            "key": f"{topic}-key",
            "value": f"{topic}-value",
            "record": full,
            "topic_record": f"{topic}-{full}",
            "none": f"hand picked {index}",
        }[style]
        uses = draw(st.none() | st.integers(1, shared_versions)) if shared_versions else None
        planned.append(
            Planned(
                subject,
                record,
                draw(st.integers(1, 3)),
                uses,
                draw(st.none() | st.sampled_from(list(CompatibilityLevel))),
                draw(st.none() | st.sampled_from(list(Mode))),
                index > 0 and draw(st.booleans()),  # one subject always stays live
            )
        )
    for p in planned:
        for version in range(p.versions):
            body = json.loads(json.dumps(p.body))
            body["fields"] += [
                {"name": f"extra{i}", "type": ["null", "string"], "default": None}
                for i in range(version)
            ]
            refs: tuple[SchemaReference, ...] = ()
            if p.uses_shared is not None:
                body["fields"].append({"name": "common", "type": "shr.Common"})
                refs = (SchemaReference("shr.Common", shared, p.uses_shared),)
            engine.register(p.subject, Schema(json.dumps(body), references=refs))
    for p in planned:
        if p.soft_deleted:
            with contextlib.suppress(RegistryError):  # still referenced: stays live
                engine.delete_subject(p.subject)
            continue
        if p.compatibility is not None:
            engine.set_compatibility(p.compatibility, p.subject)
        if p.mode is not None:
            engine.set_mode(p.mode, p.subject, force=True)
    if draw(st.booleans()):
        # An older registry stored a default that is not a value of the field's type.
        bad = {
            "type": "record",
            "name": "Old",
            "namespace": "legacy",
            "fields": [{"name": "n", "type": "int", "default": "none"}],
        }
        engine.load_state(
            LiveState(
                "prop",
                engine.global_compatibility,
                engine.global_mode,
                {
                    "legacy-value": SubjectState(
                        "legacy-value",
                        (RegisteredSchema("legacy-value", 1, 10_000, Schema(json.dumps(bad))),),
                    )
                },
            )
        )
    engine.set_compatibility(draw(st.sampled_from(list(CompatibilityLevel))))
    return engine, draw(st.booleans())


def _record(name: str, namespace: str, version: int) -> dict[str, Any]:
    fields: list[dict[str, Any]] = [{"name": "id", "type": "string"}]
    fields += [
        {"name": f"opt{i}", "type": ["null", "long"], "default": None} for i in range(version)
    ]
    return {"type": "record", "name": name, "namespace": namespace, "fields": fields}


def _schema(body: dict[str, Any]) -> Schema:
    return Schema(json.dumps(body))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registries())
def test_import_then_validate_plan_drift_and_merge_find_nothing(
    built: tuple[RegistryEngine, bool],
) -> None:
    engine, include_deleted = built
    registry = InMemoryRegistry(engine)
    selection = Selection(include_deleted=include_deleted)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        result = import_registry(registry, root, selection, fork=False)
        assert result.draft.skipped == ()  # everything the registry accepted is imported
        loaded = load_desired(root)  # validate: raises on any error
        desired = loaded.state
        plan = pipeline.make_plan(desired, registry, policy=PlanPolicy(prune=True))
        assert plan.steps == (), plan.steps
        assert not plan.blocked
        assert pipeline.drift(desired, registry).findings == ()
        before = files_under(root)
        again = import_registry(registry, root, selection, mode=WriteMode.MERGE, fork=False)
        assert again.written == ()
        assert files_under(root) == before


@pytest.mark.skipif(not hasattr(os, "fork"), reason="this platform cannot fork")
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registries())
def test_a_forked_import_writes_what_an_in_process_one_writes(
    built: tuple[RegistryEngine, bool],
) -> None:
    # Forked, the child checks the schemas and then writes the schema files ahead of time.
    engine, include_deleted = built
    registry = InMemoryRegistry(engine)
    selection = Selection(include_deleted=include_deleted)
    with tempfile.TemporaryDirectory() as here, tempfile.TemporaryDirectory() as forked:
        import_registry(registry, Path(here), selection, fork=False)
        import_registry(registry, Path(forked), selection, fork=True)
        assert files_under(Path(forked)) == files_under(Path(here))
