"""The Avro project's reader/writer checker, corrected where its Python port differs from Java.

Confluent Schema Registry decides every Avro compatibility question with Java's
``SchemaCompatibility``. ``avro.compatibility`` is the Avro project's Python port of it; we use it
as is, except for these narrow corrections (each has a test in ``tests/compat``):

1. **Type aliases are full names.** Java compares the writer's full name with the reader type's
   aliases *resolved against the reader's namespace* (``"aliases": ["Old"]`` on ``com.acme.New``
   means ``com.acme.Old``). The port compares against the raw alias text, so a relative alias
   never matches a namespaced writer and a correct rename is reported as ``name_mismatch``.
2. **A reader field matching two writer fields** (its name and an alias) makes Java's
   ``lookupWriterField`` throw; the registry turns that exception into a rejection. The port
   silently takes the first match and may call the pair compatible.
3. **``error`` records** are records in Java. The port only knows ``record`` and raises
   "Unknown schema type" for an ``error`` type.
4. **Speed, not semantics:** the port rebuilds a record's field dictionary for every reader field
   (quadratic in the field count) and memoizes pairs under ``id(reader) ^ id(writer)``, a hash
   that collides constantly; here the dictionary is built once per record, the memo is keyed by
   the pair of ids, and structurally identical sub-schemas (exact identities from
   :mod:`aurum_sr.formats.avro.fingerprint`) are compatible without a walk.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from avro.compatibility import (
    CompatibleResult,
    ReaderWriterCompatibilityChecker,
    SchemaCompatibilityResult,
    SchemaCompatibilityType,
    SchemaIncompatibilityType,
    check_fixed_size,
    check_reader_enum_contains_writer_enum,
    incompatible,
    merge,
    type_mismatch,
)

AMBIGUOUS_FIELD = "reader_field_matches_several_writer_fields"
"""Not one of the port's incompatibility types: Java throws instead (correction 2)."""

NAMED_KINDS = frozenset({"record", "enum", "fixed"})


def kind_of(schema: Any) -> str:
    """The schema type as Java sees it: an ``error`` is a ``record``."""
    kind: str = schema.type
    return "record" if kind == "error" else kind


def type_aliases(schema: Any) -> frozenset[str]:
    """A named type's aliases as full names, relative ones resolved against its namespace."""
    aliases = schema.props.get("aliases")
    if not isinstance(aliases, list):
        return frozenset()
    namespace = schema.fullname.rpartition(".")[0]
    return frozenset(
        alias if "." in alias or not namespace else f"{namespace}.{alias}"
        for alias in aliases
        if isinstance(alias, str)
    )


def names_match(reader: Any, writer: Any) -> bool:
    """Java's ``schemaNameEquals``: same unqualified name, or a reader alias is the writer's
    full name."""
    return bool(reader.name == writer.name or writer.fullname in type_aliases(reader))


def writer_fields_for(reader_field: Any, writer_fields: dict[str, Any]) -> list[Any]:
    """Every writer field the reader field resolves to: by name, then by the reader's aliases."""
    direct = writer_fields.get(reader_field.name)
    aliases = reader_field.props.get("aliases")
    if not aliases:
        return [] if direct is None else [direct]
    found = [] if direct is None else [direct]
    if isinstance(aliases, Iterable) and not isinstance(aliases, str):
        for alias in aliases:
            match = writer_fields.get(alias) if isinstance(alias, str) else None
            if match is not None and all(match is not f for f in found):
                found.append(match)
    return found


def enum_default_is_usable(enum: Any) -> bool:
    """Whether the enum declares a default symbol that is one of its own symbols (Java's rule
    for reading unknown writer symbols)."""
    default = enum.props.get("default")
    return default is not None and default in enum.symbols


def _kinds(*kinds: Any) -> list[Any]:
    # The port types incompatibilities as its enum; Java has no member for this case.
    return list(kinds)


