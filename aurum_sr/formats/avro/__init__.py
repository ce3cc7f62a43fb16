"""Avro: the schema format aurum-sr supports today.

:data:`FORMAT` is its :class:`~aurum_sr.formats.SchemaFormat`: parsing the way registries accept
schemas (:mod:`.parse`), field defaults (:mod:`.defaults`), registry identity
(:mod:`.canonical`), verdicts built on the Avro project's own reader/writer checker
(:mod:`.checker`, :mod:`.reader_writer`, :mod:`.explain`), the change list (:mod:`.changes`),
and for schema files the names they define (:mod:`.names`) and lint rules (:mod:`.lint`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from aurum_sr.formats.avro import (
    canonical,
    changes,
    checker,
    defaults,
    lint,
    names,
    parse,
    validity,
)
from aurum_sr.formats.protocol import Locate, ReferenceResolver, SchemaNames, SchemaProblem
from aurum_sr.formats.result import CompatibilityResult, SchemaChange
from aurum_sr.model import CompatibilityLevel, RegisteredSchema, Schema, SchemaType


class AvroFormat:
    """Avro behind the :class:`~aurum_sr.formats.SchemaFormat` protocol."""

    @property
    def schema_type(self) -> SchemaType:
        return SchemaType.AVRO

    def canonical_text(self, schema_str: str) -> str:
        return canonical.canonical_text(schema_str)

    def validate(self, schema: Schema, resolver: ReferenceResolver | None) -> tuple[str, ...]:
        # Like a registry on Avro 1.11 (Confluent Platform 7.x): defaults are validated for new
        # schemas, and a union's default must match its first branch.
        parsed = parse.parse_avro(schema, resolver)
        return tuple(
            f"Invalid default for field {problem.field_path}: {problem.message}"
            for problem in defaults.default_problems(parsed)
        )

    def diagnose(
        self, schema: Schema, resolver: ReferenceResolver, *, defined_by: Mapping[str, str]
    ) -> tuple[bool, tuple[SchemaProblem, ...]]:
        return validity.diagnose(schema, resolver, defined_by=defined_by)

    def names(self, data: Any, *, strictness: bool = True) -> SchemaNames:
        return names.schema_names(data, strictness=strictness)

    def lint(
        self, data: Any, locate: Locate, *, off: Collection[str] = frozenset()
    ) -> tuple[SchemaProblem, ...]:
        return lint.lint(data, locate, off=off)

    def strictness(self, schema_str: str) -> tuple[SchemaProblem, ...]:
        return validity.strictness(schema_str)

    def check(
        self,
        new: Schema,
        previous: Sequence[RegisteredSchema] | Sequence[Schema],
        level: CompatibilityLevel,
        *,
        resolver: ReferenceResolver | None = None,
    ) -> CompatibilityResult:
        return checker.check(new, previous, level, resolver=resolver)

    def describe_changes(
        self, old: Schema, new: Schema, *, resolver: ReferenceResolver | None = None
    ) -> tuple[SchemaChange, ...]:
        return changes.describe_changes(old, new, resolver=resolver)

    def clear_caches(self, *, keep_parsed: bool = False) -> None:
        checker.clear_caches(keep_parsed=keep_parsed)


FORMAT = AvroFormat()
"""The Avro format, registered for :attr:`~aurum_sr.model.SchemaType.AVRO`."""
