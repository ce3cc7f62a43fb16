"""Where the Avro Python port differs from Java's SchemaCompatibility, and our corrections."""

from __future__ import annotations

import warnings
from typing import Any

from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

from aurum_sr.formats.avro.parse import parse_avro
from aurum_sr.formats.avro.reader_writer import RegistryChecker
from tests.compat.schemas import field, record, schema


def parse(value: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return parse_avro(schema(value))


def port_says_compatible(reader: Any, writer: Any) -> bool:
    result = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
    return result.compatibility is SchemaCompatibilityType.compatible


def test_relative_type_alias_resolves_in_the_namespace() -> None:
    # Java: "aliases": ["Order"] on acme.Purchase means acme.Order, which matches the writer.
    writer = parse(record(field("id", "long"), namespace="acme"))
    reader = parse(
        record(field("id", "long"), name="Purchase", namespace="acme", aliases=["Order"])
    )
    assert not port_says_compatible(reader, writer)  # the port compares the raw alias text
    assert RegistryChecker().compatible(reader, writer)


def test_reader_field_matching_two_writer_fields_is_rejected() -> None:
    # Java's lookupWriterField throws "matches multiple fields"; the registry rejects the schema.
    writer = parse(record(field("a", "int"), field("b", "int")))
    reader = parse(record(field("a", "int", aliases=["b"])))
    assert port_says_compatible(reader, writer)  # the port silently takes the first match
    assert not RegistryChecker().compatible(reader, writer)


def test_error_records_are_records() -> None:
    error = parse({"type": "error", "name": "Failure", "fields": [field("code", "int")]})
    as_record = parse(record(field("code", "int"), name="Failure"))
    assert RegistryChecker().compatible(error, as_record)
    assert RegistryChecker().compatible(as_record, error)
    assert not RegistryChecker().compatible(error, parse("int"))


def test_port_and_correction_agree_elsewhere() -> None:
    pairs = [
        (record(field("a", "long")), record(field("a", "int"))),
        (record(field("a", "int")), record(field("a", "long"))),
        (record(field("a", ["null", "string"], default=None)), record(field("a", "string"))),
        (record(field("a", "string")), record(field("a", ["null", "string"], default=None))),
        (record(field("b", "int", aliases=["a"])), record(field("a", "int"))),
    ]
    for reader, writer in pairs:
        r, w = parse(reader), parse(writer)
        assert RegistryChecker().compatible(r, w) == port_says_compatible(r, w)
