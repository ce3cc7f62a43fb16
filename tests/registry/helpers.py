"""Schemas and names the registry tests share."""

from __future__ import annotations

import json
from typing import Any

from aurum_sr.model import Schema, SchemaReference
from tests import factories
from tests.factories import field, schema


def record(
    name: str, *fields: tuple[str, Any] | tuple[str, Any, Any], doc: str | None = None
) -> Schema:
    """An Avro record schema in namespace ``t``; a field is (name, type[, default])."""
    built = [field(f[0], f[1]) if len(f) == 2 else field(f[0], f[1], default=f[2]) for f in fields]
    attrs = {} if doc is None else {"doc": doc}
    return schema(factories.record(name, *built, namespace="t", **attrs))


def respaced(schema: Schema) -> Schema:
    """The same schema written differently (indentation, key order)."""
    data = json.loads(schema.schema_str)
    return Schema(json.dumps(data, indent=3, sort_keys=True), schema.schema_type, schema.references)


V1 = record("Order", ("id", "long"))
V2 = record("Order", ("id", "long"), ("note", ["null", "string"], None))
V3 = record("Order", ("id", "long"), ("note", ["null", "string"], None), ("qty", "int", 0))

ADDRESS = record("Address", ("city", "string"))


def with_address(version: int = 1, subject: str = "t.Address") -> Schema:
    body = {
        "type": "record",
        "name": "Customer",
        "namespace": "t",
        "fields": [{"name": "address", "type": "t.Address"}],
    }
    return Schema(json.dumps(body), references=(SchemaReference("t.Address", subject, version),))
