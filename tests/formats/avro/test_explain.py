"""Breaking changes name the kind, direction, version, location, field path and a fix."""

from __future__ import annotations

from typing import Any

import pytest

from aurum_sr.compat import Direction, check
from aurum_sr.model import CompatibilityLevel as L
from aurum_sr.model import RegisteredSchema
from tests.compat.schemas import enum, field, record, schema

LINE = record(field("amount", "int"), name="Line")
ORDER = record(
    field("id", "long"),
    field("lines", {"type": "array", "items": LINE}),
    field("status", enum(["NEW", "PAID"])),
    field("mail", "string"),
    field("note", ["null", "string"], default=None),
)


def order(**changes: Any) -> dict[str, Any]:
    fields = [dict(f) for f in ORDER["fields"]]
    for f in fields:
        if f["name"] in changes:
            f["type"] = changes[f["name"]]
    return {**ORDER, "fields": fields}


def only(new: Any, level: L, old: Any = ORDER) -> Any:
    result = check(schema(new), [schema(old)], level)
    assert len(result.breaking_changes) == 1, result.breaking_changes
    return result.breaking_changes[0]


def test_nested_type_change_points_into_the_reader() -> None:
    new = order(lines={"type": "array", "items": record(field("amount", "string"), name="Line")})
    change = only(new, L.BACKWARD)
    assert change.kind == "type_mismatch"
    assert change.direction is Direction.NEW_READS_OLD
    assert change.field_path == "Order.lines[].amount"
    assert change.location == "/fields/1/type/items/fields/0/type"
    assert change.against_version == 1
    assert "int" in change.message and "string" in change.message


def test_added_field_without_default_recommends_an_optional_type() -> None:
    new = {**ORDER, "fields": [*ORDER["fields"], field("email", "string")]}
    change = only(new, L.BACKWARD)
    assert change.kind == "reader_field_missing_default_value"
    assert change.location == "/fields/5"
    assert change.recommendation == (
        'give `email` a default of null and make its type ["null", "string"]'
    )


def test_rename_without_alias_recommends_the_alias() -> None:
    fields = [f if f["name"] != "mail" else field("email", "string") for f in ORDER["fields"]]
    change = only({**ORDER, "fields": fields}, L.BACKWARD)
    assert change.field_path == "Order.email"
    assert change.recommendation is not None
    assert change.recommendation.startswith("add alias `mail` to the renamed field `email`")


def test_removed_enum_symbol_recommends_a_default_symbol() -> None:
    change = only(order(status=enum(["NEW"])), L.BACKWARD)
    assert change.kind == "missing_enum_symbols"
    assert change.location == "/fields/2/type/symbols"
    assert "`PAID`" in change.message
    assert change.recommendation == (
        "keep `PAID` in enum `Status`, or add a default symbol to enum `Status`"
    )


def test_forward_enum_growth_explains_the_old_reader() -> None:
    change = only(order(status=enum(["NEW", "PAID", "SHIPPED"])), L.FORWARD)
    assert change.direction is Direction.OLD_READS_NEW
    assert change.recommendation is not None
    assert "add a default symbol to enum `Status`" in change.recommendation


def test_made_optional_breaks_forward_with_a_null_explanation() -> None:
    change = only(order(mail=["null", "string"]), L.FORWARD)
    assert change.kind == "type_mismatch"
    assert change.field_path == "Order.mail"
    assert "null" in change.message
    assert change.location == "/fields/3/type"


def test_union_branch_added_breaks_forward() -> None:
    change = only(order(note=["null", "string", "long"]), L.FORWARD)
    assert change.kind == "missing_union_branch"
    assert change.location == "/fields/4/type"
    assert change.recommendation is not None and "…v2" in change.recommendation


def test_record_rename_recommends_an_alias_of_the_old_full_name() -> None:
    old = record(field("id", "long"), namespace="acme")
    new = record(field("id", "long"), name="Purchase", namespace="acme")
    change = only(new, L.BACKWARD, old)
    assert change.kind == "name_mismatch"
    assert change.location == "/name"
    assert change.recommendation == "add alias `acme.Order` to the renamed record `acme.Purchase`"


def test_fixed_size_change() -> None:
    old = record(field("h", {"type": "fixed", "name": "Hash", "size": 16}))
    new = record(field("h", {"type": "fixed", "name": "Hash", "size": 32}))
    change = only(new, L.BACKWARD, old)
    assert change.kind == "fixed_size_mismatch"
    assert change.location == "/fields/0/type/size"
    assert "16" in change.message and "32" in change.message


def test_full_reports_both_directions_and_aggregates() -> None:
    new = order(lines={"type": "array", "items": record(field("amount", "string"), name="Line")})
    result = check(schema(new), [schema(ORDER)], L.FULL)
    assert [b.direction for b in result.breaking_changes] == [
        Direction.NEW_READS_OLD,
        Direction.OLD_READS_NEW,
    ]
    assert len(result.messages) == 2
    assert all(m.startswith("v1 (") for m in result.messages)
    assert len(result.recommendations) == 2
    assert result.summary() == "incompatible under FULL: 2 breaking change(s)"
    assert result.has_breaking_changes()


def test_registered_versions_are_reported_by_their_numbers() -> None:
    v = [
        RegisteredSchema("orders-value", n, 100 + n, schema(s))
        for n, s in ((3, record(field("a", "int"))), (7, record()))
    ]
    new = schema(record(field("a", "string", default="")))
    result = check(new, v, L.BACKWARD_TRANSITIVE)
    assert result.checked_versions == (3, 7)
    assert [b.against_version for b in result.breaking_changes] == [3]
    plain = check(new, v, L.BACKWARD)
    assert plain.is_compatible and plain.checked_versions == (7,)


def test_recursive_schema_explained_once() -> None:
    linked = record(field("value", "int"), field("next", ["null", "Node"]), name="Node")
    changed = record(field("value", "string"), field("next", ["null", "Node"]), name="Node")
    result = check(schema(changed), [schema(linked)], L.BACKWARD)
    assert [b.field_path for b in result.breaking_changes] == ["Node.value"]


@pytest.mark.parametrize("level", list(L))
def test_compatible_results_carry_no_explanations(level: L) -> None:
    result = check(schema(ORDER), [schema(ORDER)], level)
    assert result.is_compatible
    assert not result.breaking_changes and not result.messages and not result.recommendations


def test_made_required_breaks_backward_with_a_null_explanation() -> None:
    change = only(order(note="string"), L.BACKWARD)
    assert change.kind == "type_mismatch"
    assert change.field_path == "Order.note"
    assert "no longer accepts null" in change.message
    assert change.recommendation == (
        'keep `Order.note` nullable: ["null", "string"] with default null'
    )
