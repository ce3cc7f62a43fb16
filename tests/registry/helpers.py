"""Schemas and names the registry tests share."""

from __future__ import annotations

import json
from typing import Any

from aurum_sr.model import Schema, SchemaReference


def record(
    name: str, *fields: tuple[str, Any] | tuple[str, Any, Any], doc: str | None = None
) -> Schema:
    """An Avro record schema in namespace ``t``; a field is (name, type[, default])."""
    out: dict[str, Any] = {"type": "record", "name": name, "namespace": "t", "fields": []}
    if doc is not None:
        out["doc"] = doc
    for f in fields:
        entry: dict[str, Any] = {"name": f[0], "type": f[1]}
        if len(f) == 3:
            entry["default"] = f[2]
        out["fields"].append(entry)
    return Schema(json.dumps(out))


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
