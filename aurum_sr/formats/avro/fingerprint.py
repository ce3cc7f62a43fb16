"""Exact structural identities for every node of a parsed schema, to skip unchanged subtrees.

Each node gets a small integer: equal integers mean structurally identical subtrees (type, all
attributes, children; named types by their definition). Integers are hash-consed in one table,
so equality is exact, never a hash that might collide. A reference back to a named type that is
still being numbered (recursion) counts as that type's name: such a reference is only reachable
from inside that type, where the checker treats the type as compatible while in progress anyway.

Every schema reads itself, so identical reader and writer subtrees are compatible without a
walk, with one exception Java has: a record with a field whose alias names a sibling field makes
``lookupWriterField`` throw even against itself; such records (and whatever contains them) get
no identity at all, so the checker always walks them.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from aurum_sr.formats.avro.reader_writer import kind_of

MAX_NODES = 1_000_000
_PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})


class _Table:
    def __init__(self) -> None:
        self.ids: dict[tuple[Any, ...], int] = {}
        self.roots: dict[int, tuple[Any, dict[int, int]]] = {}
        self.lock = threading.Lock()


_TABLE = _Table()


def node_ids(root: Any) -> dict[int, int]:
    """``id(node)`` → structural identity, for every node under ``root`` (cached per root)."""
    with _TABLE.lock:
        hit = _TABLE.roots.get(id(root))
        if hit is not None and hit[0] is root:
            return hit[1]
        if len(_TABLE.ids) > MAX_NODES:
            # Identities from before and after a reset must never meet: drop both together.
            _TABLE.ids.clear()
            _TABLE.roots.clear()
        out: dict[int, int] = {}
        _number(root, out, set(), set())
        _TABLE.roots[id(root)] = (root, out)
        return out


def _props(props: dict[str, Any], skip: tuple[str, ...]) -> tuple[tuple[str, bool, str], ...]:
    return tuple(
        sorted(
            (k, True, v) if isinstance(v, str) else (k, False, json.dumps(v, sort_keys=True))
            for k, v in props.items()
            if k not in skip
        )
    )


def _number(node: Any, out: dict[int, int], active: set[int], unsafe: set[int]) -> int | None:
    """The node's identity, or None when it has none (a sibling-aliasing record, or anything
    containing one): such nodes are left out of ``out`` so nothing shortcuts them."""
    done = out.get(id(node))
    if done is not None:
        return done
    if id(node) in unsafe:
        return None
    props = node.props
    if len(props) == 1 and node.type in _PRIMITIVES:  # the bulk of any schema: a bare primitive
        value = _intern(("primitive", node.type))
        out[id(node)] = value
        return value
    kind = kind_of(node)
    if id(node) in active:
        return _intern(("ref", node.fullname))
    active.add(id(node))
    children: tuple[Any, ...] = ()
    if kind == "record":
        children = tuple(
            (_number(f.type, out, active, unsafe), _props(f.props, ("type",))) for f in node.fields
        )
        missing = any(child is None for child, _ in children) or _aliases_a_sibling(node)
    else:
        if kind == "array":
            children = (_number(node.items, out, active, unsafe),)
        elif kind == "map":
            children = (_number(node.values, out, active, unsafe),)
        elif kind == "union":
            children = tuple(_number(b, out, active, unsafe) for b in node.schemas)
        missing = any(child is None for child in children)
    active.discard(id(node))
    if missing:
        unsafe.add(id(node))
        return None
    value = _intern((node.type, _props(props, ("fields", "items", "values")), children))
    out[id(node)] = value
    return value


def _intern(key: tuple[Any, ...]) -> int:
    value = _TABLE.ids.get(key)
    if value is None:
        value = len(_TABLE.ids)
        _TABLE.ids[key] = value
    return value


def _aliases_a_sibling(record: Any) -> bool:
    names = {f.name for f in record.fields}
    for f in record.fields:
        aliases = f.props.get("aliases")
        if isinstance(aliases, list) and any(a in names and a != f.name for a in aliases):
            return True
    return False
