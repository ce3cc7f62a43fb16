"""Schema identity the registry's way.

Two Avro schemas are the same registry version when their parsed forms are equal: whitespace,
object key order and inherited namespaces do not matter, but ``doc``, ``default``, ``aliases``,
``order``, logical types and custom attributes do. Avro's Parsing Canonical Form is *not* this
identity (it strips exactly the attributes that drive evolution), so it is not used here.

The canonical text produced here is: every named type under its full name with no ``namespace``
key, type aliases as full names, ``{"type": "int"}`` written as ``"int"``, object keys sorted,
no whitespace. Field, symbol and union-branch order are kept, because the registry keeps them.
"""

from __future__ import annotations

import hashlib
import json
import threading
from functools import lru_cache
from typing import Any

from aurum_sr.errors import SchemaInputError
from aurum_sr.model import Schema, SchemaType

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


@lru_cache(maxsize=16384)
def canonical_text(schema_str: str, schema_type: SchemaType = SchemaType.AVRO) -> str:
    """The identity text of a schema; equal texts mean the registry sees the same schema.

    Raises:
        SchemaInputError: the text is not JSON (for AVRO and JSON schemas).
    """
    if schema_type is SchemaType.PROTOBUF:
        return "\n".join(line.strip() for line in schema_str.strip().splitlines() if line.strip())
    try:
        parsed = json.loads(schema_str)
    except json.JSONDecodeError as exc:
        raise SchemaInputError(
            f"schema is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from exc
    if schema_type is SchemaType.AVRO:
        parsed = _canonical(parsed, "")
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest_of(canonical: str) -> bytes:
    """The identity digest of a canonical text (what :func:`same_schema` compares)."""
    return hashlib.sha256(canonical.encode("utf-8")).digest()


# What same_schema compares: the sha256 of the canonical text, kept for every schema seen (32
# bytes each instead of a copy of its text, so it can hold every schema of a large plan: a plan
# compares each subject's desired and latest schema twice, and an LRU cache smaller than that
# working set misses on every second look). Oldest entries go first beyond the limit.
_DIGESTS: dict[tuple[str, SchemaType], bytes] = {}
_DIGESTS_MAX = 1 << 17
_EVICTING = threading.Lock()


def identity_digest(schema_str: str, schema_type: SchemaType = SchemaType.AVRO) -> bytes:
    """The digest of :func:`canonical_text`; cached.

    Raises:
        SchemaInputError: the text is not JSON (for AVRO and JSON schemas).
    """
    found = _DIGESTS.get((schema_str, schema_type))
    if found is None:
        found = digest_of(canonical_text.__wrapped__(schema_str, schema_type))
        remember_identity(schema_str, schema_type, found)
    return found


def remember_identity(schema_str: str, schema_type: SchemaType, digest: bytes) -> None:
    """Record the :func:`identity_digest` of a schema computed elsewhere (by the process that
    checked the desired schemas), so that it is not computed again here."""
    with _EVICTING:
        if len(_DIGESTS) >= _DIGESTS_MAX:
            _DIGESTS.pop(next(iter(_DIGESTS)), None)
        _DIGESTS[(schema_str, schema_type)] = digest


def same_schema(a: Schema, b: Schema) -> bool:
    """True when the registry would treat ``a`` and ``b`` as the same schema (same id)."""
    return (
        a.schema_type is b.schema_type
        and a.references == b.references
        and identity_digest(a.schema_str, a.schema_type)
        == identity_digest(b.schema_str, b.schema_type)
    )
