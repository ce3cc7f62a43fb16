""":class:`HttpRegistry`: the :class:`~aurum_sr.registry.protocol.Registry` protocol over the
Confluent Schema Registry REST API.

It composes the parts of this package — a :class:`~aurum_sr.registry.http.transport.Transport`
for every request, the :mod:`~aurum_sr.registry.http.endpoints`, the
:class:`~aurum_sr.registry.http.listing.VersionReader` for many subjects at once — and decides
what an answer means. Older servers and other implementations (Karapace, Redpanda) lack some
endpoints and parameters: where a read can be done another way it falls back (``GET /schemas`` →
per-subject reads, 40401 for "no subject-level config" on servers before CP 7.0, a missing
``/v1/metadata/version``, no ``/mode`` endpoints, only the per-version compatibility test), so a
plan never fails for it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from aurum_sr import interrupt
from aurum_sr.canonical import warm
from aurum_sr.capabilities import Capabilities, Capability
from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.datacontracts import ContractConfig
from aurum_sr.errors import (
    RegistryError,
    SchemaNotFoundError,
    SchemaRegistryConnectionError,
    SubjectNotFoundError,
    VersionNotFoundError,
)
from aurum_sr.model import (
    CompatibilityLevel,
    LiveState,
    Mode,
    RegisteredSchema,
    Schema,
    SchemaType,
    SubjectState,
)
from aurum_sr.registry.codes import NO_SUBJECT_SETTING
from aurum_sr.registry.http import discovery, endpoints
from aurum_sr.registry.http.listing import VersionReader
from aurum_sr.registry.http.transport import EndpointMissingError, Transport
from aurum_sr.registry.protocol import Registration, RegistryStatus, RemoteVerdict, VersionSpec
from aurum_sr.registry.retry import RetryPolicy

T = TypeVar("T")


class HttpRegistry:
    """A Confluent-compatible schema registry over HTTP(S)."""

    def __init__(self, config: SchemaRegistryConfig, *, policy: RetryPolicy | None = None) -> None:
        self.config = config
        self._t = Transport(config, policy=policy)
        self._schema_cache: dict[int, Schema] = {}
        self._reader = VersionReader(self._t, self._schema_cache)
        self._capabilities: Capabilities | None = None

    @property
    def name(self) -> str:
        return self._t.name

    @property
    def request_count(self) -> int:
        return self._t.request_count

    def capabilities(self) -> Capabilities:
        """See :meth:`Registry.capabilities` (:func:`discovery.discover`: at most two
        requests, once)."""
        if self._capabilities is None:
            self._capabilities = discovery.discover(
                self._t, self.config.base_url, self.config.flavor
            )
        return self._capabilities

    def _no_modes(self) -> bool:
        """The registry is known to have no mode endpoints at all (Apicurio): modes are not
        read, every subject is read-write."""
        known = self._capabilities
        if known is None:  # what costs no request: a pinned flavor, or the URL
            known = discovery.pinned(self.config.flavor, self.name) or discovery.from_url(
                self.config.base_url
            )
        return known is not None and known.lacks(Capability.GLOBAL_MODE_READ)

    # -- reads -------------------------------------------------------------------------------

    def list_subjects(self, *, deleted: bool = False, prefix: str | None = None) -> list[str]:
        names = endpoints.get_subjects(self._t, deleted=deleted, prefix=prefix)
        return sorted(n for n in names if not prefix or n.startswith(prefix))

    def list_versions(self, subject: str, *, deleted: bool = False) -> list[int]:
        return endpoints.get_versions(self._t, subject, deleted=deleted)

    def get_version(
        self, subject: str, version: VersionSpec, *, deleted: bool = False
    ) -> RegisteredSchema:
        entity = endpoints.get_version(self._t, subject, version, deleted=deleted)
        registered = entity.registered
        if not entity.flagged and deleted:
            # Before CP 8.0 the entity does not say whether it is soft-deleted: the live
            # versions tell.
            try:
                gone = registered.version not in self.list_versions(subject)
            except SubjectNotFoundError:
                gone = True
            registered = RegisteredSchema(
                registered.subject,
                registered.version,
                registered.schema_id,
                registered.schema,
                gone,
            )
        self._schema_cache.setdefault(registered.schema_id, registered.schema)
        return registered

    def get_schema_by_id(self, schema_id: int) -> Schema:
        cached = self._schema_cache.get(schema_id)
        if cached is not None:
            return cached
        schema = endpoints.get_schema_by_id(self._t, schema_id)
        self._schema_cache[schema_id] = schema
        return schema

    def referenced_by(self, subject: str, version: int) -> list[tuple[str, int]] | None:
        # The registry answers schema ids; each id's versions name the referrers.
        found: set[tuple[str, int]] = set()
        try:
            ids = endpoints.get_referenced_by(self._t, subject, version)
        except EndpointMissingError:
            return None  # an implementation without the endpoint: the caller says so
        for schema_id in ids:
            try:
                found.update(endpoints.get_id_versions(self._t, schema_id))
            except SchemaNotFoundError:
                continue  # deleted meanwhile: it references nothing any more
        return sorted(p for p in found if p[0] != subject)

    def lookup(
        self, subject: str, schema: Schema, *, normalize: bool = False, deleted: bool = False
    ) -> RegisteredSchema | None:
        try:
            return endpoints.lookup(self._t, subject, schema, normalize=normalize, deleted=deleted)
        except (SubjectNotFoundError, SchemaNotFoundError):
            return None

    def get_compatibility(
        self, subject: str | None = None, *, default_to_global: bool = False
    ) -> CompatibilityLevel | None:
        if subject is None:
            return endpoints.get_config(self._t)
        level = _subject_setting(
            lambda: endpoints.get_config(self._t, subject, default_to_global=default_to_global)
        )
        if level is None and default_to_global:
            return self.get_compatibility()
        return level

    def get_contract_config(self, subject: str) -> ContractConfig:
        found = _subject_setting(lambda: endpoints.get_contract_config(self._t, subject))
        return found if found is not None else ContractConfig()

    def get_mode(
        self, subject: str | None = None, *, default_to_global: bool = False
    ) -> Mode | None:
        if self._no_modes():
            return Mode.READWRITE if subject is None or default_to_global else None
        if subject is None:
            try:
                return endpoints.get_mode(self._t)
            except EndpointMissingError:
                return Mode.READWRITE  # servers without modes are always read-write
        mode = _subject_setting(
            lambda: endpoints.get_mode(self._t, subject, default_to_global=default_to_global)
        )
        if mode is None and default_to_global:
            return self.get_mode()
        return mode

    def test_compatibility(
        self, subject: str, schema: Schema, *, version: VersionSpec | None = None
    ) -> RemoteVerdict:
        try:
            return endpoints.post_compatibility(self._t, subject, schema, version=version)
        except EndpointMissingError:
            if version is not None:
                raise
            # Before CP 7.0 (and on Karapace) only the per-version form exists.
            return self._test_each_version(subject, schema)
        except (SubjectNotFoundError, VersionNotFoundError):
            if version is not None and version != "latest":
                raise
            return RemoteVerdict(is_compatible=True)  # nothing to be compatible with

    def _test_each_version(self, subject: str, schema: Schema) -> RemoteVerdict:
        level = self.get_compatibility(subject, default_to_global=True)
        try:
            live = self.list_versions(subject)
        except SubjectNotFoundError:
            return RemoteVerdict(is_compatible=True)
        targets = live if level is not None and level.transitive else live[-1:]
        messages: list[str] = []
        ok = True
        for v in targets:
            verdict = endpoints.post_compatibility(self._t, subject, schema, version=v)
            if not verdict.is_compatible:
                ok = False
                messages.extend(verdict.messages)
        return RemoteVerdict(is_compatible=ok, messages=tuple(messages))

    def read_state(
        self,
        subjects: Iterable[str],
        *,
        list_prefixes: Iterable[str] = (),
        modes_for: Iterable[str] | None = None,
        latest_only: bool = False,
        configs_for: Iterable[str] | None = None,
    ) -> LiveState:
        """See :meth:`Registry.read_state`. ``modes_for`` (``configs_for``) limits the
        per-subject mode (config) reads to those subjects (default: every subject read).
        ``latest_only`` reads each subject's latest live version alone: ``GET
        /schemas?latestOnly=true`` pages where the server has the bulk listing, else ``GET
        /subjects/{s}/versions/latest`` per subject."""
        wanted = sorted(set(subjects))
        prefixes = sorted(set(list_prefixes))
        mode_subjects = set(wanted) if modes_for is None else set(modes_for) & set(wanted)
        config_subjects = set(wanted) if configs_for is None else set(configs_for) & set(wanted)
        global_level = self.get_compatibility()
        global_mode = self.get_mode()
        assert global_level is not None and global_mode is not None

        def settings(subject: str) -> tuple[CompatibilityLevel | None, Mode | None]:
            level = self.get_compatibility(subject) if subject in config_subjects else None
            mode = self.get_mode(subject) if subject in mode_subjects else None
            return level, mode

        # The settings reads (one per subject) do not depend on the versions: start them first
        # so they overlap the listing instead of waiting for it. The connection pool (blocking,
        # max_workers connections) still bounds the requests in flight.
        to_read = [s for s in wanted if s in config_subjects or s in mode_subjects]
        with interrupt.pool(self._t.workers) as pool:
            pending = pool.map(settings, to_read)
            try:
                versions, live_names = self._reader.versions(
                    wanted, prefixes, latest_only=latest_only
                )
                if to_read:
                    # While the settings reads are in flight this thread would only wait: compute
                    # the identity of each subject's latest version, what the diff compares next.
                    warm(_latest_texts(versions))
                results = dict(zip(to_read, pending, strict=True))
            except BaseException:
                pool.shutdown(cancel_futures=True)  # no more requests once the read has failed
                raise

        states: dict[str, SubjectState] = {}
        for subject in wanted:
            level, mode = results.get(subject, (None, None))
            held = tuple(sorted(versions.get(subject, []), key=lambda v: v.version))
            if latest_only:
                held = tuple(v for v in held if not v.deleted)[-1:]
            if held or level is not None or mode is not None:
                states[subject] = SubjectState(
                    subject, held, level, mode, history_complete=not latest_only
                )
        others = tuple(
            sorted(
                n
                for n in live_names
                if n not in states and n not in wanted and any(n.startswith(p) for p in prefixes)
            )
        )
        return LiveState(
            registry=self.name,
            global_compatibility=global_level,
            global_mode=global_mode,
            subjects=states,
            other_subjects=others,
        )

    def lists_in_bulk(self) -> bool:
        return self._reader.has_bulk is True

    def latest_versions(self, subjects: Iterable[str]) -> dict[str, RegisteredSchema] | None:
        """See :meth:`Registry.latest_versions`: ``GET /schemas?latestOnly=true`` pages under
        the subjects' common prefix."""
        if not self.lists_in_bulk():
            return None
        return self._reader.latest(sorted(set(subjects)))

    def status(self) -> RegistryStatus:
        try:
            server_version: str | None
            try:
                server_version = endpoints.get_metadata_version(self._t)
            except EndpointMissingError:
                server_version = None
            level = self.get_compatibility()
            mode = self.get_mode()
            capabilities = self.capabilities()
            subjects = self.list_subjects()
            ids: set[int] = set()
            try:
                entries = self._reader.all_schemas("", deleted=False)
                ids = {e.registered.schema_id for e in entries}
            except EndpointMissingError:
                for subject in subjects:
                    for v in self.list_versions(subject):
                        ids.add(self.get_version(subject, v).schema_id)
        except SchemaRegistryConnectionError as exc:
            return RegistryStatus(registry=self.name, reachable=False, error=exc.message)
        return RegistryStatus(
            registry=self.name,
            reachable=True,
            server_version=server_version,
            total_subjects=len(subjects),
            total_schemas=len(ids),
            global_compatibility=level,
            global_mode=mode,
            capabilities=capabilities,
        )

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
        answer = endpoints.register(
            self._t, subject, schema, normalize=normalize, schema_id=schema_id, version=version
        )
        return self.confirm_registration(
            _registration(subject, answer), schema, normalize=normalize
        )

    def register_unconfirmed(
        self, subject: str, schema: Schema, *, normalize: bool = False
    ) -> Registration:
        return _registration(
            subject, endpoints.register(self._t, subject, schema, normalize=normalize)
        )

    def confirm_registration(
        self, answer: Registration, schema: Schema, *, normalize: bool = False
    ) -> RegisteredSchema:
        # Read back what the registry holds: an answer alone proves nothing (a registry, or
        # something in front of it, may answer 200 and store nothing), and CP before 7.5 and
        # Karapace answer only the id, so the same read tells which version holds it.
        subject = answer.subject
        found = self.lookup(subject, schema, normalize=normalize)
        if found is None or found.schema_id != answer.schema_id:
            held = "does not hold it" if found is None else f"holds it as id {found.schema_id}"
            raise RegistryError(
                f"registry {self.name} answered the registration under subject {subject!r} "
                f"with schema id {answer.schema_id}, but reading it back, the registry {held}: "
                "the write was not stored",
                registry=self.name,
                subject=subject,
                hint="check the registry's health and anything between it and aurum-sr (a "
                "proxy or gateway); then plan again",
            )
        if answer.version is not None and answer.version != found.version:
            raise RegistryError(
                f"registry {self.name} answered the registration under subject {subject!r} "
                f"with v{answer.version}, but reading it back it is v{found.version}",
                registry=self.name,
                subject=subject,
            )
        return found

    def set_compatibility(self, level: CompatibilityLevel, subject: str | None = None) -> None:
        endpoints.put_config(self._t, level, subject)

    def delete_compatibility(self, subject: str) -> None:
        # 40401: nothing set, the subject already inherits the global level.
        with contextlib.suppress(SubjectNotFoundError):
            endpoints.delete_config(self._t, subject)

    def set_contract_config(self, subject: str, config: ContractConfig) -> None:
        endpoints.put_contract_config(self._t, subject, config)

    def set_mode(self, mode: Mode, subject: str | None = None, *, force: bool = False) -> None:
        endpoints.put_mode(self._t, mode, subject, force=force)

    def delete_mode(self, subject: str) -> None:
        # 40401: nothing set, the subject already inherits the global mode.
        with contextlib.suppress(SubjectNotFoundError):
            endpoints.delete_mode(self._t, subject)

    def delete_subject(self, subject: str, *, permanent: bool = False) -> list[int]:
        return endpoints.delete_subject(self._t, subject, permanent=permanent)

    def delete_version(self, subject: str, version: int, *, permanent: bool = False) -> int:
        return endpoints.delete_version(self._t, subject, version, permanent=permanent)

    def close(self) -> None:
        self._t.close()

    def __enter__(self) -> HttpRegistry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _latest_texts(versions: dict[str, list[RegisteredSchema]]) -> Iterator[tuple[str, SchemaType]]:
    for held in versions.values():
        live = [v for v in held if not v.deleted]
        if live:
            schema = max(live, key=lambda v: v.version).schema
            yield schema.schema_str, schema.schema_type


def _registration(subject: str, answer: endpoints.Registered) -> Registration:
    version = None if answer.registered is None else answer.registered.version
    return Registration(subject, answer.schema_id, version)


def _subject_setting(read: Callable[[], T]) -> T | None:
    """A subject-level setting, or None when the subject has none of its own."""
    try:
        return read()
    except RegistryError as exc:
        # 40408/40409 (40401 before CP 7.0); a server without the endpoint (no modes at all)
        # has no subject setting either.
        if exc.error_code in NO_SUBJECT_SETTING or isinstance(exc, EndpointMissingError):
            return None
        raise
