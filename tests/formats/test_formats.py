"""Finding a schema format by type; a type without one is refused clearly, everywhere."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

import pytest

from aurum_sr import compat, formats
from aurum_sr.canonical import canonical_text, same_schema
from aurum_sr.errors import SchemaInputError
from aurum_sr.formats import Locate, ReferenceResolver, SchemaFormat, SchemaNames, SchemaProblem
from aurum_sr.formats.avro import FORMAT as AVRO
from aurum_sr.formats.result import CompatibilityResult, SchemaChange
from aurum_sr.model import CompatibilityLevel, RegisteredSchema, Schema, SchemaType

ORDER = json.dumps({"type": "record", "name": "Order", "fields": [{"name": "id", "type": "long"}]})


def test_avro_is_built_in_and_found_by_type() -> None:
    found: SchemaFormat = formats.schema_format(SchemaType.AVRO)
    assert found is AVRO and found.schema_type is SchemaType.AVRO
    assert formats.is_supported(SchemaType.AVRO)
    assert AVRO in formats.loaded_formats()


@pytest.mark.parametrize("schema_type", [SchemaType.JSON, SchemaType.PROTOBUF])
def test_a_type_without_a_format_is_not_supported_yet(schema_type: SchemaType) -> None:
    assert formats.find_format(schema_type) is None
    assert not formats.is_supported(schema_type)
    with pytest.raises(
        SchemaInputError, match=f"{schema_type.value} schemas are not supported yet"
    ):
        formats.schema_format(schema_type)
    new = Schema("{}", schema_type)
    with pytest.raises(SchemaInputError, match="not supported yet"):
        compat.check(new, [new], CompatibilityLevel.BACKWARD)
    with pytest.raises(SchemaInputError, match="not supported yet"):
        compat.describe_changes(new, new)
    with pytest.raises(SchemaInputError, match="not supported yet"):
        compat.CompatibilityChecker().check_compatibility(new, new)


def test_a_type_without_a_format_still_has_a_text_identity() -> None:
    """Registries store schemas aurum-sr cannot check yet; it still tells them apart."""
    assert canonical_text('{"b": 1,\n "a": 2}', SchemaType.JSON) == '{"a":2,"b":1}'
    assert canonical_text(' syntax = "proto3";\n\n', SchemaType.PROTOBUF) == 'syntax = "proto3";'
    assert same_schema(Schema('{"a": 1}', SchemaType.JSON), Schema('{ "a":1 }', SchemaType.JSON))


class Counting:
    """A JSON "format" that accepts everything and counts what it was asked (registered only
    inside one test), to show that callers reach a format through its type alone."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    @property
    def schema_type(self) -> SchemaType:
        return SchemaType.JSON

    def canonical_text(self, schema_str: str) -> str:
        self.asked.append("canonical_text")
        return json.dumps(json.loads(schema_str), sort_keys=True)

    def validate(self, schema: Schema, resolver: ReferenceResolver | None) -> tuple[str, ...]:
        self.asked.append("validate")
        return ()

    def diagnose(
        self, schema: Schema, resolver: ReferenceResolver, *, defined_by: Mapping[str, str]
    ) -> tuple[bool, tuple[SchemaProblem, ...]]:
        self.asked.append("diagnose")
        return True, ()

    def names(self, data: Any, *, strictness: bool = True) -> SchemaNames:
        self.asked.append("names")
        return SchemaNames(None, frozenset(), strictness)

    def lint(
        self, data: Any, locate: Locate, *, off: Collection[str] = frozenset()
    ) -> tuple[SchemaProblem, ...]:
        self.asked.append("lint")
        return ()

    def strictness(self, schema_str: str) -> tuple[SchemaProblem, ...]:
        self.asked.append("strictness")
        return ()

    def check(
        self,
        new: Schema,
        previous: Sequence[RegisteredSchema] | Sequence[Schema],
        level: CompatibilityLevel,
        *,
        resolver: ReferenceResolver | None = None,
    ) -> CompatibilityResult:
        self.asked.append("check")
        return CompatibilityResult(is_compatible=True, level=level)

    def describe_changes(
        self, old: Schema, new: Schema, *, resolver: ReferenceResolver | None = None
    ) -> tuple[SchemaChange, ...]:
        self.asked.append("describe_changes")
        return ()

    def clear_caches(self, *, keep_parsed: bool = False) -> None:
        self.asked.append("clear_caches")


@pytest.fixture
def counting() -> Iterator[Counting]:
    added = Counting()
    formats.register_format(added)
    try:
        yield added
    finally:
        formats._FORMATS.pop(SchemaType.JSON, None)
        canonical_text.cache_clear()


def test_a_registered_format_is_what_callers_reach(counting: Counting) -> None:
    schema = Schema('{"type": "object"}', SchemaType.JSON)
    assert formats.is_supported(SchemaType.JSON)
    assert compat.check(schema, [schema], CompatibilityLevel.FULL).is_compatible
    assert compat.describe_changes(schema, schema) == ()
    compat.CompatibilityChecker().check_compatibility(schema, schema)
    compat.clear_caches()
    assert canonical_text('{"b": 1, "a": 2}', SchemaType.JSON) == '{"a": 2, "b": 1}'
    assert counting.asked == [
        "check",
        "describe_changes",
        "validate",
        "validate",
        "check",
        "clear_caches",
        "canonical_text",
    ]
