"""The registry's semantics in pure Python: one implementation shared by the in-memory backend,
the snapshot-file backend and the in-process test server.

What it implements (the Confluent Schema Registry's rules, see the shared API reference):

* ids are global and identify content: identical content (canonical text + schema type +
  references + metadata + rule set) registered anywhere shares one id;
* a registration (and a lookup) that sends no metadata or no rule set takes the latest live
  version's, then the subject's ``defaultMetadata``/``defaultRuleSet`` are merged under it and
  ``overrideMetadata``/``overrideRuleSet`` over it (:func:`aurum_sr.datacontracts.effective`);
  IMPORT mode stores what was sent;
* registering content equal to any *live* version of the subject returns that version (even an
  old one, which does not become latest), before any mode check;
* a new version is the highest version including soft-deleted ones, plus one;
* register enforces the effective compatibility (subject level, else global) against live
  versions (the latest only, or all for ``*_TRANSITIVE``);
* soft delete hides; permanent delete needs a soft delete first; deleting something still
  referenced by another subject is refused;
* READONLY / READONLY_OVERRIDE refuse writes; IMPORT allows explicit ids and versions.

Every failure raises the typed error the registry's code table
(:mod:`aurum_sr.registry.codes`) gives its code, with the registry's ``http_status``,
``error_code`` and ``registry_message``, so the test server can answer exactly what a real
registry answers. The engine is guarded by one re-entrant lock; it does no I/O.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from aurum_sr import compat
from aurum_sr.canonical import canonical_text
from aurum_sr.compat.result import CompatibilityResult
from aurum_sr.datacontracts import (
    Contract,
    ContractConfig,
    Metadata,
    RuleSet,
    effective,
    identity_part,
)
from aurum_sr.errors import RegistryError, SchemaInputError
from aurum_sr.formats import find_format
from aurum_sr.model import (
    CompatibilityLevel,
    LiveState,
    Mode,
    RegisteredSchema,
    Schema,
    SchemaReference,
    SchemaType,
    SubjectState,
)
from aurum_sr.registry.codes import ErrorCode, registry_error

Identity = tuple[str, SchemaType, tuple[SchemaReference, ...], Metadata | None, RuleSet | None]
Resolver = Callable[[SchemaReference], Schema]
Checker = Callable[
    [Schema, Sequence[RegisteredSchema], CompatibilityLevel, Resolver], CompatibilityResult
]

DEFAULT_COMPATIBILITY = CompatibilityLevel.BACKWARD
DEFAULT_MODE = Mode.READWRITE


def identity(schema: Schema) -> Identity:
    """What makes two schemas the same registry content (the same id).

    Raises:
        SchemaInputError: the schema text is not JSON (Avro/JSON schemas).
    """
    return (
        canonical_text(schema.schema_str, schema.schema_type),
        schema.schema_type,
        schema.references,
        *identity_part(Contract(schema.metadata, schema.rule_set)),
    )


def populated(schema: Schema, previous: Schema | None, config: ContractConfig) -> Schema:
    """``schema`` with the metadata and rule set the registry stores for it, given the latest
    live version's schema and the subject's configuration."""
    before = Contract(previous.metadata, previous.rule_set) if previous is not None else None
    after = effective(Contract(schema.metadata, schema.rule_set), before, config)
    if (after.metadata, after.rule_set) == (schema.metadata, schema.rule_set):
        return schema
    return Schema(
        schema.schema_str, schema.schema_type, schema.references, after.metadata, after.rule_set
    )


def _rule_problem(rule_set: RuleSet | None) -> str | None:
    """Why the registry refuses ``rule_set`` (duplicate names, a mode on the wrong list)."""
    if rule_set is None:
        return None
    names: set[str] = set()
    for rule in rule_set.rules():
        if rule.name in names:
            return f"Found rule with duplicate name '{rule.name}'"
        names.add(rule.name)
    for rule in rule_set.migration_rules:
        if not rule.mode.migration:
            return "Migration rules can only be UPGRADE, DOWNGRADE, UPDOWN"
    for rule in rule_set.domain_rules:
        if rule.mode.migration:
            return "Domain rules can only be WRITE, READ, WRITEREAD"
    return None


def check_compatibility(
    new: Schema,
    previous: Sequence[RegisteredSchema],
    level: CompatibilityLevel,
    resolver: Resolver,
) -> CompatibilityResult:
    """The compatibility verdict register enforces (``aurum_sr.compat.check``)."""
    return compat.check(new, previous, level, resolver=resolver)


@dataclass
class VersionRecord:
    """One version of a subject inside the engine."""

    version: int
    schema_id: int
    deleted: bool = False


@dataclass
class SubjectRecord:
    """Everything the engine holds for one subject."""

    versions: dict[int, VersionRecord] = field(default_factory=dict)
    compatibility: CompatibilityLevel | None = None
    mode: Mode | None = None
    contract: ContractConfig = field(default_factory=ContractConfig)

    def live(self) -> list[VersionRecord]:
        return [self.versions[v] for v in sorted(self.versions) if not self.versions[v].deleted]

    def empty(self) -> bool:
        return (
            not self.versions
            and self.compatibility is None
            and self.mode is None
            and self.contract.empty
        )


class RegistryEngine:
    """A whole registry in memory with the registry's semantics."""

    def __init__(self, name: str = "memory:", *, checker: Checker | None = None) -> None:
        self.name = name
        self.checker: Checker = checker or check_compatibility
        self.lock = threading.RLock()
        self.schemas: dict[int, Schema] = {}
        """Content by id; kept after permanent deletes (the registry keeps its id index)."""
        self.ids: dict[Identity, int] = {}
        self.subjects: dict[str, SubjectRecord] = {}
        self.global_compatibility: CompatibilityLevel = DEFAULT_COMPATIBILITY
        self.global_mode: Mode = DEFAULT_MODE
        self.max_id = 0

    # -- errors ------------------------------------------------------------------------------

    def _error(
        self,
        code: ErrorCode,
        message: str,
        subject: str | None = None,
        hint: str | None = None,
    ) -> RegistryError:
        return registry_error(code, message, registry=self.name, subject=subject, hint=hint)

    def _subject_not_found(self, subject: str) -> RegistryError:
        return self._error(ErrorCode.SUBJECT_NOT_FOUND, f"Subject '{subject}' not found", subject)

    def _version_not_found(self, subject: str, version: object) -> RegistryError:
        return self._error(ErrorCode.VERSION_NOT_FOUND, f"Version {version} not found", subject)

    # -- loading -----------------------------------------------------------------------------

    def add_schema(self, schema_id: int, schema: Schema) -> None:
        """Store content under an explicit id (loading a snapshot, importing)."""
        self.schemas[schema_id] = schema
        # Content a registry holds is kept even when it cannot be canonicalised.
        with contextlib.suppress(SchemaInputError):
            self.ids.setdefault(identity(schema), schema_id)
        self.max_id = max(self.max_id, schema_id)

    def load_state(self, state: LiveState) -> None:
        """Replace the subjects of ``state`` (ids and versions kept) and the global settings."""
        with self.lock:
            self.global_compatibility = state.global_compatibility
            self.global_mode = state.global_mode
            for name, subject_state in state.subjects.items():
                record = SubjectRecord(
                    compatibility=subject_state.compatibility,
                    mode=subject_state.mode,
                    contract=subject_state.contract_config,
                )
                for v in subject_state.versions:
                    self.add_schema(v.schema_id, v.schema)
                    record.versions[v.version] = VersionRecord(v.version, v.schema_id, v.deleted)
                self.subjects[name] = record

    # -- reads -------------------------------------------------------------------------------

    def _registered(self, subject: str, record: VersionRecord) -> RegisteredSchema:
        return RegisteredSchema(
            subject=subject,
            version=record.version,
            schema_id=record.schema_id,
            schema=self.schemas[record.schema_id],
            deleted=record.deleted,
        )

    def _visible(self, subject: str, deleted: bool) -> SubjectRecord:
        record = self.subjects.get(subject)
        if record is None or not record.versions:
            raise self._subject_not_found(subject)
        if not deleted and not record.live():
            raise self._subject_not_found(subject)
        return record

    def list_subjects(self, *, deleted: bool = False, prefix: str | None = None) -> list[str]:
        with self.lock:
            return sorted(
                name
                for name, record in self.subjects.items()
                if (record.live() or (deleted and record.versions))
                and (prefix is None or name.startswith(prefix))
            )

    def list_versions(self, subject: str, *, deleted: bool = False) -> list[int]:
        with self.lock:
            record = self._visible(subject, deleted)
            return sorted(v for v, r in record.versions.items() if deleted or not r.deleted)

    def get_version(
        self, subject: str, version: int | str, *, deleted: bool = False
    ) -> RegisteredSchema:
        with self.lock:
            record = self._visible(subject, deleted)
            if version in ("latest", -1):
                live = record.live()
                if not live:
                    raise self._version_not_found(subject, "latest")
                return self._registered(subject, live[-1])
            if not isinstance(version, int):
                raise self._error(
                    ErrorCode.INVALID_VERSION, f"Invalid version {version!r}", subject
                )
            found = record.versions.get(version)
            if found is None or (found.deleted and not deleted):
                raise self._version_not_found(subject, version)
            return self._registered(subject, found)

    def get_schema_by_id(self, schema_id: int) -> Schema:
        with self.lock:
            schema = self.schemas.get(schema_id)
            if schema is None or not self._id_in_use(schema_id):
                raise self._error(ErrorCode.SCHEMA_NOT_FOUND, f"Schema {schema_id} not found")
            return schema

    def _id_in_use(self, schema_id: int) -> bool:
        return any(
            r.schema_id == schema_id for s in self.subjects.values() for r in s.versions.values()
        )

    def list_schemas(
        self,
        *,
        prefix: str = "",
        deleted: bool = False,
        latest_only: bool = False,
        offset: int = 0,
        limit: int = -1,
    ) -> list[RegisteredSchema]:
        """Every version under ``prefix``, by subject then version (``GET /schemas``); from the
        ``offset``-th on, at most ``limit`` of them (all when ``limit`` <= 0)."""
        if offset < 0:
            every = self.list_schemas(prefix=prefix, deleted=deleted, latest_only=latest_only)
            return every[offset:] if limit <= 0 else every[offset : offset + limit]
        with self.lock:
            out: list[RegisteredSchema] = []
            skip = offset
            for name in sorted(self.subjects):
                if not name.startswith(prefix):
                    continue
                records = [
                    self.subjects[name].versions[v]
                    for v in sorted(self.subjects[name].versions)
                    if deleted or not self.subjects[name].versions[v].deleted
                ]
                if latest_only:
                    records = records[-1:]
                if skip >= len(records):
                    skip -= len(records)  # a page further on: build nothing for this subject
                    continue
                out.extend(self._registered(name, r) for r in records[skip:])
                skip = 0
                if 0 < limit <= len(out):
                    return out[:limit]
            return out

    def lookup(self, subject: str, schema: Schema, *, deleted: bool = False) -> RegisteredSchema:
        """The version of ``subject`` holding ``schema`` (``POST /subjects/{s}``).

        Raises SubjectNotFoundError (40401), SchemaNotFoundError (40403), InvalidSchemaError.
        """
        with self.lock:
            record = self._visible(subject, deleted)
            schema = self._populated(subject, schema)
            key = self._identity_or_invalid(schema, subject)
            candidates = [
                record.versions[v]
                for v in sorted(record.versions, reverse=True)
                if deleted or not record.versions[v].deleted
            ]
            # A live match wins over a soft-deleted one.
            candidates.sort(key=lambda r: r.deleted)
            for candidate in candidates:
                if self._same_content(candidate.schema_id, key):
                    return self._registered(subject, candidate)
            raise self._error(ErrorCode.SCHEMA_NOT_FOUND, "Schema not found", subject)

    def _populated(self, subject: str, schema: Schema) -> Schema:
        """What a registration of ``schema`` would store (outside IMPORT mode)."""
        if self.effective_mode(subject) is Mode.IMPORT:
            return schema
        record = self.subjects.get(subject)
        if record is None:
            return populated(schema, None, ContractConfig())
        live = record.live()
        previous = self.schemas[live[-1].schema_id] if live else None
        return populated(schema, previous, record.contract)

    def _same_content(self, schema_id: int, key: Identity) -> bool:
        if self.ids.get(key) == schema_id:
            return True
        try:
            return identity(self.schemas[schema_id]) == key
        except SchemaInputError:
            return False

    def _identity_or_invalid(self, schema: Schema, subject: str | None) -> Identity:
        try:
            return identity(schema)
        except SchemaInputError as exc:
            raise self._error(ErrorCode.INVALID_SCHEMA, exc.message, subject) from exc

    def get_compatibility(
        self, subject: str | None = None, *, default_to_global: bool = False
    ) -> CompatibilityLevel | None:
        with self.lock:
            if subject is None:
                return self.global_compatibility
            record = self.subjects.get(subject)
            if record is not None and record.compatibility is not None:
                return record.compatibility
            return self.global_compatibility if default_to_global else None

    def get_mode(
        self, subject: str | None = None, *, default_to_global: bool = False
    ) -> Mode | None:
        with self.lock:
            if subject is None:
                return self.global_mode
            record = self.subjects.get(subject)
            if record is not None and record.mode is not None:
                return record.mode
            return self.global_mode if default_to_global else None

    def effective_mode(self, subject: str | None) -> Mode:
        with self.lock:
            if subject is None:
                return self.global_mode
            mode = self.get_mode(subject, default_to_global=True)
            assert mode is not None
            return mode

    def effective_compatibility(self, subject: str) -> CompatibilityLevel:
        with self.lock:
            level = self.get_compatibility(subject, default_to_global=True)
            assert level is not None
            return level

    def resolver(self, *, live_only: bool) -> Resolver:
        """Resolves a reference to the schema of that subject version."""

        def resolve(ref: SchemaReference) -> Schema:
            record = self.subjects.get(ref.subject)
            found = record.versions.get(ref.version) if record else None
            if found is None or (live_only and found.deleted):
                raise SchemaInputError(
                    f"reference {ref.name} points at subject {ref.subject!r} version "
                    f"{ref.version}, which is not registered"
                )
            return self.schemas[found.schema_id]

        return resolve

    def test_compatibility(
        self, subject: str, schema: Schema, *, version: int | str | None = None
    ) -> CompatibilityResult:
        """The registry's compatibility test (``POST /compatibility/subjects/…``)."""
        with self.lock:
            level = self.effective_compatibility(subject)
            record = self.subjects.get(subject)
            live = [self._registered(subject, r) for r in record.live()] if record else []
            if version is None:
                previous = live
            elif version in ("latest", -1):
                previous = live[-1:]
                if level.transitive:
                    level = CompatibilityLevel(level.value.removesuffix("_TRANSITIVE"))
            else:
                match = [v for v in live if v.version == version]
                if not match:
                    raise self._version_not_found(subject, version)
                previous = match
                if level.transitive:
                    level = CompatibilityLevel(level.value.removesuffix("_TRANSITIVE"))
            self._validate(schema, subject)
            return self._verdict(schema, previous, level)

    def _validate(self, schema: Schema, subject: str | None) -> None:
        self._identity_or_invalid(schema, subject)
        schema_format = find_format(schema.schema_type)
        if schema_format is None:  # stored, as a registry would, but not checked
            return
        try:
            problems = schema_format.validate(schema, self.resolver(live_only=True))
        except SchemaInputError as exc:
            raise self._error(ErrorCode.INVALID_SCHEMA, exc.message, subject) from exc
        if problems:
            raise self._error(ErrorCode.INVALID_SCHEMA, problems[0], subject)

    def _verdict(
        self, schema: Schema, previous: Sequence[RegisteredSchema], level: CompatibilityLevel
    ) -> CompatibilityResult:
        if level is CompatibilityLevel.NONE or not previous:
            return CompatibilityResult(
                is_compatible=True,
                level=level,
                checked_versions=tuple(v.version for v in previous),
            )
        return self.checker(schema, previous, level, self.resolver(live_only=False))

    # -- writes ------------------------------------------------------------------------------

    def _require_writable(self, subject: str | None) -> None:
        mode = self.effective_mode(subject)
        if self.global_mode is Mode.READONLY_OVERRIDE:
            mode = Mode.READONLY_OVERRIDE
        if mode in (Mode.READONLY, Mode.READONLY_OVERRIDE):
            raise self._error(
                ErrorCode.OPERATION_NOT_PERMITTED,
                f"Subject {subject!r} is in read-only mode"
                if subject
                else "The registry is in read-only mode",
                subject,
                hint="change the mode to READWRITE (or IMPORT) first",
            )

    def register(
        self,
        subject: str,
        schema: Schema,
        *,
        schema_id: int | None = None,
        version: int | None = None,
    ) -> RegisteredSchema:
        """Register ``schema`` under ``subject``; see the module docstring for the rules."""
        with self.lock:
            schema = self._populated(subject, schema)
            key = self._identity_or_invalid(schema, subject)
            record = self.subjects.get(subject)
            if record is not None:
                for existing in record.live():
                    if self._same_content(existing.schema_id, key) and (
                        schema_id is None or schema_id == existing.schema_id
                    ):
                        return self._registered(subject, existing)
            self._require_writable(subject)
            mode = self.effective_mode(subject)
            importing = mode is Mode.IMPORT
            if importing and schema_id is None:
                raise self._error(
                    ErrorCode.OPERATION_NOT_PERMITTED,
                    f"Subject {subject!r} is not in read-write mode",
                    subject,
                    hint="in IMPORT mode every schema needs an explicit id",
                )
            if not importing and schema_id is not None:
                raise self._error(
                    ErrorCode.OPERATION_NOT_PERMITTED,
                    f"Subject {subject!r} is not in import mode",
                    subject,
                    hint="explicit ids are only accepted in IMPORT mode",
                )
            all_versions = sorted(record.versions) if record else []
            next_version = (all_versions[-1] if all_versions else 0) + 1
            if version is not None and not importing and version != next_version:
                raise self._error(
                    ErrorCode.INVALID_SCHEMA,
                    f"Version {version} is not one more than previous version",
                    subject,
                )
            self._validate(schema, subject)
            problem = _rule_problem(schema.rule_set)
            if problem is not None:
                raise self._error(ErrorCode.INVALID_SCHEMA, problem, subject)
            if not importing:
                live = [self._registered(subject, r) for r in record.live()] if record else []
                verdict = self._verdict(schema, live, self.effective_compatibility(subject))
                if not verdict.is_compatible:
                    details = "; ".join(b.message for b in verdict.breaking_changes)
                    raise self._error(
                        ErrorCode.INCOMPATIBLE_SCHEMA,
                        "Schema being registered is incompatible with an earlier schema for "
                        f'subject "{subject}", details: [{details}]',
                        subject,
                    )
            if schema_id is not None:
                held = self.schemas.get(schema_id)
                if held is not None and identity(held) != key and self._id_in_use(schema_id):
                    raise self._error(
                        ErrorCode.OPERATION_NOT_PERMITTED,
                        f"Overwrite new schema with id {schema_id} is not permitted",
                        subject,
                    )
                new_id = schema_id
            else:
                known = self.ids.get(key)
                new_id = known if known is not None else self.max_id + 1
            new_version = version if version is not None else next_version
            if record is not None and new_version in record.versions:
                raise self._error(
                    ErrorCode.OPERATION_NOT_PERMITTED,
                    f"Version {new_version} already exists with other content",
                    subject,
                )
            if record is None:
                record = self.subjects.setdefault(subject, SubjectRecord())
            self.schemas[new_id] = self.schemas.get(new_id, schema)
            self.ids.setdefault(key, new_id)
            self.max_id = max(self.max_id, new_id)
            record.versions[new_version] = VersionRecord(new_version, new_id)
            # The registry drops a soft-deleted record of the same content once it is
            # re-registered, unless something references it.
            for old in list(record.versions.values()):
                if (
                    old.deleted
                    and old.schema_id == new_id
                    and not self._referrers(subject, old.version, live_only=False)
                ):
                    del record.versions[old.version]
            return self._registered(subject, record.versions[new_version])

    def _referrers(
        self, subject: str, version: int | None, *, live_only: bool
    ) -> list[tuple[str, int]]:
        """Versions of *other* subjects whose references point at ``subject`` (``version``,
        or any version when None)."""
        out: list[tuple[str, int]] = []
        for name, record in self.subjects.items():
            if name == subject:
                continue
            for r in record.versions.values():
                if live_only and r.deleted:
                    continue
                for ref in self.schemas[r.schema_id].references:
                    if ref.subject == subject and (version is None or ref.version == version):
                        out.append((name, r.version))
        return sorted(out)

    def referenced_by_ids(self, subject: str, version: int) -> list[int]:
        """Ids of the live schemas referencing ``subject`` version ``version`` (the
        ``referencedby`` endpoint). Raises SubjectNotFoundError / VersionNotFoundError."""
        with self.lock:
            self.get_version(subject, version)
            return sorted(
                {
                    self.subjects[s].versions[v].schema_id
                    for s, v in self._referrers(subject, version, live_only=True)
                }
            )

    def versions_of_id(self, schema_id: int) -> list[tuple[str, int]]:
        """The live ``(subject, version)`` pairs holding schema ``schema_id``
        (``GET /schemas/ids/{id}/versions``). Raises SchemaNotFoundError."""
        with self.lock:
            self.get_schema_by_id(schema_id)
            return sorted(
                (name, r.version)
                for name, record in self.subjects.items()
                for r in record.versions.values()
                if r.schema_id == schema_id and not r.deleted
            )

    def referenced_by(self, subject: str, version: int) -> list[tuple[str, int]]:
        """The live ``(subject, version)`` pairs whose schemas reference ``subject`` version
        ``version``. Raises SubjectNotFoundError / VersionNotFoundError."""
        with self.lock:
            self.get_version(subject, version)
            return self._referrers(subject, version, live_only=True)

    def _refuse_if_referenced(self, subject: str, version: int | None, *, live_only: bool) -> None:
        referrers = self._referrers(subject, version, live_only=live_only)
        if referrers:
            names = ", ".join(f"{s} v{v}" for s, v in referrers)
            what = f"version {version}" if version is not None else "subject"
            raise self._error(
                ErrorCode.REFERENCE_EXISTS,
                f"The {what} is still referenced by {names}",
                subject,
                hint="delete or re-point the referring schemas first",
            )

    def delete_subject(self, subject: str, *, permanent: bool = False) -> list[int]:
        with self.lock:
            record = self.subjects.get(subject)
            if record is None or not record.versions:
                raise self._subject_not_found(subject)
            self._require_writable(subject)
            live = record.live()
            if not permanent:
                if not live:
                    raise self._error(
                        ErrorCode.SUBJECT_SOFT_DELETED,
                        f"Subject '{subject}' was soft deleted",
                        subject,
                        hint="delete it permanently with permanent=true",
                    )
                self._refuse_if_referenced(subject, None, live_only=True)
                for r in live:
                    r.deleted = True
                return [r.version for r in live]
            if live:
                raise self._error(
                    ErrorCode.SUBJECT_NOT_SOFT_DELETED,
                    f"Subject '{subject}' was not deleted first before being permanently deleted",
                    subject,
                    hint="soft-delete the subject first",
                )
            self._refuse_if_referenced(subject, None, live_only=False)
            versions = sorted(record.versions)
            del self.subjects[subject]
            return versions

    def delete_version(self, subject: str, version: int, *, permanent: bool = False) -> int:
        with self.lock:
            record = self.subjects.get(subject)
            if record is None or not record.versions:
                raise self._subject_not_found(subject)
            found = record.versions.get(version)
            if found is None:
                raise self._version_not_found(subject, version)
            self._require_writable(subject)
            if not permanent:
                if found.deleted:
                    raise self._error(
                        ErrorCode.VERSION_SOFT_DELETED,
                        f"Version {version} of subject '{subject}' was soft deleted",
                        subject,
                    )
                self._refuse_if_referenced(subject, version, live_only=True)
                found.deleted = True
                return version
            if not found.deleted:
                raise self._error(
                    ErrorCode.VERSION_NOT_SOFT_DELETED,
                    f"Version {version} of subject '{subject}' was not deleted first before "
                    "being permanently deleted",
                    subject,
                    hint="soft-delete the version first",
                )
            self._refuse_if_referenced(subject, version, live_only=False)
            del record.versions[version]
            if not record.versions:
                del self.subjects[subject]
            return version

    def set_compatibility(self, level: CompatibilityLevel, subject: str | None = None) -> None:
        with self.lock:
            self._require_writable(subject)
            if subject is None:
                self.global_compatibility = level
            else:
                self.subjects.setdefault(subject, SubjectRecord()).compatibility = level

    def delete_compatibility(self, subject: str | None = None) -> CompatibilityLevel:
        """Remove a subject's level (or reset the global one); returns the previous level."""
        with self.lock:
            self._require_writable(subject)
            if subject is None:
                previous = self.global_compatibility
                self.global_compatibility = DEFAULT_COMPATIBILITY
                return previous
            record = self.subjects.get(subject)
            if record is None or record.compatibility is None:
                raise self._subject_not_found(subject)
            previous = record.compatibility
            record.compatibility = None
            if record.empty():
                del self.subjects[subject]
            return previous

    def get_contract_config(self, subject: str) -> ContractConfig:
        """The subject's data-contract configuration (empty when it has none)."""
        with self.lock:
            record = self.subjects.get(subject)
            return record.contract if record is not None else ContractConfig()

    def set_contract_config(
        self, subject: str, config: ContractConfig, fields: Collection[str] | None = None
    ) -> None:
        """Set ``fields`` (names of :class:`ContractConfig`, all when None) of the subject's
        configuration to ``config``'s values, ``None`` clearing one; the others are kept (how
        ``PUT /config/{subject}`` treats a field it is not sent)."""
        with self.lock:
            self._require_writable(subject)
            problem = _rule_problem(config.default_rule_set) or _rule_problem(
                config.override_rule_set
            )
            if problem is not None:
                raise self._error(ErrorCode.INVALID_SCHEMA, problem, subject)
            record = self.subjects.setdefault(subject, SubjectRecord())
            names = [f.name for f in dataclasses.fields(ContractConfig)]
            chosen = names if fields is None else [n for n in names if n in fields]
            record.contract = dataclasses.replace(
                record.contract, **{n: getattr(config, n) for n in chosen}
            )
            if record.empty():
                del self.subjects[subject]

    def set_mode(self, mode: Mode, subject: str | None = None, *, force: bool = False) -> None:
        with self.lock:
            if mode is Mode.IMPORT and not force:
                in_scope = [subject] if subject is not None else list(self.subjects)
                if any(s in self.subjects and self.subjects[s].live() for s in in_scope):
                    raise self._error(
                        ErrorCode.OPERATION_NOT_PERMITTED,
                        "Cannot import since found existing subjects",
                        subject,
                        hint="use force to switch to IMPORT mode anyway",
                    )
            if subject is None:
                self.global_mode = mode
            else:
                self.subjects.setdefault(subject, SubjectRecord()).mode = mode

    def delete_mode(self, subject: str) -> Mode:
        with self.lock:
            record = self.subjects.get(subject)
            if record is None or record.mode is None:
                raise self._subject_not_found(subject)
            previous = record.mode
            record.mode = None
            if record.empty():
                del self.subjects[subject]
            return previous

    # -- state -------------------------------------------------------------------------------

    def subject_state(self, subject: str, *, latest_only: bool = False) -> SubjectState | None:
        """What the registry holds for ``subject`` (None when it holds nothing).

        With ``latest_only`` only the latest live version is kept (the state is marked partial),
        and a subject with neither a live version nor a subject-level setting is None.
        """
        with self.lock:
            record = self.subjects.get(subject)
            if record is None or record.empty():
                return None
            if latest_only:
                live = record.live()
                if not live and record.compatibility is None and record.mode is None:
                    return None
                return SubjectState(
                    subject=subject,
                    versions=tuple(self._registered(subject, r) for r in live[-1:]),
                    compatibility=record.compatibility,
                    mode=record.mode,
                    contract_config=record.contract,
                    history_complete=False,
                )
            return SubjectState(
                subject=subject,
                versions=tuple(
                    self._registered(subject, record.versions[v]) for v in sorted(record.versions)
                ),
                compatibility=record.compatibility,
                mode=record.mode,
                contract_config=record.contract,
            )

    def read_state(
        self, subjects: Sequence[str], list_prefixes: Sequence[str], *, latest_only: bool = False
    ) -> LiveState:
        with self.lock:
            wanted = set(subjects)
            states = {}
            for name in sorted(wanted):
                state = self.subject_state(name, latest_only=latest_only)
                if state is not None:
                    states[name] = state
            others = tuple(
                name
                for name in self.list_subjects()
                if name not in wanted and any(name.startswith(p) for p in list_prefixes)
            )
            return LiveState(
                registry=self.name,
                global_compatibility=self.global_compatibility,
                global_mode=self.global_mode,
                subjects=states,
                other_subjects=others,
            )

    @contextmanager
    def locked(self) -> Iterator[RegistryEngine]:
        with self.lock:
            yield self
