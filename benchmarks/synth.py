"""Synthetic registries and desired states for the scale benchmarks.

:func:`make_fleet` draws a deterministic (seeded) set of subjects: shared types in their own
subjects (record naming strategy) and topic-value subjects of 5–200 fields (records with unions,
enums, nested records, arrays, maps and logical types), about one in ten referencing a shared
type. Every subject has ``versions`` live versions, each a compatible edit of the one before (an
optional field added). The desired state is the latest live version, except for a chosen share
of *changed* subjects whose desired schema adds one more optional field (compatible under every
BACKWARD level).

:func:`write_repository` writes the desired state as a repository (``contracts/contracts.yml``
and ``schemas/**/*.avsc``); :func:`live_state` gives the history as a ``LiveState`` to load into
the registry engine behind the in-process server (:func:`load_engine`), and
:func:`populate_registry` registers it, version by version, in any registry (``--registry URL``).

    .venv/bin/python benchmarks/synth.py OUT_DIR --subjects 1000 --versions 5 --changed 0.1
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aurum_sr.model import (
    CompatibilityLevel,
    LiveState,
    Mode,
    RegisteredSchema,
    Schema,
    SchemaReference,
    SubjectState,
)
from aurum_sr.registry.engine import RegistryEngine
from aurum_sr.registry.protocol import Registry

NAMESPACE = "bench"


@dataclass(frozen=True)
class Reference:
    name: str
    subject: str


@dataclass
class Subject:
    """One synthetic subject: its live history and its desired schema."""

    subject: str
    path: str
    """The schema file, relative to the repository root."""
    history: list[dict[str, Any]]
    """Live versions, oldest first (schema documents)."""
    desired: dict[str, Any]
    topic: str | None = None
    shared: bool = False
    references: list[Reference] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.desired != self.history[-1]


@dataclass
class Fleet:
    """The whole synthetic estate."""

    subjects: list[Subject]
    level: CompatibilityLevel
    versions: int

    @property
    def changed(self) -> list[Subject]:
        return [s for s in self.subjects if s.changed]

    @property
    def version_count(self) -> int:
        return sum(len(s.history) for s in self.subjects)


# -- schema drawing ---------------------------------------------------------------------------

_PRIMITIVES = ("string", "long", "int", "double", "boolean", "float", "bytes")
_LOGICAL: tuple[dict[str, Any], ...] = (
    {"type": "long", "logicalType": "timestamp-millis"},
    {"type": "long", "logicalType": "timestamp-micros"},
    {"type": "int", "logicalType": "date"},
    {"type": "string", "logicalType": "uuid"},
    {"type": "bytes", "logicalType": "decimal", "precision": 18, "scale": 6},
)


def _field_count(rng: random.Random) -> int:
    """5–200 fields, most subjects small (a long tail like real estates)."""
    roll = rng.random()
    if roll < 0.6:
        return rng.randint(5, 20)
    if roll < 0.9:
        return rng.randint(21, 60)
    return rng.randint(61, 200)


def _field(rng: random.Random, name: str, tag: str, depth: int) -> dict[str, Any]:
    """One field of a drawn kind; named types get names unique in their schema (``tag``)."""
    kind = rng.random()
    doc = {"doc": f"The {name.replace('_', ' ')}."} if rng.random() < 0.3 else {}
    if kind < 0.40:
        return {"name": name, "type": rng.choice(_PRIMITIVES), **doc}
    if kind < 0.60:
        inner = rng.choice(("string", "long", "double"))
        return {"name": name, "type": ["null", inner], "default": None, **doc}
    if kind < 0.72:
        return {"name": name, "type": dict(rng.choice(_LOGICAL)), **doc}
    if kind < 0.80:
        symbols = [f"S{i}" for i in range(rng.randint(2, 6))] + ["UNKNOWN"]
        enum = {"type": "enum", "name": f"{tag}Kind", "symbols": symbols, "default": "UNKNOWN"}
        return {"name": name, "type": enum, **doc}
    if kind < 0.87 and depth < 2:
        nested = {
            "type": "record",
            "name": f"{tag}Part",
            "fields": [
                _field(rng, f"p{i}", f"{tag}P{i}", depth + 1) for i in range(rng.randint(2, 6))
            ],
        }
        return {"name": name, "type": ["null", nested], "default": None, **doc}
    if kind < 0.94:
        return {"name": name, "type": {"type": "array", "items": "string"}, "default": [], **doc}
    return {"name": name, "type": {"type": "map", "values": ["null", "long"]}, **doc}


def _record(rng: random.Random, name: str, namespace: str, fields: int) -> dict[str, Any]:
    return {
        "type": "record",
        "name": name,
        "namespace": namespace,
        "doc": f"Synthetic {name} records.",
        "fields": [_field(rng, f"f{i}_value", f"F{i}", 0) for i in range(fields)],
    }


def _evolve(schema: dict[str, Any], step: int) -> dict[str, Any]:
    """A compatible edit (under every BACKWARD and FORWARD level): one more optional field."""
    fields = [
        *schema["fields"],
        {"name": f"added_{step}", "type": ["null", "string"], "default": None},
    ]
    return {**schema, "fields": fields}


def make_fleet(
    subjects: int,
    *,
    versions: int = 5,
    changed: float = 0.0,
    shared: int | None = None,
    referencing: float = 0.1,
    level: CompatibilityLevel = CompatibilityLevel.BACKWARD,
    seed: int = 7,
) -> Fleet:
    """``subjects`` subjects in all (``shared`` of them shared types, by default 1%, at least
    3), ``versions`` live versions each; ``changed`` is the share of non-shared subjects whose
    desired schema is a new (compatible) version."""
    rng = random.Random(seed)
    shared = max(3, subjects // 100) if shared is None else shared
    shared = min(shared, max(0, subjects - 1))
    out: list[Subject] = []
    for i in range(shared):
        name = f"Shared{i}"
        base = _record(rng, name, f"{NAMESPACE}.common", rng.randint(3, 8))
        history = [base]
        for step in range(1, versions):
            history.append(_evolve(history[-1], step))
        out.append(
            Subject(
                f"{NAMESPACE}.common.{name}",
                f"schemas/common/shared_{i}.avsc",
                history,
                history[-1],
                shared=True,
            )
        )
    regular = subjects - shared
    changed_ids = set(rng.sample(range(regular), round(regular * changed)))
    for i in range(regular):
        domain = f"d{i % 50:02d}"
        name = f"Entity{i}"
        base = _record(rng, name, f"{NAMESPACE}.{domain}", _field_count(rng))
        refs: list[Reference] = []
        if shared and rng.random() < referencing:
            target = out[rng.randrange(shared)]
            type_name = f"{NAMESPACE}.common.{target.subject.rsplit('.', 1)[1]}"
            base["fields"].append({"name": "shared", "type": ["null", type_name], "default": None})
            refs.append(Reference(type_name, target.subject))
        history = [base]
        for step in range(1, versions):
            history.append(_evolve(history[-1], step))
        desired = _evolve(history[-1], versions) if i in changed_ids else history[-1]
        topic = f"{NAMESPACE}.{domain}.entity{i}.v1"
        out.append(
            Subject(
                f"{topic}-value",
                f"schemas/{domain}/entity_{i}.avsc",
                history,
                desired,
                topic=topic,
                references=refs,
            )
        )
    return Fleet(out, level, versions)


# -- the repository ---------------------------------------------------------------------------


def write_repository(fleet: Fleet, root: Path, *, manage_level: bool = True) -> Path:
    """Write contracts/contracts.yml and the schema files under ``root``; returns ``root``.
    Without ``manage_level`` the contracts leave every subject's level to the registry."""
    level = [f"  compatibility: {fleet.level.value}"] if manage_level else []
    lines = [
        "# Generated by benchmarks/synth.py",
        "format_version: 1",
        "",
        "defaults:",
        *level,
        "  owner: bench@aurum.example",
        "  naming_strategy: topic",
        "  owned_prefixes:",
        f"    - {NAMESPACE}.",
        "  lint:",
        "    missing-doc: off",
        "    optional-without-null-default: off",
        "    enum-without-default: off",
        "    field-not-snake-case: off",
        "",
        "subjects:",
    ]
    for s in fleet.subjects:
        lines.append(f"  - subject: {s.subject}")
        lines.append(f"    schema: {s.path}")
        if s.shared:
            lines.append("    naming_strategy: record")
        else:
            lines.append(f"    topic: {s.topic}")
            lines.append("    role: value")
        if s.references:
            lines.append("    references:")
            for ref in s.references:
                lines.append(f"      - name: {ref.name}")
                lines.append(f"        subject: {ref.subject}")
        target = root / s.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(s.desired, indent=2) + "\n", encoding="utf-8")
    (root / "contracts").mkdir(parents=True, exist_ok=True)
    (root / "contracts" / "contracts.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


# -- the registry -----------------------------------------------------------------------------


def live_state(fleet: Fleet, registry: str = "bench") -> LiveState:
    """The fleet's history as the registry holds it: ids in registration order (shared types
    first), the subject-level compatibility the contracts declare, no subject-level modes."""
    next_id = 1
    latest: dict[str, int] = {}
    states: dict[str, SubjectState] = {}
    for s in fleet.subjects:
        refs = tuple(SchemaReference(r.name, r.subject, latest[r.subject]) for r in s.references)
        held = []
        for number, document in enumerate(s.history, start=1):
            schema = Schema(json.dumps(document, separators=(",", ":")), references=refs)
            held.append(RegisteredSchema(s.subject, number, next_id, schema))
            next_id += 1
        latest[s.subject] = len(s.history)
        states[s.subject] = SubjectState(s.subject, tuple(held), fleet.level, None)
    return LiveState(
        registry=registry,
        global_compatibility=CompatibilityLevel.BACKWARD,
        global_mode=Mode.READWRITE,
        subjects=states,
    )


def load_engine(engine: RegistryEngine, fleet: Fleet) -> None:
    """Load the fleet's history into ``engine`` directly (no compatibility checks: fast)."""
    engine.load_state(live_state(fleet, engine.name))


def populate_registry(registry: Registry, fleet: Fleet) -> None:
    """Register the fleet's history in ``registry`` the way a team would have: subject level
    first, then every version in order (shared types before their referrers)."""
    state = live_state(fleet, registry.name)
    for name, subject_state in state.subjects.items():
        if subject_state.compatibility is not None:
            registry.set_compatibility(subject_state.compatibility, name)
        for version in subject_state.versions:
            registry.register(name, version.schema)


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic desired-state repository.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--subjects", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--changed", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--level", default="BACKWARD", choices=[c.value for c in CompatibilityLevel]
    )
    args = parser.parse_args()
    fleet = make_fleet(
        args.subjects,
        versions=args.versions,
        changed=args.changed,
        level=CompatibilityLevel(args.level),
        seed=args.seed,
    )
    write_repository(fleet, args.out)
    print(
        f"wrote {len(fleet.subjects)} subjects ({len(fleet.changed)} changed, "
        f"{fleet.version_count} live versions) to {args.out}"
    )


if __name__ == "__main__":
    main()
