"""Avro schema identity the registry's way.

Two Avro schemas are the same registry version when their parsed forms are equal: whitespace,
object key order and inherited namespaces do not matter, but ``doc``, ``default``, ``aliases``,
``order``, logical types and custom attributes do. Avro's Parsing Canonical Form is *not* this
identity (it strips exactly the attributes that drive evolution), so it is not used here.

The canonical text produced here is: every named type under its full name with no ``namespace``
key, type aliases as full names, ``{"type": "int"}`` written as ``"int"``, object keys sorted,
no whitespace. Field, symbol and union-branch order are kept, because the registry keeps them.
"""

from __future__ import annotations

from typing import Any

from aurum_sr.formats.json_text import dump_canonical, load_json

PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
NAMED = frozenset({"record", "error", "enum", "fixed"})
COMPLEX = NAMED | {"array", "map"}


def full_name(name: str, namespace: str | None) -> str:
    """The full name of ``name`` as written inside ``namespace`` (Avro naming rules)."""
    if "." in name or not namespace:
        return name
    return f"{namespace}.{name}"


def _namespace_of(fullname: str) -> str:
    return fullname.rpartition(".")[0]


def _canonical(node: Any, namespace: str) -> Any:
    if isinstance(node, str):
        return node if node in PRIMITIVES else full_name(node, namespace)
    if isinstance(node, list):
        return [_canonical(branch, namespace) for branch in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("type")
    if isinstance(kind, str) and kind in PRIMITIVES and len(node) == 1:
        return kind
    out: dict[str, Any] = {}
    inner_namespace = namespace
    if isinstance(kind, str) and kind in NAMED and isinstance(node.get("name"), str):
        own_namespace = node.get("namespace")
        enclosing = own_namespace if isinstance(own_namespace, str) else namespace
        name = full_name(node["name"], enclosing)
        inner_namespace = _namespace_of(name)
        out["name"] = name
        if isinstance(node.get("aliases"), list):
            out["aliases"] = [
                full_name(a, inner_namespace) if isinstance(a, str) else a for a in node["aliases"]
            ]
    for key, value in node.items():
        if key in out or (key == "namespace" and "name" in out):
            continue
        if key == "type":
            keyword = isinstance(value, str) and value in COMPLEX
            out[key] = value if keyword else _canonical(value, namespace)
        elif key in ("items", "values"):
            out[key] = _canonical(value, inner_namespace)
        elif key == "fields" and isinstance(value, list):
            out[key] = [_canonical_field(f, inner_namespace) for f in value]
        else:
            out[key] = value
    return out


def _canonical_field(field: Any, namespace: str) -> Any:
    if not isinstance(field, dict):
        return field
    return {
        key: (_canonical(value, namespace) if key == "type" else value)
        for key, value in field.items()
    }


def canonical_text(schema_str: str) -> str:
    """The identity text of an Avro schema.

    Raises:
        SchemaInputError: the text is not JSON.
    """
    return dump_canonical(_canonical(load_json(schema_str), ""))
