"""What an Avro schema document names, and its lint findings, straight from the format."""

from __future__ import annotations

from typing import Any

import pytest

from aurum_sr.formats import ProblemLevel, SchemaNames
from aurum_sr.formats.avro import FORMAT

ORDER: dict[str, Any] = {
    "type": "record",
    "name": "Order",
    "namespace": "aurum.shop",
    "doc": "An order.",
    "fields": [
        {
            "name": "status",
            "doc": "Where it is.",
            "type": {"type": "enum", "name": "Status", "symbols": ["NEW"], "default": "NEW"},
        },
        {"name": "geo", "doc": "Where.", "type": {"type": "fixed", "name": "x.Geo", "size": 2}},
    ],
}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            ORDER,
            SchemaNames(
                "aurum.shop.Order",
                frozenset({"aurum.shop.Order", "aurum.shop.Status", "x.Geo"}),
                True,
            ),
            id="nested names inherit the namespace",
        ),
        pytest.param("string", SchemaNames(None, frozenset(), True), id="unnamed"),
        pytest.param(
            {"type": "record", "name": "bad-name", "fields": []},
            SchemaNames("bad-name", frozenset({"bad-name"}), False),
            id="a name the specification refuses is not obviously strict",
        ),
    ],
)
def test_names(data: Any, expected: SchemaNames) -> None:
    assert FORMAT.names(data) == expected


KEYS = ["name", "type", None]


def at(node: Any, key: str | None) -> tuple[int, int]:
    """A locate that says which key it was asked about: line 1 name, 2 type, 3 the node."""
    return (KEYS.index(key) + 1, 0)


@pytest.mark.parametrize(
    ("field", "rules"),
    [
        pytest.param({"name": "ok", "doc": "d", "type": "long"}, [], id="clean"),
        pytest.param({"name": "ok", "type": "long"}, [("missing-doc", (1, 0))], id="no doc"),
        pytest.param(
            {"name": "camelCase", "doc": "d", "type": "long"},
            [("field-not-snake-case", (1, 0))],
            id="not snake_case",
        ),
        pytest.param(
            {"name": "opt", "doc": "d", "type": ["string", "null"]},
            [("optional-without-null-default", (2, 0))],
            id="null not first",
        ),
        pytest.param(
            {"name": "opt", "doc": "d", "type": ["null", "string"]},
            [("optional-without-null-default", (1, 0))],
            id="no null default",
        ),
        pytest.param(
            {"doc": "d", "type": ["long", "null"]},
            [("optional-without-null-default", (2, 0))],
            id="a field without a name",
        ),
        pytest.param(
            {"type": ["null", "long"]},
            [("missing-doc", (3, 0)), ("optional-without-null-default", (3, 0))],
            id="a field without a name is located by itself",
        ),
    ],
)
def test_lint(field: dict[str, Any], rules: list[tuple[str, tuple[int, int]]]) -> None:
    data = {"type": "record", "name": "R", "doc": "d", "fields": [field]}
    found = FORMAT.lint(data, at)
    assert all(p.level is ProblemLevel.RULE and p.hint for p in found)
    assert [(p.rule, p.position) for p in found] == rules


def test_rules_switched_off_are_not_checked() -> None:
    data = {"type": "record", "name": "R", "fields": [{"name": "camelCase", "type": "long"}]}
    every = [p.rule for p in FORMAT.lint(data, at)]
    assert every == ["missing-doc", "field-not-snake-case", "missing-doc"]
    assert [p.rule for p in FORMAT.lint(data, at, off={"missing-doc"})] == ["field-not-snake-case"]


class _Untouchable(dict[str, Any]):
    def get(self, *args: Any) -> Any:
        raise AssertionError("walked a schema with every lint rule off")


def test_lint_with_every_rule_off_does_not_walk_the_schema() -> None:
    rules = ("missing-doc", "optional-without-null-default", "enum-without-default")
    off = {*rules, "field-not-snake-case"}
    assert FORMAT.lint(_Untouchable(ORDER), lambda node, key: (0, 0), off=off) == ()
    with pytest.raises(AssertionError, match="walked"):
        FORMAT.lint(_Untouchable(ORDER), lambda node, key: (0, 0), off=set(rules))