class RegistryChecker(ReaderWriterCompatibilityChecker):
    """``avro.compatibility.ReaderWriterCompatibilityChecker`` with the corrections above.

    One instance memoizes every (reader, writer) sub-pair by identity; use one per top-level
    pair of parsed schemas.
    """

    def __init__(self, identities: dict[int, int] | None = None) -> None:
        """``identities`` maps ``id(node)`` to a structural identity (see
        :mod:`aurum_sr.formats.avro.fingerprint`) for the nodes of both schemas: a reader and writer
        node with the same identity are identical, hence compatible, without a walk."""
        super().__init__()  # type: ignore[no-untyped-call]
        self._fields: dict[int, tuple[Any, dict[str, Any]]] = {}
        self._identities = identities or {}
        self._memo: dict[tuple[int, int], SchemaCompatibilityResult] = {}

    def fields_of(self, record: Any) -> dict[str, Any]:
        """The record's fields by name, built once (the port rebuilds it per lookup)."""
        cached = self._fields.get(id(record))
        if cached is None or cached[0] is not record:
            cached = (record, {f.name: f for f in record.fields})
            self._fields[id(record)] = cached
        return cached[1]

    def get_compatibility(
        self,
        reader: Any,
        writer: Any,
        reference_token: str = ReaderWriterCompatibilityChecker.ROOT_REFERENCE_TOKEN,
        location: list[str] | None = None,
    ) -> SchemaCompatibilityResult:
        """The port's memoized recursion, keyed by a tuple of identities: the port's own key
        hashes ``id(reader) ^ id(writer)``, which collides so often that lookups dominate."""
        same = self._identities.get(id(reader))
        if same is not None and same == self._identities.get(id(writer)):
            return CompatibleResult
        key = (id(reader), id(writer))
        known = self._memo.get(key)
        if known is not None:
            if known.compatibility is SchemaCompatibilityType.recursion_in_progress:
                return CompatibleResult  # break the recursion: compatible unless proven otherwise
            return known
        self._memo[key] = SchemaCompatibilityResult()
        result = self.calculate_compatibility(reader, writer, [*(location or []), reference_token])
        self._memo[key] = result
        return result

    def compatible(self, reader: Any, writer: Any) -> bool:
        """Can ``reader`` read everything ``writer`` writes? (memoized)"""
        result = self.get_compatibility(reader, writer)
        return result.compatibility is not SchemaCompatibilityType.incompatible

    def calculate_compatibility(
        self, reader: Any, writer: Any, location: list[str]
    ) -> SchemaCompatibilityResult:
        reader_kind, writer_kind = kind_of(reader), kind_of(writer)
        if reader_kind == writer_kind and reader_kind in NAMED_KINDS:
            result = CompatibleResult
            if not names_match(reader, writer):
                result = incompatible(
                    SchemaIncompatibilityType.name_mismatch,
                    f"expected: {writer.fullname}",
                    [*location, "name"],
                )
            if reader_kind == "fixed":
                return merge(result, check_fixed_size(reader, writer, location))
            if reader_kind == "enum":
                return merge(
                    result, check_reader_enum_contains_writer_enum(reader, writer, location)
                )
            return merge(result, self.check_reader_writer_record_fields(reader, writer, location))
        if reader.type == "error" and writer_kind != "union":
            return type_mismatch(reader, writer, location)
        return super().calculate_compatibility(reader, writer, location)

    def check_reader_writer_record_fields(
        self, reader: Any, writer: Any, location: list[str]
    ) -> SchemaCompatibilityResult:
        result = CompatibleResult
        writer_fields = self.fields_of(writer)
        identities = self._identities
        for i, reader_field in enumerate(reader.fields):
            matches = writer_fields_for(reader_field, writer_fields)
            if len(matches) == 1:
                same = identities.get(id(reader_field.type))
                if same is not None and same == identities.get(id(matches[0].type)):
                    continue  # identical field types: nothing to check
            field_location = [*location, "fields", str(i)]
            if len(matches) > 1:
                names = ", ".join(f.name for f in matches)
                result = merge(
                    result,
                    SchemaCompatibilityResult(
                        compatibility=SchemaCompatibilityType.incompatible,
                        incompatibilities=_kinds(AMBIGUOUS_FIELD),
                        locations={"/".join(field_location)[1:]},
                        messages={f"{reader_field.name} matches writer fields {names}"},
                    ),
                )
            elif matches:
                found = self.get_compatibility(
                    reader_field.type, matches[0].type, "type", field_location
                )
                # Merging a compatible result changes nothing but costs list and set copies.
                if found.compatibility is SchemaCompatibilityType.incompatible:
                    result = merge(result, found)
            elif not reader_field.has_default:
                # Java's quirk, kept: an enum with a default symbol is checked against the
                # writer *record*, which is always a type mismatch.
                if reader_field.type.type == "enum" and reader_field.type.props.get("default"):
                    result = merge(
                        result,
                        self.get_compatibility(reader_field.type, writer, "type", field_location),
                    )
                else:
                    result = merge(
                        result,
                        incompatible(
                            SchemaIncompatibilityType.reader_field_missing_default_value,
                            reader_field.name,
                            field_location,
                        ),
                    )
        return result
