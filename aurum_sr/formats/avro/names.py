"""The named types an Avro schema defines, and whether its names are obviously strict."""

from __future__ import annotations

from typing import Any

from aurum_sr.formats.avro.parse import obviously_strict
from aurum_sr.formats.protocol import SchemaNames

NAMED_TYPES = ("record", "error", "enum", "fixed")


def schema_names(data: Any, *, strictness: bool = True) -> SchemaNames:
    """The top-level named type, every named type defined, and :func:`obviously_strict` (False
    without ``strictness``: not scanned), of a parsed Avro schema document."""
    top = (
        full_name(data, "") if isinstance(data, dict) and data.get("type") in NAMED_TYPES else None
    )
    names: set[str] = set()
    _collect_names(data, "", names)
    return SchemaNames(top, frozenset(names), strictness and obviously_strict(data))


def full_name(node: dict[Any, Any], namespace: str) -> str:
    """The full name of a named type, given the namespace it inherits."""
    name = str(node.get("name", ""))
    if "." in name:
        return name
    own = node.get("namespace")
    space = own if isinstance(own, str) else namespace
    return f"{space}.{name}" if space else name


def enclosing_namespace(full: str) -> str:
    """The namespace a named type passes on to the types nested in it."""
    return full.rpartition(".")[0]


def _collect_names(node: Any, namespace: str, names: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _collect_names(item, namespace, names)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind in NAMED_TYPES and isinstance(node.get("name"), str):
        full = full_name(node, namespace)
        names.add(full)
        namespace = enclosing_namespace(full)
        for field_node in node.get("fields") or []:
            if isinstance(field_node, dict):
                _collect_names(field_node.get("type"), namespace, names)
        return
    if kind == "array":
        _collect_names(node.get("items"), namespace, names)
    elif kind == "map":
        _collect_names(node.get("values"), namespace, names)
    elif isinstance(kind, (dict, list)):
        _collect_names(kind, namespace, names)
