"""``SchemaRegistryManager``: the seed's small imperative API over any registry backend.

For scripts and notebooks; the GitOps pipeline (plan/apply) does not go through it. Reads are
cached for ``config.cache_ttl_seconds``; the manager's own writes invalidate what they touch.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from aurum_sr.compat.result import CompatibilityResult
from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.errors import (
    ConfigError,
    ContractError,
    IncompatibleSchemaError,
    InvalidSchemaError,
    RegistryError,
    SchemaInputError,
    SubjectNotFoundError,
)
from aurum_sr.formats import schema_format
from aurum_sr.model import (
    CompatibilityLevel,
    DesiredState,
    Lifecycle,
    RegisteredSchema,
    Schema,
    SchemaReference,
)
from aurum_sr.registry import open_registry
from aurum_sr.registry.engine import check_compatibility
from aurum_sr.registry.protocol import Registry

T = TypeVar("T")
log = logging.getLogger("aurum_sr.manager")
SchemaInput = Schema | str | Mapping[str, Any]


def _no_references(ref: SchemaReference) -> Schema:
    raise SchemaInputError(
        f"reference {ref.name} (subject {ref.subject!r} version {ref.version}) was not resolved: "
        "validate_references is off"
    )


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
        self._contracts: DesiredState | None = None

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
        if self.config.enforce_contracts:
            self._require_contract(subject)
        if self.config.validate_schema:
            resolver = self._resolve if self.config.validate_references else _no_references
            try:
                schema_format(wanted.schema_type).validate(wanted, resolver)
            except SchemaInputError as exc:
                raise InvalidSchemaError(
                    f"{subject}: {exc.message}; nothing was sent to {self.registry.name}",
                    registry=self.registry.name,
                    subject=subject,
                ) from exc
        level = (
            CompatibilityLevel(str(compatibility_mode).upper())
            if compatibility_mode is not None
            else None
        )
        if self.config.enforce_compatibility:
            result = self.check_compatibility(subject, wanted, level=level)
            if not result.is_compatible:
                details = "; ".join(result.messages)
                if self.config.fail_on_incompatible:
                    raise IncompatibleSchemaError(
                        f"{subject}: the schema is {result.summary()} ({details}); "
                        f"nothing was written to {self.registry.name}",
                        registry=self.registry.name,
                        subject=subject,
                        hint="; ".join(result.recommendations) or None,
                    )
                log.warning("%s: %s (%s); registering anyway", subject, result.summary(), details)
        try:
            if level is not None and self.registry.get_compatibility(subject) is not level:
                self.registry.set_compatibility(level, subject)
            return self.registry.register(subject, wanted).schema_id
        finally:
            self._invalidate(subject)

    def _resolve(self, ref: SchemaReference) -> Schema:
        return self.registry.get_version(ref.subject, ref.version).schema

    def _require_contract(self, subject: str) -> None:
        """Refuse ``subject`` unless the contracts list it as present (enforce_contracts)."""
        path = Path(self.config.contracts_path)
        if not path.is_file():
            if self.config.fail_on_missing_contract:
                raise ConfigError(
                    f"enforce_contracts is on but there is no contracts file at {path}",
                    hint="set contracts_path, or turn enforce_contracts off",
                )
            log.warning("no contracts file at %s: contracts are not enforced", path)
            return
        if self._contracts is None:
            from aurum_sr.desired import load_desired

            root = path.parent.parent if path.parent.name == "contracts" else path.parent
            self._contracts = load_desired(root, contracts=str(path.relative_to(root))).state
        spec = self._contracts.subjects.get(subject)
        if spec is None or spec.lifecycle is not Lifecycle.PRESENT:
            why = "does not list it" if spec is None else "want it absent"
            raise ContractError(
                f"{subject}: the contracts at {path} {why}; nothing was written",
                hint="add the subject to contracts.yml (or turn enforce_contracts off)",
            )

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

    def check_compatibility(
        self,
        subject: str,
        schema: SchemaInput,
        *,
        level: CompatibilityLevel | None = None,
    ) -> CompatibilityResult:
        """Would ``schema`` be accepted under ``subject``'s effective level (or ``level``)?
        Checked locally against the live versions the registry would compare with."""
        wanted = as_schema(schema)
        if level is None:
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
