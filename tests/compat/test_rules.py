"""Every rule of the resolution reference (§2, §5), as a table: (old, new) → backward, forward.

BACKWARD asks "can the new schema read the old one", FORWARD the reverse, FULL both; with one
previous version the transitive levels give the same verdicts.
"""

from __future__ import annotations

from typing import Any

import pytest

from aurum_sr.compat import check
from aurum_sr.model import CompatibilityLevel as L
from tests.compat.schemas import enum, field, record, schema

F = field
DEC = {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}
TS_MS = {"type": "long", "logicalType": "timestamp-millis"}
TS_US = {"type": "long", "logicalType": "timestamp-micros"}
LIST = record(
    F("value", "int"),
    F("next", ["null", "LinkedList"], default=None),
    name="LinkedList",
)
LIST_LONG = record(
    F("value", "long"),
    F("next", ["null", "LinkedList"], default=None),
    name="LinkedList",
)


def rec(*fields: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return record(F("id", "long"), *fields, **kw)


# id, old, new, backward ok, forward ok
CASES: list[tuple[str, Any, Any, bool, bool]] = [
    # §5 row 1-4: adding and removing fields
    ("5.1 add field with default", rec(), rec(F("a", "int", default=0)), True, True),
    ("5.2 add field without default", rec(), rec(F("a", "int")), False, True),
    ("5.3 remove field with default", rec(F("a", "int", default=0)), rec(), True, True),
    ("5.4 remove field without default", rec(F("a", "int")), rec(), True, False),
    # rows 5-6: renames
    ("5.5 rename with alias", rec(F("a", "int")), rec(F("b", "int", aliases=["a"])), True, False),
    (
        "5.5 rename with alias, old had default",
        rec(F("a", "int", default=0)),
        rec(F("b", "int", aliases=["a"])),
        True,
        True,
    ),
    ("5.6 rename without alias", rec(F("a", "int")), rec(F("b", "int")), False, False),
    (
        "5.6 rename without alias, new has default",
        rec(F("a", "int")),
        rec(F("b", "int", default=0)),
        True,
        False,
    ),
    (
        "5.6 rename without alias, both defaults",
        rec(F("a", "int", default=0)),
        rec(F("b", "int", default=0)),
        True,
        True,
    ),
    # rows 7-10: primitive promotions (§2.1)
    ("5.7 int -> long", rec(F("a", "int")), rec(F("a", "long")), True, False),
    ("5.8 long -> int", rec(F("a", "long")), rec(F("a", "int")), False, True),
    ("5.9 int -> double", rec(F("a", "int")), rec(F("a", "double")), True, False),
    ("5.9 long -> double", rec(F("a", "long")), rec(F("a", "double")), True, False),
    ("5.9 float -> double", rec(F("a", "float")), rec(F("a", "double")), True, False),
    ("2.1 int -> float", rec(F("a", "int")), rec(F("a", "float")), True, False),
    ("2.1 long -> float", rec(F("a", "long")), rec(F("a", "float")), True, False),
    ("5.10 string -> bytes", rec(F("a", "string")), rec(F("a", "bytes")), True, True),
    ("5.10 bytes -> string", rec(F("a", "bytes")), rec(F("a", "string")), True, True),
    ("2.1 double -> float", rec(F("a", "double")), rec(F("a", "float")), False, True),
    ("2.1 int -> string", rec(F("a", "int")), rec(F("a", "string")), False, False),
    ("2.1 boolean -> int", rec(F("a", "boolean")), rec(F("a", "int")), False, False),
    ("2.1 null -> string", rec(F("a", "null")), rec(F("a", "string")), False, False),
    ("2.1 string -> enum", rec(F("a", "string")), rec(F("a", enum(["A"]))), False, False),
    (
        "2.1 record -> map",
        rec(F("a", record(F("x", "int"), name="Inner"))),
        rec(F("a", {"type": "map", "values": "int"})),
        False,
        False,
    ),
    (
        "2.1 fixed -> bytes",
        rec(F("a", {"type": "fixed", "name": "Hash", "size": 16})),
        rec(F("a", "bytes")),
        False,
        False,
    ),
    # rows 11-12, 24: enums with and without defaults (§2.3)
    ("5.11 add enum symbol", rec(F("s", enum(["A"]))), rec(F("s", enum(["A", "B"]))), True, False),
    (
        "5.11 add enum symbol, old enum has default",
        rec(F("s", enum(["A", "U"], default="U"))),
        rec(F("s", enum(["A", "B", "U"], default="U"))),
        True,
        True,
    ),
    (
        "5.12 remove enum symbol",
        rec(F("s", enum(["A", "B"]))),
        rec(F("s", enum(["A"]))),
        False,
        True,
    ),
    (
        "5.12 remove enum symbol, new enum has default",
        rec(F("s", enum(["A", "B", "U"]))),
        rec(F("s", enum(["A", "U"], default="U"))),
        True,
        True,
    ),
    (
        "5.24 add enum default",
        rec(F("s", enum(["A", "U"]))),
        rec(F("s", enum(["A", "U"], default="U"))),
        True,
        True,
    ),
    (
        "2.3 an enum default outside the symbols is no default (lenient parse)",
        rec(F("s", enum(["A", "B"]))),
        rec(F("s", enum(["A"], default="X"))),
        False,
        True,
    ),
    (
        "lenient parsing: names with '-' (registries accept them)",
        rec(F("s", enum(["A"], name="status-code")), name="order-v1"),
        rec(F("s", enum(["A", "B"], name="status-code")), name="order-v1"),
        True,
        False,
    ),
    (
        "2.3 enum-typed field added without field default (Java checks enum vs record)",
        rec(),
        rec(F("s", enum(["A", "U"], default="U"))),
        False,
        True,
    ),
    # row 13: reordering
    (
        "5.13 reorder fields",
        rec(F("a", "int"), F("b", "string")),
        rec(F("b", "string"), F("a", "int")),
        True,
        True,
    ),
    (
        "5.13 reorder enum symbols",
        rec(F("s", enum(["A", "B"]))),
        rec(F("s", enum(["B", "A"]))),
        True,
        True,
    ),
    (
        "5.13 reorder union branches",
        rec(F("u", ["null", "string"], default=None)),
        rec(F("u", ["string", "null"], default="")),
        True,
        True,
    ),
    # rows 14-17: unions (§2.5)
    (
        "5.14 add union branch",
        rec(F("u", ["null", "string"])),
        rec(F("u", ["null", "string", "int"])),
        True,
        False,
    ),
    (
        "5.15 remove union branch",
        rec(F("u", ["null", "string", "int"])),
        rec(F("u", ["null", "string"])),
        False,
        True,
    ),
    (
        "5.16 make field optional",
        rec(F("a", "string")),
        rec(F("a", ["null", "string"], default=None)),
        True,
        False,
    ),
    (
        "5.17 make optional field required",
        rec(F("a", ["null", "string"], default=None)),
        rec(F("a", "string")),
        False,
        True,
    ),
    (
        "2.5 reader union reads a promoted writer type",
        rec(F("a", "int")),
        rec(F("a", ["null", "long"], default=None)),
        True,
        False,
    ),
    (
        "2.5 every writer branch must be readable",
        rec(F("a", ["int", "string"])),
        rec(F("a", ["long", "bytes"])),
        True,
        False,
    ),
    # rows 18-19: names and namespaces (§2.7)
    ("5.18 change namespace only", rec(namespace="a.b"), rec(namespace="c.d"), True, True),
    ("5.19 rename record without alias", rec(), rec(name="Purchase"), False, False),
    (
        "5.19 rename record with full-name alias",
        rec(namespace="acme"),
        rec(name="Purchase", namespace="acme", aliases=["acme.Order"]),
        True,
        False,
    ),
    (
        "2.7 rename record with relative alias (resolved in the type's namespace)",
        rec(namespace="acme"),
        rec(name="Purchase", namespace="acme", aliases=["Order"]),
        True,
        False,
    ),
    (
        "2.7 alias in another namespace does not match",
        rec(namespace="acme"),
        rec(name="Purchase", namespace="acme", aliases=["other.Order"]),
        False,
        False,
    ),
    (
        "2.7 names are case-sensitive",
        rec(),
        rec(name="order"),
        False,
        False,
    ),
    (
        "2.7 rename enum with alias",
        rec(F("s", enum(["A"], namespace="acme"))),
        rec(F("s", enum(["A"], name="State", namespace="acme", aliases=["Status"]))),
        True,
        False,
    ),
    (
        "2.2 only reader-side field aliases count",
        rec(F("b", "int", aliases=["a"])),
        rec(F("a", "int")),
        False,
        True,
    ),
    (
        "2.2 a reader field matching two writer fields is rejected (Java throws)",
        rec(F("a", "int"), F("b", "int")),
        rec(F("a", "int", aliases=["b"])),
        False,
        False,
    ),
    # rows 20-22: doc, defaults, logical types (§2.8, §2.9)
    ("5.20 change doc only", rec(doc="one"), rec(doc="two"), True, True),
    ("5.21 add a default", rec(F("a", "int")), rec(F("a", "int", default=1)), True, True),
    (
        "5.21 change a default",
        rec(F("a", "int", default=1)),
        rec(F("a", "int", default=2)),
        True,
        True,
    ),
    ("5.21 remove a default", rec(F("a", "int", default=1)), rec(F("a", "int")), True, True),
    (
        "5.22 decimal precision/scale",
        rec(F("p", DEC)),
        rec(F("p", {**DEC, "precision": 12, "scale": 4})),
        True,
        True,
    ),
    ("5.22 timestamp unit", rec(F("t", TS_MS)), rec(F("t", TS_US)), True, True),
    ("5.22 add logicalType", rec(F("t", "long")), rec(F("t", TS_MS)), True, True),
    (
        "5.22 date -> plain int",
        rec(F("d", {"type": "int", "logicalType": "date"})),
        rec(F("d", "int")),
        True,
        True,
    ),
    (
        "2.9 field order attribute",
        rec(F("a", "int")),
        rec(F("a", "int", order="descending")),
        True,
        True,
    ),
    # row 23: fixed (§2.6)
    (
        "5.23 change fixed size",
        rec(F("h", {"type": "fixed", "name": "Hash", "size": 16})),
        rec(F("h", {"type": "fixed", "name": "Hash", "size": 32})),
        False,
        False,
    ),
    (
        "2.6 rename fixed",
        rec(F("h", {"type": "fixed", "name": "Hash", "size": 16})),
        rec(F("h", {"type": "fixed", "name": "Digest", "size": 16})),
        False,
        False,
    ),
    # §2.4 arrays and maps
    (
        "2.4 array<int> -> array<long>",
        rec(F("a", {"type": "array", "items": "int"})),
        rec(F("a", {"type": "array", "items": "long"})),
        True,
        False,
    ),
    (
        "2.4 array<int> -> array<string>",
        rec(F("a", {"type": "array", "items": "int"})),
        rec(F("a", {"type": "array", "items": "string"})),
        False,
        False,
    ),
    (
        "2.4 map<string> -> map<bytes>",
        rec(F("m", {"type": "map", "values": "string"})),
        rec(F("m", {"type": "map", "values": "bytes"})),
        True,
        True,
    ),
    (
        "2.4 array -> map",
        rec(F("a", {"type": "array", "items": "int"})),
        rec(F("a", {"type": "map", "values": "int"})),
        False,
        False,
    ),
    # nested and recursive records
    (
        "nested record gains a field without default",
        rec(F("c", record(F("x", "int"), name="Customer"))),
        rec(F("c", record(F("x", "int"), F("y", "int"), name="Customer"))),
        False,
        True,
    ),
    (
        "nested record in an array of a union",
        rec(F("l", ["null", {"type": "array", "items": record(F("x", "int"), name="Line")}])),
        rec(F("l", ["null", {"type": "array", "items": record(F("x", "long"), name="Line")}])),
        True,
        False,
    ),
    ("recursive record, int -> long", LIST, LIST_LONG, True, False),
    (
        "recursive record gains an optional field",
        LIST,
        record(
            F("value", "int"),
            F("next", ["null", "LinkedList"], default=None),
            F("tag", ["null", "string"], default=None),
            name="LinkedList",
        ),
        True,
        True,
    ),
    (
        "error records are records",
        {"type": "error", "name": "Failure", "fields": [F("code", "int")]},
        {"type": "error", "name": "Failure", "fields": [F("code", "long")]},
        True,
        False,
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "backward", "forward"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_rule(old: Any, new: Any, backward: bool, forward: bool) -> None:
    old_s, new_s = schema(old), schema(new)
    expected = {
        L.NONE: True,
        L.BACKWARD: backward,
        L.BACKWARD_TRANSITIVE: backward,
        L.FORWARD: forward,
        L.FORWARD_TRANSITIVE: forward,
        L.FULL: backward and forward,
        L.FULL_TRANSITIVE: backward and forward,
    }
    got = {level: check(new_s, [old_s], level).is_compatible for level in L}
    assert got == expected
    for level in L:
        result = check(new_s, [old_s], level)
        assert result.is_compatible == (not result.breaking_changes)


def test_transitive_example_of_section_4() -> None:
    v1 = schema(rec(F("amount", "int")))
    v2 = schema(rec())
    v3 = schema(rec(F("amount", "string", default="")))
    assert check(v2, [v1], L.BACKWARD).is_compatible
    assert check(v3, [v1, v2], L.BACKWARD).is_compatible
    result = check(v3, [v1, v2], L.BACKWARD_TRANSITIVE)
    assert not result.is_compatible
    assert result.checked_versions == (1, 2)
    assert [(b.against_version, b.field_path, b.kind) for b in result.breaking_changes] == [
        (1, "Order.amount", "type_mismatch")
    ]


def test_first_version_is_always_compatible() -> None:
    for level in L:
        result = check(schema(rec(F("a", "int"))), [], level)
        assert result.is_compatible
        assert result.checked_versions == ()
