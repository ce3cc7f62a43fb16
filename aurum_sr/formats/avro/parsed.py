"""Parsed Avro schemas, cached by registry identity, for the checker and the change list.

A schema's key is its canonical text plus the keys of what its references resolve to, so a plan
that checks the same schemas many times parses each distinct schema once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from functools import lru_cache
from typing import Any, Generic, TypeVar

from aurum_sr.errors import SchemaInputError
from aurum_sr.formats.avro.canonical import canonical_text
from aurum_sr.formats.avro.parse import ReferenceResolver, parse_avro
from aurum_sr.model import Schema, SchemaType

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

SchemaKey = tuple[str, tuple[Any, ...]]
"""A schema's identity: canonical text plus its references' identities."""


class Lru(Generic[K, V]):
    """A small thread-safe LRU map."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_PARSED: Lru[SchemaKey, Any] = Lru(4096)
_identity = lru_cache(maxsize=16384)(canonical_text)


def clear_parsed() -> None:
    """Forget every parsed schema (for benchmarks and tests)."""
    _PARSED.clear()


def schema_key(schema: Schema, resolver: ReferenceResolver | None = None) -> SchemaKey:
    """The identity a parsed schema is cached under.

    References are part of the identity through the *content* they resolve to, so two registries
    holding different schemas under the same subject/version never share a cache entry.
    """
    if schema.schema_type is not SchemaType.AVRO:
        raise SchemaInputError(f"{schema.schema_type.value} schemas are not supported yet")
    refs: tuple[Any, ...] = ()
    if schema.references:
        if resolver is None:
            ref = schema.references[0]
            raise SchemaInputError(
                f"schema references {ref.name} (subject {ref.subject!r} version {ref.version}) "
                "but no referenced schemas were given"
            )
        refs = tuple(
            (ref.name, ref.subject, ref.version, schema_key(resolver(ref), resolver))
            for ref in schema.references
        )
    return _identity(schema.schema_str), refs


def parsed(schema: Schema, resolver: ReferenceResolver | None = None) -> tuple[SchemaKey, Any]:
    """The parsed Avro schema for ``schema`` (cached by identity) and its key."""
    key = schema_key(schema, resolver)
    hit = _PARSED.get(key)
    if hit is None:
        hit = parse_avro(schema, resolver)
        _PARSED.put(key, hit)
    return key, hit
