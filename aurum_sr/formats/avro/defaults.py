"""Checking field defaults against their types, as the registry does for new schemas.

The avro library does not check defaults; the registry does (``42201`` for a default that does
not match its field type). Finding that offline keeps a plan from failing half-way through apply.
A union field's default must match the union's *first* branch for Avro 1.11 and older (Confluent
Platform before 8.2); Avro 1.12 accepts any branch. The first case is an error here, the second a
portability warning.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, cast

import avro.schema

INT_RANGE = (-(2**31), 2**31 - 1)
_HOLDS_FIELDS = (
    avro.schema.RecordSchema,
    avro.schema.ArraySchema,
    avro.schema.MapSchema,
    avro.schema.UnionSchema,
)
LONG_RANGE = (-(2**63), 2**63 - 1)


@dataclass(frozen=True)
class DefaultProblem:
    """A field whose default does not fit its type."""

    field_path: str
    """e.g. ``Order.lines[].amount``."""
    field_name: str
    message: str
    portable_only: bool = False
    """True when the default is valid for Avro 1.12+ only (it matches a later union branch)."""


def default_problems(schema: avro.schema.Schema) -> list[DefaultProblem]:
    """Every field default in ``schema`` (nested types included) that does not fit its type."""
    problems: list[DefaultProblem] = []
    _walk(schema, "", set(), problems)
    return problems


def _walk(
    schema: avro.schema.Schema, path: str, seen: set[str], problems: list[DefaultProblem]
) -> None:
    kind = _holder(schema)
    if kind is avro.schema.RecordSchema:
        record = cast(avro.schema.RecordSchema, schema)
        if record.fullname in seen:
            return
        seen.add(record.fullname)
        base = path or record.name
        for field in record.fields:
            if field.has_default:
                _check_field(field, f"{base}.{field.name}", problems)
            if _holder(field.type) is not None:  # primitives, enums, fixed hold no fields
                _walk(field.type, f"{base}.{field.name}", seen, problems)
    elif kind is avro.schema.ArraySchema:
        _walk(cast(avro.schema.ArraySchema, schema).items, f"{path}[]", seen, problems)
    elif kind is avro.schema.MapSchema:
        _walk(cast(avro.schema.MapSchema, schema).values, f"{path}{{}}", seen, problems)
    elif kind is avro.schema.UnionSchema:
        for branch in cast(avro.schema.UnionSchema, schema).schemas:
            _walk(branch, path, seen, problems)


_HOLDERS: dict[type, type | None] = {}


def _holder(schema: avro.schema.Schema) -> type | None:
    """Which of :data:`_HOLDS_FIELDS` ``schema`` is an instance of, if any: known by its class,
    because ``isinstance`` against the avro library's abstract classes costs a call into
    ``abc`` each time (a third of this walk over every field of every schema)."""
    cls = type(schema)
    if cls not in _HOLDERS:
        _HOLDERS[cls] = next((h for h in _HOLDS_FIELDS if issubclass(cls, h)), None)
    return _HOLDERS[cls]


def _check_field(field: avro.schema.Field, path: str, problems: list[DefaultProblem]) -> None:
    value = field.default
    kind = field.type
    if isinstance(kind, avro.schema.UnionSchema) and kind.schemas:
        if fits(kind.schemas[0], value):
            return
        later = [b for b in kind.schemas[1:] if fits(b, value)]
        if later:
            problems.append(
                DefaultProblem(
                    path,
                    field.name,
                    f"the default {_show(value)} matches union branch {_type_name(later[0])}, "
                    f"not the first branch {_type_name(kind.schemas[0])}: registries on Avro 1.11 "
                    "or older (Confluent Platform before 8.2) refuse it",
                    portable_only=True,
                )
            )
            return
    elif fits(kind, value):
        return
    problems.append(
        DefaultProblem(
            path,
            field.name,
            f"the default {_show(value)} is not a valid {_type_name(kind)}",
        )
    )


def fits(schema: avro.schema.Schema, value: Any) -> bool:
    """Whether ``value`` (a default as written in JSON) is valid for ``schema``."""
    kind = schema.type
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind in ("int", "long"):
        low, high = INT_RANGE if kind == "int" else LONG_RANGE
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    if kind in ("float", "double"):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind in ("bytes", "string"):
        return isinstance(value, str)
    if isinstance(schema, avro.schema.FixedSchema):
        return isinstance(value, str) and len(value) == schema.size
    if isinstance(schema, avro.schema.EnumSchema):
        return isinstance(value, str) and value in schema.symbols
    if isinstance(schema, avro.schema.ArraySchema):
        return isinstance(value, list) and all(fits(schema.items, item) for item in value)
    if isinstance(schema, avro.schema.MapSchema):
        return isinstance(value, dict) and all(fits(schema.values, v) for v in value.values())
    if isinstance(schema, avro.schema.UnionSchema):
        # A default inside a default (record field of a record default): first branch rule.
        return bool(schema.schemas) and fits(schema.schemas[0], value)
    if isinstance(schema, avro.schema.RecordSchema):
        if not isinstance(value, dict):
            return False
        return all(
            fits(f.type, value[f.name]) if f.name in value else f.has_default for f in schema.fields
        )
    return True


def _type_name(schema: avro.schema.Schema) -> str:
    if isinstance(schema, avro.schema.NamedSchema):
        return f"{schema.type} {schema.fullname}"
    return str(schema.type)


def _show(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."
