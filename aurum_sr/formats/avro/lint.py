"""Lint rules over an Avro schema's JSON, each with a stable rule id the contracts can switch.

- ``missing-doc``: a record, enum or field without ``doc``.
- ``optional-without-null-default``: a union with ``null`` whose default is not ``null`` or
  whose ``null`` is not the first branch (the default must match the first branch).
- ``enum-without-default``: an enum without ``default``, so readers cannot resolve new symbols.
- ``field-not-snake-case``: a field name that is not ``snake_case``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from aurum_sr.formats.avro.names import NAMED_TYPES, enclosing_namespace, full_name
from aurum_sr.formats.protocol import Locate, ProblemLevel, SchemaProblem

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
MISSING_DOC = "missing-doc"
ENUM_WITHOUT_DEFAULT = "enum-without-default"
NOT_SNAKE_CASE = "field-not-snake-case"
OPTIONAL = "optional-without-null-default"


def lint(
    data: Any, locate: Locate, *, off: Collection[str] = frozenset()
) -> tuple[SchemaProblem, ...]:
    """Every lint finding in ``data`` (a parsed schema document), located by ``locate``; the
    rules in ``off`` are not checked."""
    run = _Lint(locate, off)
    if run.doc or run.enum_default or run.snake_case or run.optional:  # else nothing to find
        run.walk(data, "")
    return tuple(run.found)


class _Lint:
    # Most findings of a large repository are of rules switched off: those are never built.
    def __init__(self, locate: Locate, off: Collection[str]) -> None:
        self.locate = locate
        self.found: list[SchemaProblem] = []
        self.doc = MISSING_DOC not in off
        self.enum_default = ENUM_WITHOUT_DEFAULT not in off
        self.snake_case = NOT_SNAKE_CASE not in off
        self.optional = OPTIONAL not in off

    def rule(self, rule: str, message: str, where: tuple[int, int], hint: str) -> None:
        self.found.append(SchemaProblem(rule, ProblemLevel.RULE, message, where, hint))

    def walk(self, node: Any, namespace: str) -> None:
        if isinstance(node, list):
            for item in node:
                self.walk(item, namespace)
            return
        if not isinstance(node, dict):
            return
        kind = node.get("type")
        if kind in NAMED_TYPES and isinstance(node.get("name"), str):
            full = full_name(node, namespace)
            if self.doc and "doc" not in node:
                self.rule(
                    MISSING_DOC,
                    f"{kind} {full} has no doc",
                    self.locate(node, "name"),
                    'add "doc": "<what it is>" so consumers know what it means',
                )
            if self.enum_default and kind == "enum" and "default" not in node:
                self.rule(
                    ENUM_WITHOUT_DEFAULT,
                    f"enum {full} has no default symbol",
                    self.locate(node, "name"),
                    'add "default": "<a symbol such as UNKNOWN>" so old readers can resolve '
                    "symbols added later",
                )
            if kind in ("record", "error"):
                for field_node in node.get("fields") or []:
                    if isinstance(field_node, dict):
                        self.field(field_node, full)
            return
        if kind == "array":
            self.walk(node.get("items"), namespace)
        elif kind == "map":
            self.walk(node.get("values"), namespace)
        elif isinstance(kind, (dict, list)):
            self.walk(kind, namespace)

    def field(self, field_node: dict[Any, Any], record: str) -> None:
        name = field_node.get("name")
        if self.snake_case and isinstance(name, str) and not SNAKE_CASE.match(name):
            self.rule(
                NOT_SNAKE_CASE,
                f"field {record}.{name} is not snake_case",
                self._where(field_node),
                f"rename it to {_snake(name)!r} (add the old name to aliases to keep reading "
                "old data)",
            )
        if self.doc and "doc" not in field_node:
            self.rule(
                MISSING_DOC,
                f"field {record}.{name} has no doc",
                self._where(field_node),
                'add "doc": "<what it holds, with its unit>"',
            )
        branches = field_node.get("type")
        if self.optional and isinstance(branches, list) and "null" in branches:
            if branches[0] != "null":
                self.rule(
                    OPTIONAL,
                    f"field {record}.{name} is optional but null is not the union's first branch",
                    self.locate(field_node, "type"),
                    'put "null" first and add "default": null',
                )
            elif "default" not in field_node or field_node["default"] is not None:
                self.rule(
                    OPTIONAL,
                    f"field {record}.{name} is optional but does not default to null",
                    self._where(field_node),
                    'add "default": null so readers can fill it in for old data',
                )
        self.walk(branches, enclosing_namespace(record))

    def _where(self, field_node: dict[Any, Any]) -> tuple[int, int]:
        return self.locate(field_node, "name" if "name" in field_node else None)


def _snake(name: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_") or name
