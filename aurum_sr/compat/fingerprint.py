"""Exact structural identities for every node of a parsed schema, to skip unchanged subtrees.

Each node gets a small integer: equal integers mean structurally identical subtrees (type, all
attributes, children; named types by their definition). Integers are hash-consed in one table,
so equality is exact, never a hash that might collide. A reference back to a named type that is
still being numbered (recursion) counts as that type's name: such a reference is only reachable
from inside that type, where the checker treats the type as compatible while in progress anyway.

Every schema reads itself, so identical reader and writer subtrees are compatible without a
walk, with one exception Java has: a record with a field whose alias names a sibling field makes
``lookupWriterField`` throw even against itself; such records never get a shared identity.
"""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any

from aurum_sr.compat.reader_writer import kind_of

MAX_NODES = 1_000_000


class _Table:
    def __init__(self) -> None:
        self.ids: dict[tuple[Any, ...], int] = {}
        self.roots: dict[int, tuple[Any, dict[int, int]]] = {}
        self.unique = itertools.count()
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
        _number(root, out, set())
        _TABLE.roots[id(root)] = (root, out)
        return out


def _props(props: dict[str, Any], skip: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple(
        sorted((k, json.dumps(v, sort_keys=True)) for k, v in props.items() if k not in skip)
    )


def _number(node: Any, out: dict[int, int], active: set[int]) -> int:
    done = out.get(id(node))
    if done is not None:
        return done
    kind = kind_of(node)
    if id(node) in active:
        return _intern(("ref", node.fullname))
    active.add(id(node))
    children: tuple[Any, ...] = ()
    if kind == "record":
        children = tuple(
            (_number(f.type, out, active), _props(f.props, ("type",))) for f in node.fields
        )
    elif kind == "array":
        children = (_number(node.items, out, active),)
    elif kind == "map":
        children = (_number(node.values, out, active),)
    elif kind == "union":
        children = tuple(_number(b, out, active) for b in node.schemas)
    active.discard(id(node))
    key: tuple[Any, ...] = (node.type, _props(node.props, ("fields", "items", "values")), children)
    if kind == "record" and _aliases_a_sibling(node):
        key = ("unique", next(_TABLE.unique))
    value = _intern(key)
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
