"""The one protocol every registry backend implements (HTTP, snapshot file, in-memory).

Semantics follow the Confluent Schema Registry REST API (see docs and the shared API reference):
versions are 1-based per subject, ids identify content globally, soft-deleted versions are hidden
unless ``deleted=True`` is asked for, and every method raises the typed errors of
:mod:`aurum_sr.errors` rather than returning error values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from aurum_sr.capabilities import Capabilities
from aurum_sr.datacontracts import ContractConfig
from aurum_sr.model import (
    CompatibilityLevel,
    LiveState,
    Mode,
    RegisteredSchema,
    Schema,
)

VersionSpec = int | Literal["latest"]


@dataclass(frozen=True)
class RemoteVerdict:
    """The registry's own answer to "is this schema compatible with the subject?"."""

    is_compatible: bool
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegistryStatus:
    """What ``aurum-sr status`` shows."""

    registry: str
    reachable: bool
    server_version: str | None = None
    total_subjects: int = 0
    total_schemas: int = 0
    global_compatibility: CompatibilityLevel | None = None
    global_mode: Mode | None = None
    error: str | None = None
    """Why the registry could not be reached (safe to print), when ``reachable`` is False."""
    capabilities: Capabilities | None = None
    """What the registry is and can do (None when it could not be reached)."""


@dataclass(frozen=True)
class Registration:
    """What a registry answered to a registration that is not read back yet
    (:meth:`Registry.register_unconfirmed`)."""

    subject: str
    schema_id: int
    version: int | None
    """The version holding the schema, when the registry said (CP 7.5+, a local backend);
    None when it answered the id alone (Karapace, CP before 7.5)."""


