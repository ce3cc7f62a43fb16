"""The in-memory registry: the engine behind the :class:`~aurum_sr.registry.protocol.Registry`
protocol. The snapshot-file backend builds on the same class."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TypeVar

from aurum_sr.capabilities import LOCAL, Capabilities
from aurum_sr.datacontracts import ContractConfig
from aurum_sr.errors import RegistryError, SchemaNotFoundError, SubjectNotFoundError
from aurum_sr.model import (
    CompatibilityLevel,
    LiveState,
    Mode,
    RegisteredSchema,
    Schema,
    SubjectState,
)
from aurum_sr.registry.engine import RegistryEngine
from aurum_sr.registry.protocol import Registration, RegistryStatus, RemoteVerdict, VersionSpec

T = TypeVar("T")


class LocalRegistry:
    """A registry whose state is a :class:`RegistryEngine` in this process.

    Subclasses hook :meth:`_read` and :meth:`_write` to load and persist the engine.
    """

    def __init__(self, engine: RegistryEngine) -> None:
        self._engine = engine
        self._count = 0
        self._count_lock = threading.Lock()

    @property
    def engine(self) -> RegistryEngine:
        return self._engine

    @property
    def name(self) -> str:
        return self._engine.name

    @property
    def request_count(self) -> int:
        return self._count

    def _tick(self) -> None:
        with self._count_lock:
            self._count += 1

    def _read(self, operation: Callable[[RegistryEngine], T]) -> T:
        self._tick()
        return operation(self._engine)

    def _write(self, operation: Callable[[RegistryEngine], T]) -> T:
        self._tick()
        return operation(self._engine)

    # -- reads -------------------------------------------------------------------------------

    def list_subjects(self, *, deleted: bool = False, prefix: str | None = None) -> list[str]:
        return self._read(lambda e: e.list_subjects(deleted=deleted, prefix=prefix))

    def list_versions(self, subject: str, *, deleted: bool = False) -> list[int]:
        return self._read(lambda e: e.list_versions(subject, deleted=deleted))

    def get_version(
        self, subject: str, version: VersionSpec, *, deleted: bool = False
    ) -> RegisteredSchema:
        return self._read(lambda e: e.get_version(subject, version, deleted=deleted))

    def get_schema_by_id(self, schema_id: int) -> Schema:
        return self._read(lambda e: e.get_schema_by_id(schema_id))

    def referenced_by(self, subject: str, version: int) -> list[tuple[str, int]]:
        return self._read(lambda e: e.referenced_by(subject, version))

    def lookup(
        self, subject: str, schema: Schema, *, normalize: bool = False, deleted: bool = False
    ) -> RegisteredSchema | None:
        # Identity is already normalised (canonical text), so ``normalize`` changes nothing here.
        def run(e: RegistryEngine) -> RegisteredSchema | None:
            try:
                return e.lookup(subject, schema, deleted=deleted)
            except (SubjectNotFoundError, SchemaNotFoundError):
                return None

        return self._read(run)

    def get_compatibility(
        self, subject: str | None = None, *, default_to_global: bool = False
    ) -> CompatibilityLevel | None:
        return self._read(
            lambda e: e.get_compatibility(subject, default_to_global=default_to_global)
        )

    def get_mode(
        self, subject: str | None = None, *, default_to_global: bool = False
    ) -> Mode | None:
        return self._read(lambda e: e.get_mode(subject, default_to_global=default_to_global))

    def get_contract_config(self, subject: str) -> ContractConfig:
        return self._read(lambda e: e.get_contract_config(subject))

    def test_compatibility(
        self, subject: str, schema: Schema, *, version: VersionSpec | None = None
    ) -> RemoteVerdict:
        result = self._read(lambda e: e.test_compatibility(subject, schema, version=version))
        return RemoteVerdict(
            is_compatible=result.is_compatible,
            messages=tuple(b.message for b in result.breaking_changes),
        )

    def capabilities(self) -> Capabilities:
        """This tool's own engine: everything the API has but contexts."""
        return LOCAL

    def read_state(
        self,
        subjects: Iterable[str],
        *,
        list_prefixes: Iterable[str] = (),
        modes_for: Iterable[str] | None = None,
        latest_only: bool = False,
        configs_for: Iterable[str] | None = None,
    ) -> LiveState:
        """See :meth:`Registry.read_state`."""
        wanted, prefixes = list(subjects), list(list_prefixes)
        state = self._read(lambda e: e.read_state(wanted, prefixes, latest_only=latest_only))
        if modes_for is None and configs_for is None:
            return state
        # Same answer as the HTTP backend, which does not read settings it was not asked for
        # (and leaves out a subject with neither a version nor a setting it read).
        modes = None if modes_for is None else set(modes_for)
        configs = None if configs_for is None else set(configs_for)
        trimmed: dict[str, SubjectState] = {}
        for name, s in state.subjects.items():
            if modes is not None and name not in modes:
                s = replace(s, mode=None)
            if configs is not None and name not in configs:
                s = replace(s, compatibility=None)
            if s.versions or s.compatibility is not None or s.mode is not None:
                trimmed[name] = s
        return replace(state, subjects=trimmed)

    def lists_in_bulk(self) -> bool:
        # Every write here is atomic and is its own confirmation: nothing to confirm in bulk.
        return False

    def latest_versions(self, subjects: Iterable[str]) -> dict[str, RegisteredSchema] | None:
        return None

    def status(self) -> RegistryStatus:
        def run(e: RegistryEngine) -> RegistryStatus:
            with e.lock:
                subjects = e.list_subjects()
                ids = {
                    v.schema_id
                    for s in subjects
                    for v in e.subjects[s].versions.values()
                    if not v.deleted
                }
                return RegistryStatus(
                    registry=e.name,
                    reachable=True,
                    server_version=None,
                    total_subjects=len(subjects),
                    total_schemas=len(ids),
                    global_compatibility=e.global_compatibility,
                    global_mode=e.global_mode,
                    capabilities=LOCAL,
                )

        return self._read(run)

    # -- writes ------------------------------------------------------------------------------

    def register(
        self,
        subject: str,
        schema: Schema,
        *,
        normalize: bool = False,
        schema_id: int | None = None,
        version: int | None = None,
    ) -> RegisteredSchema:
        return self._write(
            lambda e: e.register(subject, schema, schema_id=schema_id, version=version)
        )

    def register_unconfirmed(
        self, subject: str, schema: Schema, *, normalize: bool = False
    ) -> Registration:
        done = self.register(subject, schema, normalize=normalize)
        return Registration(subject, done.schema_id, done.version)

    def confirm_registration(
        self, answer: Registration, schema: Schema, *, normalize: bool = False
    ) -> RegisteredSchema:
        found = self.lookup(answer.subject, schema, normalize=normalize)
        if found is None or found.schema_id != answer.schema_id:
            raise RegistryError(
                f"registry {self.name} does not hold schema id {answer.schema_id} under "
                f"subject {answer.subject!r}: the write was not stored",
                registry=self.name,
                subject=answer.subject,
            )
        return found

    def set_compatibility(self, level: CompatibilityLevel, subject: str | None = None) -> None:
        self._write(lambda e: e.set_compatibility(level, subject))

    def delete_compatibility(self, subject: str) -> None:
        def run(e: RegistryEngine) -> None:
            # Nothing set (40401) is fine: the subject already inherits, as over HTTP.
            with contextlib.suppress(SubjectNotFoundError):
                e.delete_compatibility(subject)

        self._write(run)

    def set_contract_config(self, subject: str, config: ContractConfig) -> None:
        self._write(lambda e: e.set_contract_config(subject, config))

    def set_mode(self, mode: Mode, subject: str | None = None, *, force: bool = False) -> None:
        self._write(lambda e: e.set_mode(mode, subject, force=force))

    def delete_mode(self, subject: str) -> None:
        def run(e: RegistryEngine) -> None:
            with contextlib.suppress(SubjectNotFoundError):
                e.delete_mode(subject)

        self._write(run)

    def delete_subject(self, subject: str, *, permanent: bool = False) -> list[int]:
        return self._write(lambda e: e.delete_subject(subject, permanent=permanent))

    def delete_version(self, subject: str, version: int, *, permanent: bool = False) -> int:
        return self._write(lambda e: e.delete_version(subject, version, permanent=permanent))

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> LocalRegistry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InMemoryRegistry(LocalRegistry):
    """A whole registry in memory, with the registry's semantics (tests, dry runs)."""

    def __init__(self, engine: RegistryEngine | None = None, *, name: str = "memory:") -> None:
        super().__init__(engine or RegistryEngine(name))
