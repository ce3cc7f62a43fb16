"""Lint rules over an Avro schema's JSON, each with a stable rule id the contracts can switch.

- ``missing-doc``: a record, enum or field without ``doc``.
- ``optional-without-null-default``: a union with ``null`` whose default is not ``null`` or
  whose ``null`` is not the first branch (the default must match the first branch).
- ``enum-without-default``: an enum without ``default``, so readers cannot resolve new symbols.
- ``field-not-snake-case``: a field name that is not ``snake_case``.
"""

from __future__ import annotations

import re
from typing import Any

from aurum_sr.formats.avro.names import NAMED_TYPES, enclosing_namespace, full_name
from aurum_sr.formats.protocol import Locate, ProblemLevel, SchemaProblem

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def lint(data: Any, locate: Locate) -> tuple[SchemaProblem, ...]:
    """Every lint finding in ``data`` (a parsed schema document), located by ``locate``."""
    found: list[SchemaProblem] = []
    _walk(data, "", locate, found)
    return tuple(found)


def _rule(
    found: list[SchemaProblem], rule: str, message: str, where: tuple[int, int], hint: str
) -> None:
    found.append(SchemaProblem(rule, ProblemLevel.RULE, message, where, hint))


def _walk(node: Any, namespace: str, locate: Locate, found: list[SchemaProblem]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, namespace, locate, found)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind in NAMED_TYPES and isinstance(node.get("name"), str):
        full = full_name(node, namespace)
        where = locate(node, "name")
        if "doc" not in node:
            _rule(
                found,
                "missing-doc",
                f"{kind} {full} has no doc",
                where,
                'add "doc": "<what it is>" so consumers know what it means',
            )
        if kind == "enum" and "default" not in node:
            _rule(
                found,
                "enum-without-default",
                f"enum {full} has no default symbol",
                where,
                'add "default": "<a symbol such as UNKNOWN>" so old readers can resolve symbols '
                "added later",
            )
        if kind in ("record", "error"):
            for field_node in node.get("fields") or []:
                if isinstance(field_node, dict):
                    _field(field_node, full, locate, found)
        return
    if kind == "array":
        _walk(node.get("items"), namespace, locate, found)
    elif kind == "map":
        _walk(node.get("values"), namespace, locate, found)
    elif isinstance(kind, (dict, list)):
        _walk(kind, namespace, locate, found)


def _field(
    field_node: dict[Any, Any], record: str, locate: Locate, found: list[SchemaProblem]
) -> None:
    name = field_node.get("name")
    label = f"field {record}.{name}"
    where = locate(field_node, "name" if "name" in field_node else None)
    if isinstance(name, str) and not SNAKE_CASE.match(name):
        _rule(
            found,
            "field-not-snake-case",
            f"{label} is not snake_case",
            where,
            f"rename it to {_snake(name)!r} (add the old name to aliases to keep reading old data)",
        )
    if "doc" not in field_node:
        _rule(
            found,
            "missing-doc",
            f"{label} has no doc",
            where,
            'add "doc": "<what it holds, with its unit>"',
        )
    branches = field_node.get("type")
    if isinstance(branches, list) and "null" in branches:
        if branches[0] != "null":
            _rule(
                found,
                "optional-without-null-default",
                f"{label} is optional but null is not the union's first branch",
                locate(field_node, "type"),
                'put "null" first and add "default": null',
            )
        elif "default" not in field_node or field_node["default"] is not None:
            _rule(
                found,
                "optional-without-null-default",
                f"{label} is optional but does not default to null",
                where,
                'add "default": null so readers can fill it in for old data',
            )
    _walk(branches, enclosing_namespace(record), locate, found)


def _snake(name: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_") or name
