"""A stand-in for ``aurum_sr.compat.check`` / ``describe_changes`` until feat/compat lands.

The only place tests fake the checker. Verdicts come from the Avro project's own
reader/writer checker (``avro.compatibility``), so they are real Avro verdicts; the change list
is a small top-level field comparison. Installed only when the compat package lacks the names.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

from aurum_sr import compat
from aurum_sr.avro_parse import parse_avro
from aurum_sr.compat.result import (
    BreakingChange,
    ChangeCategory,
    CompatibilityResult,
    Direction,
    SchemaChange,
)
from aurum_sr.model import CompatibilityLevel, RegisteredSchema, Schema, SchemaReference

Resolver = Callable[[SchemaReference], Schema]


def _field_path(schema: Schema, location: str) -> str:
    node: Any = json.loads(schema.schema_str)
    names = [node.get("name", "")] if isinstance(node, dict) else []
    parts = [p for p in location.split("/") if p]
    for i, part in enumerate(parts):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
            if isinstance(node, dict) and parts[i - 1] == "fields":
                names.append(node.get("name", ""))
        else:
            break
    return ".".join(n for n in names if n)


def _pair(
    reader: Schema, writer: Schema, resolver: Resolver | None, direction: Direction, version: int
) -> list[BreakingChange]:
    result = ReaderWriterCompatibilityChecker().get_compatibility(
        parse_avro(reader, resolver), parse_avro(writer, resolver)
    )
    if result.compatibility is SchemaCompatibilityType.compatible:
        return []
    out = []
    for kind, message, location in zip(
        result.incompatibilities, sorted(result.messages), sorted(result.locations), strict=False
    ):
        out.append(
            BreakingChange(
                kind=kind.value,
                direction=direction,
                location=location,
                field_path=_field_path(reader, location),
                message=message,
                against_version=version,
            )
        )
    return out


def fake_check(
    new: Schema,
    previous: Sequence[RegisteredSchema] | Sequence[Schema],
    level: CompatibilityLevel,
    *,
    resolver: Resolver | None = None,
) -> CompatibilityResult:
    olds = [(p.version, p.schema) if isinstance(p, RegisteredSchema) else (0, p) for p in previous]
    if level is CompatibilityLevel.NONE:
        olds = []
    elif not level.transitive:
        olds = olds[-1:]
    breaking: list[BreakingChange] = []
    for version, old in olds:
        if level.checks_backward:
            breaking += _pair(new, old, resolver, Direction.NEW_READS_OLD, version)
        if level.checks_forward:
            breaking += _pair(old, new, resolver, Direction.OLD_READS_NEW, version)
    return CompatibilityResult(
        is_compatible=not breaking,
        level=level,
        breaking_changes=tuple(breaking),
        checked_versions=tuple(v for v, _ in olds),
    )


def fake_describe_changes(
    old: Schema, new: Schema, *, resolver: Resolver | None = None
) -> tuple[SchemaChange, ...]:
    a, b = json.loads(old.schema_str), json.loads(new.schema_str)
    if not (isinstance(a, dict) and isinstance(b, dict)):
        return ()
    record = b.get("name", "")
    fa = {f["name"]: f for f in a.get("fields", [])}
    fb = {f["name"]: f for f in b.get("fields", [])}
    out = []
    for name in fb.keys() - fa.keys():
        out.append(
            SchemaChange(
                "field_added",
                ChangeCategory.NON_BREAKING,
                f"{record}.{name}",
                f"field {name} added",
            )
        )
    for name in fa.keys() - fb.keys():
        out.append(
            SchemaChange(
                "field_removed",
                ChangeCategory.BREAKING,
                f"{record}.{name}",
                f"field {name} removed",
            )
        )
    for name in fa.keys() & fb.keys():
        if fa[name].get("type") != fb[name].get("type"):
            out.append(
                SchemaChange(
                    "type_changed",
                    ChangeCategory.BREAKING,
                    f"{record}.{name}",
                    f"field {name} changes type",
                )
            )
    return tuple(sorted(out, key=lambda c: (c.field_path, c.kind)))


@pytest.fixture(autouse=True)
def fake_compat(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Install the fake checker when the compat package has no real one yet."""
    if getattr(compat, "check", None) is None:
        monkeypatch.setattr(compat, "check", fake_check, raising=False)
    if getattr(compat, "describe_changes", None) is None:
        monkeypatch.setattr(compat, "describe_changes", fake_describe_changes, raising=False)
    yield
