"""The Avro type system as codegen sees it: a small frozen tree built from a parsed schema.

Schemas are parsed by :func:`aurum_sr.formats.avro.parse.parse_avro` (leniently, references
included), then converted here. Named types (records, enums, fixed) become definitions keyed by
full name and are referred to by :class:`Named`, so a type defined once is one class wherever it
appears, and recursive records are plain cycles through names.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import avro.errors
import avro.name
import avro.schema

from aurum_sr.errors import SchemaInputError
from aurum_sr.formats.avro.parse import ReferenceResolver, parse_avro
from aurum_sr.model import Schema

PRIMITIVES = ("null", "boolean", "int", "long", "float", "double", "bytes", "string")

#: Logical types mapped to date/time values, with the primitive each must annotate.
TEMPORALS = {
    "date": "int",
    "time-millis": "int",
    "time-micros": "long",
    "timestamp-millis": "long",
    "timestamp-micros": "long",
    "local-timestamp-millis": "long",
    "local-timestamp-micros": "long",
}


@dataclass(frozen=True)
class Primitive:
    """``null``, ``boolean``, ``int``, ``long``, ``float``, ``double``, ``bytes`` or ``string``."""

    name: str


@dataclass(frozen=True)
class DecimalType:
    """A ``decimal`` logical type on ``bytes`` (``size`` None) or on a ``fixed`` of ``size``."""

    precision: int
    scale: int
    size: int | None = None


@dataclass(frozen=True)
class Temporal:
    """A date/time logical type; ``logical_type`` is a key of :data:`TEMPORALS`."""

    logical_type: str


@dataclass(frozen=True)
class UuidType:
    """The ``uuid`` logical type on ``string``."""


@dataclass(frozen=True)
class Named:
    """A use of the record, enum or fixed named ``fullname``."""

    fullname: str


@dataclass(frozen=True)
class ArrayType:
    items: AvroType


@dataclass(frozen=True)
class MapType:
    values: AvroType


@dataclass(frozen=True)
class UnionType:
    branches: tuple[AvroType, ...]


AvroType: TypeAlias = (
    Primitive | DecimalType | Temporal | UuidType | Named | ArrayType | MapType | UnionType
)


class _NoDefault:
    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()
"""The default of a field that has none (distinct from a ``null`` default)."""


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: AvroType
    doc: str | None = None
    default: Any = NO_DEFAULT
    """The default as the schema's JSON holds it, or :data:`NO_DEFAULT`."""

    @property
    def has_default(self) -> bool:
        return self.default is not NO_DEFAULT


@dataclass(frozen=True)
class RecordDef:
    fullname: str
    fields: tuple[FieldDef, ...]
    doc: str | None = None
    key: str = field(default="", compare=False)
    """The type's complete JSON, nested definitions expanded: equal keys, identical types."""


@dataclass(frozen=True)
class EnumDef:
    fullname: str
    symbols: tuple[str, ...]
    doc: str | None = None
    key: str = field(default="", compare=False)


@dataclass(frozen=True)
class FixedDef:
    fullname: str
    size: int
    key: str = field(default="", compare=False)


Definition: TypeAlias = RecordDef | EnumDef | FixedDef


@dataclass(frozen=True)
class SubjectTypes:
    """One subject's top-level type and every named type it uses (its references' included)."""

    subject: str
    root: AvroType
    definitions: dict[str, Definition]
    """By full name, in the order first met (depth first, nested before their users)."""
    field_tags: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The subject's metadata tags: field path (``ns.Record.field``, ``**.email``) -> tags."""


def subject_types(
    subject: str, schema: Schema, resolver: ReferenceResolver | None = None
) -> SubjectTypes:
    """Parse ``schema`` (references resolved through ``resolver``) into codegen's type tree."""
    with warnings.catch_warnings():
        # Logical types the avro library does not know (local-timestamp-*) are handled here.
        warnings.simplefilter("ignore", avro.errors.IgnoredLogicalType)
        parsed = parse_avro(schema, resolver)
    builder = _Builder(subject)
    root = builder.convert(parsed)
    return SubjectTypes(subject, root, builder.definitions)


class _Builder:
    def __init__(self, subject: str) -> None:
        self.subject = subject
        self.definitions: dict[str, Definition] = {}
        self._pending: set[str] = set()

    def convert(self, schema: avro.schema.Schema) -> AvroType:
        kind = schema.type
        logical = schema.get_prop("logicalType")
        if isinstance(schema, avro.schema.FixedDecimalSchema):
            precision, scale = _int_prop(schema, "precision"), _int_prop(schema, "scale")
            return DecimalType(precision, scale, schema.size)
        if isinstance(schema, avro.schema.BytesDecimalSchema):
            return DecimalType(_int_prop(schema, "precision"), _int_prop(schema, "scale"))
        if isinstance(schema, avro.schema.UUIDSchema):
            return UuidType()
        if isinstance(logical, str) and TEMPORALS.get(logical) == kind:
            return Temporal(logical)
        if kind in PRIMITIVES:
            return Primitive(kind)
        if isinstance(schema, avro.schema.NamedSchema):
            return self._named(schema)
        if isinstance(schema, avro.schema.ArraySchema):
            return ArrayType(self.convert(schema.items))
        if isinstance(schema, avro.schema.MapSchema):
            return MapType(self.convert(schema.values))
        if isinstance(schema, avro.schema.UnionSchema):
            return UnionType(tuple(self.convert(s) for s in schema.schemas))
        raise SchemaInputError(f"subject {self.subject!r}: unsupported Avro type {kind!r}")

    def _named(self, schema: avro.schema.NamedSchema) -> Named:
        fullname: str = schema.fullname
        if fullname in self.definitions or fullname in self._pending:
            return Named(fullname)
        key = json.dumps(schema.to_json(avro.name.Names()), sort_keys=True)
        if isinstance(schema, avro.schema.EnumSchema):
            self.definitions[fullname] = EnumDef(
                fullname, tuple(schema.symbols), schema.doc or None, key
            )
        elif isinstance(schema, avro.schema.FixedSchema):
            self.definitions[fullname] = FixedDef(fullname, int(schema.size), key)
        elif isinstance(schema, avro.schema.RecordSchema):
            self._pending.add(fullname)
            fields = tuple(
                FieldDef(
                    f.name,
                    self.convert(f.type),
                    f.doc or None,
                    f.default if f.has_default else NO_DEFAULT,
                )
                for f in schema.fields
            )
            self._pending.discard(fullname)
            self.definitions[fullname] = RecordDef(fullname, fields, schema.doc or None, key)
        else:
            raise SchemaInputError(
                f"subject {self.subject!r}: unsupported named Avro type {schema.type!r}"
            )
        return Named(fullname)


def _int_prop(schema: avro.schema.Schema, name: str) -> int:
    value = schema.get_prop(name)
    return value if isinstance(value, int) else 0
