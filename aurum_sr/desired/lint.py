"""Lint rules over each schema file, from the file's schema format (for Avro,
:mod:`aurum_sr.formats.avro.lint`); each has a stable rule id the contracts can switch."""

from __future__ import annotations

from aurum_sr.desired.diagnostics import Collector, Level
from aurum_sr.desired.schemas import SchemaFile
from aurum_sr.desired.validity import report
from aurum_sr.desired.yaml_io import Position, node_position, value_position
from aurum_sr.formats import schema_format


def lint_schema(schema: SchemaFile, diags: Collector) -> None:
    """Run every lint rule over ``schema``; levels come from the collector."""
    lint = schema_format(schema.schema_type).lint
    off = {rule for rule, level in diags.levels.items() if level is Level.OFF}
    # Walk the plain data first: only a schema with findings pays for parsing its positions.
    found = lint(schema.data, locate, off=off)
    if found:
        report(lint(schema.located(), locate, off=off), schema.path, diags)


def locate(node: object, key: str | None) -> Position:
    """Where ``node[key]``'s value (or ``node`` itself) is written; ``(0, 0)`` for plain data."""
    return node_position(node) if key is None else value_position(node, key)
