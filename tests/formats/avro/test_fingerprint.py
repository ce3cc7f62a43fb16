"""Structural identities: equal exactly when subtrees are identical."""

from __future__ import annotations

import warnings
from typing import Any

from aurum_sr.compat import check
from aurum_sr.formats.avro.fingerprint import node_ids
from aurum_sr.formats.avro.parse import parse_avro
from aurum_sr.model import CompatibilityLevel as L
from tests.compat.schemas import enum, field, record, schema


def parse(value: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return parse_avro(schema(value))


def root_id(value: Any) -> int | None:
    parsed = parse(value)
    return node_ids(parsed).get(id(parsed))


NODE = record(field("value", "int"), field("next", ["null", "Node"], default=None), name="Node")


def test_separate_parses_of_one_schema_share_an_identity() -> None:
    assert root_id(NODE) is not None
    assert root_id(NODE) == root_id(NODE)


def test_any_attribute_difference_separates() -> None:
    base = record(field("s", enum(["A", "B"], default="A")), field("n", "long", default=1))
    variants = [
        record(field("s", enum(["A", "B"], default="B")), field("n", "long", default=1)),
        record(field("s", enum(["A", "B"], default="A")), field("n", "long", default=2)),
        record(field("s", enum(["A", "B"], default="A")), field("n", "long", default="1")),
        record(field("s", enum(["B", "A"], default="A")), field("n", "long", default=1)),
        record(field("s", enum(["A", "B"], default="A")), field("n", "long", doc="x", default=1)),
    ]
    assert all(root_id(v) != root_id(base) for v in variants)


def test_recursive_types_differing_inside_are_different() -> None:
    other = record(
        field("value", "long"), field("next", ["null", "Node"], default=None), name="Node"
    )
    assert root_id(other) != root_id(NODE)


def test_a_record_aliasing_a_sibling_field_never_matches_itself() -> None:
    # Java's lookupWriterField throws for `b` (it matches writer `b` and, by alias, `a`), even
    # against an identical schema, so no identity shortcut may call the pair compatible.
    odd = record(field("a", "int"), field("b", "int", aliases=["a"]))
    assert root_id(odd) is None
    assert root_id(record(field("x", odd, default={"a": 1, "b": 2}), name="Outer")) is None
    result = check(schema(odd), [schema(odd)], L.BACKWARD)
    assert not result.is_compatible
    assert result.breaking_changes[0].kind == "reader_field_matches_several_writer_fields"
    assert result.breaking_changes[0].field_path == "Order.b"
