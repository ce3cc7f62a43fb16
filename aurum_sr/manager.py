"""``SchemaRegistryManager``: the seed's small imperative API over any registry backend.

For scripts and notebooks; the GitOps pipeline (plan/apply) does not go through it. Reads are
cached for ``config.cache_ttl_seconds``; the manager's own writes invalidate what they touch.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from aurum_sr.compat.result import CompatibilityResult
from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.errors import RegistryError, SchemaInputError, SubjectNotFoundError
from aurum_sr.model import CompatibilityLevel, RegisteredSchema, Schema, SchemaReference
from aurum_sr.registry import open_registry
from aurum_sr.registry.engine import check_compatibility
from aurum_sr.registry.protocol import Registry

T = TypeVar("T")
SchemaInput = Schema | str | Mapping[str, Any]


def as_schema(schema: SchemaInput) -> Schema:
    """A :class:`Schema` from a Schema, a JSON string or a parsed Avro schema (dict).

    Raises:
        SchemaInputError: the value is neither.
    """
    if isinstance(schema, Schema):
        return schema
    if isinstance(schema, str):
        try:
            json.loads(schema)
        except json.JSONDecodeError as exc:
            raise SchemaInputError(
                f"schema is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
            ) from exc
        return Schema(schema)
    if isinstance(schema, Mapping):
        return Schema(json.dumps(dict(schema)))
    raise SchemaInputError(
        f"cannot use a {type(schema).__name__} as a schema",
        hint="pass an aurum_sr.model.Schema, a JSON string or a dict",
    )


class _TtlCache:
    def __init__(self, ttl: float) -> None:
        self._ttl = ttl
        self._items: dict[object, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def get(self, key: object, load: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and now - hit[0] < self._ttl:
                return hit[1]  # type: ignore[return-value]
        value = load()
        if self._ttl > 0:
            with self._lock:
                self._items[key] = (now, value)
        return value

    def drop(self, predicate: Callable[[object], bool]) -> None:
        with self._lock:
            for key in [k for k in self._items if predicate(k)]:
                del self._items[key]


class SchemaRegistryManager:
    """Register, read and check schemas in one registry.

    ``registry`` overrides the backend ``config`` would open (useful in tests).
    """

    def __init__(
        self,
        config: SchemaRegistryConfig | None = None,
        *,
        registry: Registry | None = None,
    ) -> None:
        self.config = config or SchemaRegistryConfig()
        self.registry = registry if registry is not None else open_registry(self.config)
        self._cache = _TtlCache(self.config.cache_ttl_seconds)

    def _invalidate(self, subject: str | None) -> None:
        self._cache.drop(
            lambda key: key == "status" or (isinstance(key, tuple) and key[1] == subject)
        )

    def register_subject(
        self,
        subject: str,
        schema: SchemaInput,
        compatibility_mode: CompatibilityLevel | str | None = None,
    ) -> int:
        """Register ``schema`` under ``subject`` and return its schema id.

        When ``compatibility_mode`` is given and differs from the subject's own level, the
        subject's level is set first (so the registration is checked under it).

        Raises:
            IncompatibleSchemaError, InvalidSchemaError, OperationNotPermittedError,
            SchemaRegistryConnectionError.
        """
        wanted = as_schema(schema)
        try:
            if compatibility_mode is not None:
                level = CompatibilityLevel(str(compatibility_mode).upper())
                if self.registry.get_compatibility(subject) is not level:
                    self.registry.set_compatibility(level, subject)
            return self.registry.register(subject, wanted).schema_id
        finally:
            self._invalidate(subject)

    def get_latest_schema(self, subject: str) -> RegisteredSchema | None:
        """The latest live version of ``subject``, or None when it has none."""

        def load() -> RegisteredSchema | None:
            try:
                return self.registry.get_version(subject, "latest")
            except SubjectNotFoundError:
                return None
            except RegistryError as exc:
                if exc.error_code == 40402:
                    return None
                raise

        return self._cache.get(("latest", subject), load)

    def check_compatibility(self, subject: str, schema: SchemaInput) -> CompatibilityResult:
        """Would ``schema`` be accepted under ``subject``'s effective level? Checked locally
        against the live versions the registry would compare with."""
        wanted = as_schema(schema)
        level = self.registry.get_compatibility(subject, default_to_global=True)
        if level is None:
            level = self.config.default_compatibility_mode
        try:
            live = [
                self.registry.get_version(subject, v) for v in self.registry.list_versions(subject)
            ]
        except SubjectNotFoundError:
            live = []

        def resolve(ref: SchemaReference) -> Schema:
            return self.registry.get_version(ref.subject, ref.version, deleted=True).schema

        return check_compatibility(wanted, live, level, resolve)

    def get_registry_status(self) -> dict[str, Any]:
        """Counts and global settings; an ``error`` key instead of an exception when the
        registry cannot be reached or read."""

        def load() -> dict[str, Any]:
            try:
                status = self.registry.status()
            except RegistryError as exc:
                return {"registry": self.registry.name, "reachable": False, "error": exc.message}
            if not status.reachable:
                return {
                    "registry": status.registry,
                    "reachable": False,
                    "error": status.error or f"registry {status.registry} is unreachable",
                }
            return {
                "registry": status.registry,
                "reachable": True,
                "server_version": status.server_version,
                "total_subjects": status.total_subjects,
                "total_schemas": status.total_schemas,
                "global_compatibility": status.global_compatibility.value
                if status.global_compatibility
                else None,
                "global_mode": status.global_mode.value if status.global_mode else None,
            }

        return self._cache.get("status", load)

    def close(self) -> None:
        self.registry.close()
