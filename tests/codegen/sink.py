"""Test schemas exercising the whole Avro type system."""

from __future__ import annotations

import json
from typing import Any

INNER: dict[str, Any] = {
    "type": "record",
    "name": "Inner",
    "fields": [{"name": "x", "type": "int", "default": 1}],
}

EVERYTHING: dict[str, Any] = {
    "type": "record",
    "name": "Everything",
    "namespace": "test.sink",
    "doc": "Every Avro type, with a '''quoted''' \"doc\"\nover two lines.",
    "fields": [
        {"name": "b", "type": "boolean"},
        {"name": "i", "type": "int"},
        {"name": "l", "type": "long"},
        {"name": "f", "type": "float"},
        {"name": "d", "type": "double"},
        {"name": "by", "type": "bytes"},
        {"name": "s", "type": "string", "doc": "A string."},
        {"name": "n", "type": "null"},
        {"name": "fx", "type": {"type": "fixed", "name": "Md5", "size": 16}},
        {"name": "fx2", "type": "Md5"},
        {
            "name": "dec",
            "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 3},
        },
        {
            "name": "fdec",
            "type": {
                "type": "fixed",
                "name": "Money",
                "size": 8,
                "logicalType": "decimal",
                "precision": 18,
                "scale": 2,
            },
        },
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "tms", "type": {"type": "int", "logicalType": "time-millis"}},
        {"name": "tus", "type": {"type": "long", "logicalType": "time-micros"}},
        {"name": "tsms", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "tsus", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        {"name": "lts", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
        {"name": "ltus", "type": {"type": "long", "logicalType": "local-timestamp-micros"}},
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
        {
            "name": "color",
            "type": {"type": "enum", "name": "Color", "symbols": ["RED", "None", "class", "name"]},
        },
        {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []},
        {"name": "scores", "type": {"type": "map", "values": "long"}, "default": {}},
        {"name": "choice", "type": ["int", "string", "Color", "bytes"]},
        {"name": "numbers", "type": ["long", "double"]},
        {"name": "inner", "type": INNER, "default": {"x": 2}},
        {"name": "maybe", "type": ["null", "Inner"], "default": None},
        {"name": "inners", "type": {"type": "array", "items": "Inner"}, "default": [{"x": 3}]},
        {"name": "class", "type": "string", "default": "k"},
        {"name": "schema", "type": "int", "default": 3},
        {"name": "model_dump", "type": "string", "default": ""},
        {"name": "type", "type": "string"},
        {"name": "Inner", "type": ["null", "string"], "default": None},
        {"name": "when", "type": {"type": "long", "logicalType": "timestamp-millis"}, "default": 0},
        {
            "name": "price",
            "type": {"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 2},
            "default": "\u0000\u0096",
        },
        {"name": "kind", "type": "Color", "default": "class"},
        {"name": "ratio", "type": "float", "default": 0.1},
    ],
}

LINKED: dict[str, Any] = {
    "type": "record",
    "name": "Node",
    "namespace": "test.rec",
    "fields": [
        {"name": "value", "type": "int"},
        {"name": "children", "type": {"type": "array", "items": "Node"}, "default": []},
        {"name": "next", "type": ["null", "Node"], "default": None},
    ],
}


def text(schema: dict[str, Any]) -> str:
    return json.dumps(schema)
