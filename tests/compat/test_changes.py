"""The semantic change list: every kind of change, categorised."""

from __future__ import annotations

from typing import Any

import pytest

from aurum_sr.compat import ChangeCategory, check, describe_changes
from aurum_sr.model import CompatibilityLevel as L
from tests.compat.schemas import enum, field, record, schema

B, N, R, C = (
    ChangeCategory.BREAKING,
    ChangeCategory.NON_BREAKING,
    ChangeCategory.RISKY,
    ChangeCategory.COSMETIC,
)
F = field
DEC = {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}


def rec(*fields: Any, **kw: Any) -> dict[str, Any]:
    return record(F("id", "long"), *fields, **kw)


CASES: list[tuple[str, Any, Any, list[tuple[str, ChangeCategory, str]]]] = [
    ("no change", rec(), rec(), []),
    (
        "field added with default",
        rec(),
        rec(F("a", "int", default=0)),
        [("field_added", N, "Order.a")],
    ),
    ("field added without default", rec(), rec(F("a", "int")), [("field_added", B, "Order.a")]),
    (
        "field removed with default",
        rec(F("a", "int", default=0)),
        rec(),
        [("field_removed", N, "Order.a")],
    ),
    ("field removed without default", rec(F("a", "int")), rec(), [("field_removed", B, "Order.a")]),
    (
        "renamed via alias",
        rec(F("a", "int")),
        rec(F("b", "int", aliases=["a"])),
        [("field_renamed", B, "Order.b")],
    ),
    (
        "renamed via alias, old default",
        rec(F("a", "int", default=0)),
        rec(F("b", "int", aliases=["a"], default=0)),
        [("field_renamed", N, "Order.b")],
    ),
    ("type promoted", rec(F("a", "int")), rec(F("a", "long")), [("type_promoted", B, "Order.a")]),
    ("type changed", rec(F("a", "int")), rec(F("a", "string")), [("type_changed", B, "Order.a")]),
    (
        "string to bytes",
        rec(F("a", "string")),
        rec(F("a", "bytes")),
        [("type_changed", N, "Order.a")],
    ),
    (
        "made optional",
        rec(F("a", "string")),
        rec(F("a", ["null", "string"], default=None)),
        [("default_changed", N, "Order.a"), ("made_optional", B, "Order.a")],
    ),
    (
        "made required",
        rec(F("a", ["null", "string"])),
        rec(F("a", "string")),
        [("made_required", B, "Order.a")],
    ),
    (
        "default changed",
        rec(F("a", "int", default=1)),
        rec(F("a", "int", default=2)),
        [("default_changed", N, "Order.a")],
    ),
    (
        "enum symbol added",
        rec(F("s", enum(["A"]))),
        rec(F("s", enum(["A", "B"]))),
        [("enum_symbol_added", B, "Order.s")],
    ),
    (
        "enum symbol added, old default",
        rec(F("s", enum(["A"], default="A"))),
        rec(F("s", enum(["A", "B"], default="A"))),
        [("enum_symbol_added", N, "Order.s")],
    ),
    (
        "enum symbol removed",
        rec(F("s", enum(["A", "B"]))),
        rec(F("s", enum(["A"]))),
        [("enum_symbol_removed", B, "Order.s")],
    ),
    (
        "enum default changed",
        rec(F("s", enum(["A", "B"], default="A"))),
        rec(F("s", enum(["A", "B"], default="B"))),
        [("enum_default_changed", N, "Order.s")],
    ),
    (
        "enum reordered",
        rec(F("s", enum(["A", "B"]))),
        rec(F("s", enum(["B", "A"]))),
        [("enum_symbols_reordered", C, "Order.s")],
    ),
    (
        "union branch added",
        rec(F("u", ["null", "string"])),
        rec(F("u", ["null", "string", "int"])),
        [("union_branch_added", B, "Order.u")],
    ),
    (
        "union branch removed",
        rec(F("u", ["null", "string", "int"])),
        rec(F("u", ["null", "string"])),
        [("union_branch_removed", B, "Order.u")],
    ),
    (
        "namespace changed",
        rec(namespace="a"),
        rec(namespace="b"),
        [("namespace_changed", R, "Order")],
    ),
    ("name changed", rec(), rec(name="Purchase"), [("name_changed", B, "Purchase")]),
    ("doc only", rec(doc="x"), rec(doc="y"), [("doc_changed", C, "Order")]),
    (
        "field doc only",
        rec(F("a", "int", doc="x")),
        rec(F("a", "int", doc="y")),
        [("doc_changed", C, "Order.a")],
    ),
    (
        "fixed size",
        rec(F("h", {"type": "fixed", "name": "H", "size": 4})),
        rec(F("h", {"type": "fixed", "name": "H", "size": 8})),
        [("fixed_size_changed", B, "Order.h")],
    ),
    (
        "decimal precision",
        rec(F("p", DEC)),
        rec(F("p", {**DEC, "precision": 12})),
        [("logical_type_changed", R, "Order.p")],
    ),
    (
        "timestamp unit",
        rec(F("t", {"type": "long", "logicalType": "timestamp-millis"})),
        rec(F("t", {"type": "long", "logicalType": "timestamp-micros"})),
        [("logical_type_changed", R, "Order.t")],
    ),
    (
        "logical type added",
        rec(F("t", "long")),
        rec(F("t", {"type": "long", "logicalType": "timestamp-millis"})),
        [("logical_type_changed", R, "Order.t")],
    ),
    (
        "logical type removed",
        rec(F("d", {"type": "int", "logicalType": "date"})),
        rec(F("d", "int")),
        [("logical_type_changed", R, "Order.d")],
    ),
    (
        "fields reordered",
        rec(F("a", "int"), F("b", "int")),
        rec(F("b", "int"), F("a", "int")),
        [("fields_reordered", C, "Order")],
    ),
    (
        "nested in array and map",
        rec(
            F(
                "l",
                {
                    "type": "array",
                    "items": {"type": "map", "values": record(F("x", "int"), name="L")},
                },
            )
        ),
        rec(
            F(
                "l",
                {
                    "type": "array",
                    "items": {"type": "map", "values": record(F("x", "long"), name="L")},
                },
            )
        ),
        [("type_promoted", B, "Order.l[]{}.x")],
    ),
    (
        "nested in union",
        rec(F("c", ["null", record(F("x", "int"), name="C")], default=None)),
        rec(
            F(
                "c",
                ["null", record(F("x", "int"), F("y", "int", default=0), name="C")],
                default=None,
            )
        ),
        [("field_added", N, "Order.c.y")],
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_change(old: Any, new: Any, expected: list[tuple[str, ChangeCategory, str]]) -> None:
    changes = describe_changes(schema(old), schema(new))
    assert [(c.kind, c.category, c.field_path) for c in changes] == expected
    assert all(c.message.endswith(".") for c in changes)


def test_identical_schemas_have_no_changes() -> None:
    s = rec(F("a", ["null", "string"], default=None), F("s", enum(["A"])))
    assert describe_changes(schema(s), schema(s)) == ()


def test_check_categorises_changes_for_its_level() -> None:
    old, new = schema(rec(F("a", "int"))), schema(rec(F("a", "long")))
    assert [c.category for c in check(new, [old], L.BACKWARD).changes] == [N]
    assert [c.category for c in check(new, [old], L.FORWARD).changes] == [B]
    # NONE checks nothing, but old readers still break on long data: say so.
    assert [c.category for c in check(new, [old], L.NONE).changes] == [B]


def test_logical_change_is_risky_even_when_compatible_everywhere() -> None:
    old, new = schema(rec(F("p", DEC))), schema(rec(F("p", {**DEC, "scale": 4})))
    result = check(new, [old], L.FULL_TRANSITIVE)
    assert result.is_compatible
    assert [(c.kind, c.category) for c in result.changes] == [("logical_type_changed", R)]
    assert "decimal(10, 2)" in result.changes[0].message