@runtime_checkable
class Registry(Protocol):
    """Read and write access to one schema registry."""

    @property
    def name(self) -> str:
        """Where the registry is, safe to print (credentials masked)."""
        ...

    @property
    def request_count(self) -> int:
        """Requests (or, for local backends, operations) made so far."""
        ...

    def capabilities(self) -> Capabilities:
        """What the registry is and can do: discovered once (a few requests at most, none
        for a local backend or a pinned ``flavor``), then remembered."""
        ...

    # -- reads -------------------------------------------------------------------------------

    def list_subjects(self, *, deleted: bool = False, prefix: str | None = None) -> list[str]:
        """Subject names in string order; ``deleted`` includes subjects whose versions are all
        soft-deleted."""
        ...

    def list_versions(self, subject: str, *, deleted: bool = False) -> list[int]:
        """Version numbers of ``subject``, ascending. Raises SubjectNotFoundError."""
        ...

    def get_version(
        self, subject: str, version: VersionSpec, *, deleted: bool = False
    ) -> RegisteredSchema:
        """One version. Raises SubjectNotFoundError / VersionNotFoundError."""
        ...

    def get_schema_by_id(self, schema_id: int) -> Schema:
        """The schema with ``schema_id``. Raises SchemaNotFoundError."""
        ...

    def lookup(
        self, subject: str, schema: Schema, *, normalize: bool = False, deleted: bool = False
    ) -> RegisteredSchema | None:
        """The version of ``subject`` holding ``schema``, or None when it is not registered."""
        ...

    def referenced_by(self, subject: str, version: int) -> list[tuple[str, int]] | None:
        """The live versions, as ``(subject, version)`` sorted, whose schemas reference
        ``subject`` version ``version`` (``GET /subjects/{s}/versions/{v}/referencedby``): what
        keeps the registry from deleting it; None when the registry has no such endpoint (the
        references cannot be checked). Raises SubjectNotFoundError / VersionNotFoundError."""
        ...

    def get_compatibility(
        self, subject: str | None = None, *, default_to_global: bool = False
    ) -> CompatibilityLevel | None:
        """The subject's own level (None when it has none, unless ``default_to_global``), or the
        global level when ``subject`` is None."""
        ...

    def get_mode(
        self, subject: str | None = None, *, default_to_global: bool = False
    ) -> Mode | None:
        """The subject's own mode (None when it has none, unless ``default_to_global``), or the
        global mode when ``subject`` is None."""
        ...

    def get_contract_config(self, subject: str) -> ContractConfig:
        """The subject's data-contract configuration (``GET /config/{subject}``: default and
        override metadata and rule sets, compatibility group, alias); empty when it has none."""
        ...

    def test_compatibility(
        self, subject: str, schema: Schema, *, version: VersionSpec | None = None
    ) -> RemoteVerdict:
        """The registry's compatibility test, verbose. ``version=None`` tests against every
        version the subject's level requires (the check register would run)."""
        ...

    def read_state(
        self,
        subjects: Iterable[str],
        *,
        list_prefixes: Iterable[str] = (),
        modes_for: Iterable[str] | None = None,
        latest_only: bool = False,
        configs_for: Iterable[str] | None = None,
    ) -> LiveState:
        """A frozen snapshot of ``subjects`` (versions including soft-deleted ones, subject-level
        compatibility and mode) and of the global settings. Subjects the registry holds nothing
        for (no version, not even soft-deleted, and no subject-level setting) are left out of
        ``LiveState.subjects``. Live subjects that start with one of ``list_prefixes`` but are
        not in ``subjects`` are listed in ``other_subjects``. ``modes_for`` limits reading the
        subject-level mode to those subjects (None: all; a remote backend saves one request per
        subject left out); the others get ``mode=None``. ``configs_for`` does the same for the
        subject-level compatibility (the others get ``compatibility=None``).

        With ``latest_only`` each subject's state holds only its latest live version (or none)
        and has ``history_complete=False``; a subject with neither a live version nor a
        subject-level setting is left out (it may still hold soft-deleted versions)."""
        ...

    def lists_in_bulk(self) -> bool:
        """True when this run found the registry's bulk listing (``GET /schemas``) working, so
        that :meth:`latest_versions` of many subjects costs a few paged requests. Asks nothing."""
        ...

    def latest_versions(self, subjects: Iterable[str]) -> dict[str, RegisteredSchema] | None:
        """The latest live version of each of ``subjects`` that has one, from the bulk listing;
        None (and no request) when :meth:`lists_in_bulk` is False."""
        ...

    def status(self) -> RegistryStatus:
        """Reachability, server version, counts and global settings."""
        ...

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
        """Register ``schema`` under ``subject`` (idempotent: an equal live schema returns the
        existing version). ``schema_id``/``version`` only in IMPORT mode. Returns the version
        the registry holds *after* the write, read back: a registry that answers but does not
        store raises RegistryError. Raises IncompatibleSchemaError, InvalidSchemaError,
        OperationNotPermittedError."""
        ...

    def register_unconfirmed(
        self, subject: str, schema: Schema, *, normalize: bool = False
    ) -> Registration:
        """Register as :meth:`register` does, without reading it back: the registry's answer
        alone, for the caller to confirm, one by one (:meth:`confirm_registration`) or many at
        once (:meth:`latest_versions`). Raises as :meth:`register` does."""
        ...

    def confirm_registration(
        self, answer: Registration, schema: Schema, *, normalize: bool = False
    ) -> RegisteredSchema:
        """Read back the registration ``answer`` of ``schema`` (one request): the version that
        holds it. Raises RegistryError when the registry does not hold it under the id it
        answered (the write was not stored)."""
        ...

    def set_compatibility(self, level: CompatibilityLevel, subject: str | None = None) -> None:
        """Set the subject's (or, with None, the global) compatibility level."""
        ...

    def delete_compatibility(self, subject: str) -> None:
        """Remove the subject-level compatibility so the subject inherits the global one."""
        ...

    def set_contract_config(self, subject: str, config: ContractConfig) -> None:
        """Make ``config`` the subject's data-contract configuration (every field sent; one
        that is None is cleared)."""
        ...

    def set_mode(self, mode: Mode, subject: str | None = None, *, force: bool = False) -> None:
        """Set the subject's (or, with None, the global) mode."""
        ...

    def delete_mode(self, subject: str) -> None:
        """Remove the subject-level mode so the subject inherits the global one."""
        ...

    def delete_subject(self, subject: str, *, permanent: bool = False) -> list[int]:
        """Soft-delete (or, after a soft delete, permanently delete) a subject; returns the
        versions deleted. Raises ReferencedSchemaError while other schemas reference it."""
        ...

    def delete_version(self, subject: str, version: int, *, permanent: bool = False) -> int:
        """Soft-delete (or, after a soft delete, permanently delete) one version."""
        ...

    def close(self) -> None:
        """Release connections, locks and files."""
        ...
