"""Field defaults checked against their types, as the registry checks new schemas."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aurum_sr.formats.avro.defaults import default_problems
from aurum_sr.formats.avro.parse import parse_avro
from aurum_sr.model import Schema


def _record(field_type: Any, default: Any) -> Schema:
    field = {"name": "f", "type": field_type, "default": default}
    return Schema(json.dumps({"type": "record", "name": "R", "fields": [field]}))


FIXED = {"type": "fixed", "name": "F", "size": 2}
ENUM = {"type": "enum", "name": "E", "symbols": ["A", "B"]}
INNER = {"type": "record", "name": "In", "fields": [{"name": "x", "type": "int"}]}


@pytest.mark.parametrize(
    ("field_type", "default", "valid"),
    [
        ("int", 1, True),
        ("int", 2**31, False),
        ("int", True, False),
        ("long", 2**40, True),
        ("double", 1, True),
        ("float", "1", False),
        ("boolean", 0, False),
        ("string", "x", True),
        ("bytes", "\u00ff", True),
        ("null", None, True),
        (FIXED, "ab", True),
        (FIXED, "abc", False),
        (ENUM, "B", True),
        (ENUM, "C", False),
        ({"type": "array", "items": "int"}, [1, 2], True),
        ({"type": "array", "items": "int"}, [1, "2"], False),
        ({"type": "map", "values": "string"}, {"k": "v"}, True),
        ({"type": "map", "values": "string"}, {"k": 1}, False),
        (INNER, {"x": 1}, True),
        (INNER, {}, False),
        (["null", "string"], None, True),
        (["null", "string"], 5, False),
        ({"type": "long", "logicalType": "timestamp-millis"}, 0, True),
    ],
)
def test_default_fits_its_type(field_type: Any, default: Any, valid: bool) -> None:
    problems = default_problems(parse_avro(_record(field_type, default)))
    assert (not problems) is valid
    assert all(not p.portable_only for p in problems)
    assert all(p.field_path == "R.f" for p in problems)


def test_union_default_of_a_later_branch_is_only_a_portability_problem() -> None:
    (problem,) = default_problems(parse_avro(_record(["null", "string"], "x")))
    assert problem.portable_only
    assert "not the first branch null" in problem.message


def test_nested_paths_name_the_field() -> None:
    lines = {
        "type": "array",
        "items": {
            "type": "record",
            "name": "Line",
            "fields": [{"name": "qty", "type": "int", "default": "one"}],
        },
    }
    schema = {"type": "record", "name": "Order", "fields": [{"name": "lines", "type": lines}]}
    (problem,) = default_problems(parse_avro(Schema(json.dumps(schema))))
    assert problem.field_path == "Order.lines[].qty"
