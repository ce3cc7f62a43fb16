"""The fast strictness scan never hides what the strict parse would report."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aurum_sr.formats.avro.parse import obviously_strict, parse_avro, strictness_problems
from aurum_sr.model import Schema
from tests.compat.schemas import enum, record

CASES: list[tuple[str, dict[str, Any]]] = [
    ("plain", record({"name": "a", "type": "long"})),
    ("namespace", record({"name": "a", "type": "long"}, namespace="com.example")),
    ("empty namespace", record({"name": "a", "type": "long"}, namespace="")),
    ("dotted name", record({"name": "a", "type": "long"}, name="com.example.R")),
    ("enum", record({"name": "e", "type": enum(["A", "B"], default="A")})),
    ("nested union", record({"name": "n", "type": ["null", record(name="In")], "default": None})),
    ("array and map", record({"name": "x", "type": {"type": "array", "items": "string"}})),
    ("logical", record({"name": "t", "type": {"type": "long", "logicalType": "timestamp-millis"}})),
    ("dash in record name", record({"name": "a", "type": "long"}, name="my-rec")),
    ("dash in namespace", record({"name": "a", "type": "long"}, namespace="com.my-co")),
    ("empty namespace part", record({"name": "a", "type": "long"}, namespace="a..b")),
    ("bad enum symbol", enum(["A", "b-c"])),
    ("enum default outside", record({"name": "e", "type": enum(["A"], default="Z")})),
    ("top-level enum default outside", enum(["A"], default="Z")),
    (
        "enum default outside, in a union in an array",
        record(
            {"name": "e", "type": {"type": "array", "items": ["null", enum(["A"], default="Z")]}}
        ),
    ),
    ("nested bad name", record({"name": "n", "type": record(name="1Bad")})),
    ("dash in field name", record({"name": "my-field", "type": "long"})),
    ("doc and default are text", record({"name": "a", "type": "string", "default": "x-y"})),
]


@pytest.mark.parametrize(("label", "schema"), CASES, ids=[c[0] for c in CASES])
def test_a_schema_the_scan_passes_has_no_strictness_problem(
    label: str, schema: dict[str, Any]
) -> None:
    text = json.dumps(schema)
    parse_avro(Schema(text))  # every case is one registries accept
    if obviously_strict(schema):
        assert strictness_problems(text) == [], label


@pytest.mark.parametrize(
    "label",
    [
        "dash in record name",
        "dash in namespace",
        "empty namespace part",
        "bad enum symbol",
        "enum default outside",
        "top-level enum default outside",
        "enum default outside, in a union in an array",
        "nested bad name",
    ],
)
def test_the_scan_sends_every_strictness_problem_to_the_strict_parse(label: str) -> None:
    schema = dict(CASES)[label]
    assert strictness_problems(json.dumps(schema)) != []
    assert not obviously_strict(schema)
