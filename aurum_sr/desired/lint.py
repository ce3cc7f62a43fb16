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

from aurum_sr.desired.diagnostics import Collector
from aurum_sr.desired.schemas import NAMED_TYPES, SchemaFile, enclosing_namespace, full_name
from aurum_sr.desired.yaml_io import node_position, value_position

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def lint_schema(schema: SchemaFile, diags: Collector) -> None:
    """Run every lint rule over ``schema``; levels come from the collector."""
    # Walk the plain data first: only a schema with findings pays for parsing its positions.
    probe = Collector()
    probe.levels = diags.levels
    _walk(schema.data, "", schema.path, probe)
    if probe.items:
        _walk(schema.located(), "", schema.path, diags)


def _walk(node: Any, namespace: str, path: str, diags: Collector) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, namespace, path, diags)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind in NAMED_TYPES and isinstance(node.get("name"), str):
        full = full_name(node, namespace)
        where = value_position(node, "name")
        if "doc" not in node:
            diags.rule(
                "missing-doc",
                f"{kind} {full} has no doc",
                path,
                where,
                'add "doc": "<what it is>" so consumers know what it means',
            )
        if kind == "enum" and "default" not in node:
            diags.rule(
                "enum-without-default",
                f"enum {full} has no default symbol",
                path,
                where,
                'add "default": "<a symbol such as UNKNOWN>" so old readers can resolve symbols '
                "added later",
            )
        if kind in ("record", "error"):
            for field_node in node.get("fields") or []:
                if isinstance(field_node, dict):
                    _field(field_node, full, path, diags)
        return
    if kind == "array":
        _walk(node.get("items"), namespace, path, diags)
    elif kind == "map":
        _walk(node.get("values"), namespace, path, diags)
    elif isinstance(kind, (dict, list)):
        _walk(kind, namespace, path, diags)


def _field(field_node: dict[Any, Any], record: str, path: str, diags: Collector) -> None:
    name = field_node.get("name")
    label = f"field {record}.{name}"
    where = (
        value_position(field_node, "name") if "name" in field_node else node_position(field_node)
    )
    if isinstance(name, str) and not SNAKE_CASE.match(name):
        diags.rule(
            "field-not-snake-case",
            f"{label} is not snake_case",
            path,
            where,
            f"rename it to {_snake(name)!r} (add the old name to aliases to keep reading old data)",
        )
    if "doc" not in field_node:
        diags.rule(
            "missing-doc",
            f"{label} has no doc",
            path,
            where,
            'add "doc": "<what it holds, with its unit>"',
        )
    branches = field_node.get("type")
    if isinstance(branches, list) and "null" in branches:
        if branches[0] != "null":
            diags.rule(
                "optional-without-null-default",
                f"{label} is optional but null is not the union's first branch",
                path,
                value_position(field_node, "type"),
                'put "null" first and add "default": null',
            )
        elif "default" not in field_node or field_node["default"] is not None:
            diags.rule(
                "optional-without-null-default",
                f"{label} is optional but does not default to null",
                path,
                where,
                'add "default": null so readers can fill it in for old data',
            )
    _walk(branches, enclosing_namespace(record), path, diags)


def _snake(name: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_") or name
