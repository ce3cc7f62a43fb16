"""How the client reads the versions of many subjects at once.

The bulk listing ``GET /schemas`` (CP 6.1+) gives every version of every subject under a prefix
in a few paged requests; where the server lacks it (older servers, some other implementations)
the reader falls back to per-subject requests, and remembers which of the two works. Paging
stops at an empty page, or at a page that only repeats what was seen (a server that ignores
``offset``). Servers that ignore ``subjectPrefix`` or ``latestOnly``, or that send no
``deleted`` flag (before CP 8.0), are read correctly too.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

from aurum_sr import interrupt
from aurum_sr.errors import RegistryError, SubjectNotFoundError, VersionNotFoundError
from aurum_sr.model import RegisteredSchema, Schema
from aurum_sr.registry.http import endpoints
from aurum_sr.registry.http.endpoints import Entity
from aurum_sr.registry.http.transport import EndpointMissingError, RegistryAnswerError, Transport

log = logging.getLogger("aurum_sr.registry")

PAGE_SIZE = 1000
"""Entries asked for per ``GET /schemas`` page (the server's default and maximum since CP
7.4.1)."""

Versions = dict[str, list[RegisteredSchema]]
"""Versions read, by subject."""


class VersionReader:
    """Reads the versions of many subjects, in as few requests as the server allows.

    ``schemas`` is the client's cache of schema content by id: every schema read goes through
    it, so that one content registered under many subjects is held once.
    """

    def __init__(self, transport: Transport, schemas: dict[int, Schema]) -> None:
        self._t = transport
        self._schemas = schemas
        self.has_bulk: bool | None = None
        """Whether the server has ``GET /schemas`` (None: not known yet)."""

    def versions(
        self, wanted: Sequence[str], prefixes: Sequence[str], *, latest_only: bool = False
    ) -> tuple[Versions, set[str]]:
        """Every version (or, with ``latest_only``, at least the latest live one) of the wanted
        subjects, and the live subject names under ``prefixes``: from the bulk listing where the
        server has it, else per subject."""
        if self.has_bulk is not False:
            try:
                found = self._bulk_versions(wanted, prefixes, latest_only=latest_only)
                self.has_bulk = True
                return found
            except EndpointMissingError:
                self.has_bulk = False
                log.debug("registry %s has no GET /schemas; reading per subject", self._t.name)
        if latest_only:
            return self._per_subject_latest(wanted)
        return self._per_subject_versions(wanted)

    def latest(self, wanted: Sequence[str]) -> dict[str, RegisteredSchema] | None:
        """The latest live version of each wanted subject that has one, from the bulk listing
        (``latestOnly``); None when the server has no bulk listing.

        Paging stops at the first page shorter than asked for: with writes going on (this
        run's own), the listing would otherwise chase them page after page. A subject it misses
        (a server that caps ``limit`` lower) is simply not in the answer."""
        if self.has_bulk is False:
            return None
        try:
            found, _ = self._bulk_versions(wanted, (), latest_only=True, short_page_ends=True)
        except EndpointMissingError:
            self.has_bulk = False
            return None
        self.has_bulk = True
        # A server that ignores ``latestOnly`` lists every live version: keep the highest.
        return {s: max(held, key=lambda v: v.version) for s, held in found.items() if held}

    def all_schemas(
        self,
        prefix: str,
        *,
        deleted: bool,
        latest_only: bool = False,
        short_page_ends: bool = False,
    ) -> list[Entity]:
        """``GET /schemas`` paged until an empty page (or a server that ignores paging), or,
        with ``short_page_ends``, until a page shorter than :data:`PAGE_SIZE`.

        Raises:
            EndpointMissingError: the server has no bulk listing.
        """
        out: list[Entity] = []
        seen: set[tuple[str, int]] = set()
        offset = 0
        while True:
            page = endpoints.get_schemas(
                self._t,
                prefix=prefix,
                deleted=deleted,
                latest_only=latest_only,
                offset=offset,
                limit=PAGE_SIZE,
            )
            fresh = [e for e in page if _key(e.registered) not in seen]
            if not fresh:
                return out
            seen.update(_key(e.registered) for e in fresh)
            out.extend(fresh)
            if short_page_ends and len(page) < PAGE_SIZE:
                return out
            offset += len(page)

    def _shared(
        self, subject: str, version: int, registered: RegisteredSchema, *, deleted: bool
    ) -> RegisteredSchema:
        """Version ``version`` of ``subject`` holding ``registered``'s schema, its content from
        the cache."""
        schema = self._schemas.setdefault(registered.schema_id, registered.schema)
        return RegisteredSchema(subject, version, registered.schema_id, schema, deleted)

    def _bulk_versions(
        self,
        wanted: Sequence[str],
        prefixes: Sequence[str],
        *,
        latest_only: bool = False,
        short_page_ends: bool = False,
    ) -> tuple[Versions, set[str]]:
        """Versions of the wanted subjects (and live subject names under ``prefixes``) from the
        bulk listing: one paged listing per prefix. With ``latest_only`` the live listing with
        ``latestOnly=true``; a server that ignores the flag returns every live version, of which
        the caller keeps the highest."""
        uncovered = [s for s in wanted if not any(s.startswith(p) for p in prefixes)]
        scan = list(prefixes)
        if uncovered:
            scan.append(os.path.commonprefix(uncovered))
        scan = [p for p in scan if not any(p != q and p.startswith(q) for q in scan)]
        wanted_set = set(wanted)
        versions: Versions = {}
        live_names: set[str] = set()
        for prefix in sorted(set(scan)):
            if latest_only:
                entries = self.all_schemas(
                    prefix, deleted=False, latest_only=True, short_page_ends=short_page_ends
                )
                # The live listing holds live versions only, flagged or not.
                entries = [e for e in entries if not e.registered.deleted]
            else:
                entries = self.all_schemas(prefix, deleted=True)
            has_flag = latest_only or all(e.flagged for e in entries)
            live_keys: set[tuple[str, int]] | None = None
            if not has_flag:
                # Before CP 8.0 entries carry no ``deleted`` flag: the live listing tells.
                live_keys = {_key(e.registered) for e in self.all_schemas(prefix, deleted=False)}
            for entry in entries:
                registered = entry.registered
                subject = registered.subject
                if not subject.startswith(prefix):
                    continue  # a server that ignores subjectPrefix
                if live_keys is not None:
                    deleted = _key(registered) not in live_keys
                else:
                    deleted = registered.deleted
                if not deleted:
                    live_names.add(subject)
                if subject in wanted_set:
                    versions.setdefault(subject, []).append(
                        self._shared(subject, registered.version, registered, deleted=deleted)
                    )
        return versions, live_names

    def _per_subject_latest(self, wanted: Sequence[str]) -> tuple[Versions, set[str]]:
        """The latest live version of each wanted live subject, one request each (servers
        without ``GET /schemas``); a 404 means the subject has no live version (any more)."""
        live_names = set(endpoints.get_subjects(self._t))
        present = [s for s in wanted if s in live_names]

        def read(subject: str) -> list[RegisteredSchema]:
            try:
                entity = endpoints.get_version(self._t, subject, "latest")
            except (SubjectNotFoundError, VersionNotFoundError):
                return []
            latest = entity.registered
            return [self._shared(subject, latest.version, latest, deleted=False)]

        with interrupt.pool(self._t.workers) as pool:
            versions = dict(zip(present, pool.map(read, present), strict=True))
        return versions, live_names

    def _per_subject_versions(self, wanted: Sequence[str]) -> tuple[Versions, set[str]]:
        """Every version of each wanted subject, per subject: ``GET /subjects/{s}/versions``
        (with and without soft-deleted ones) and each version (servers before CP 6.1)."""
        live_names = set(endpoints.get_subjects(self._t))
        try:
            all_names = set(endpoints.get_subjects(self._t, deleted=True))
        except RegistryAnswerError:
            raise  # a broken answer is not a server without the parameter
        except RegistryError:
            all_names = set(live_names)
        present = [s for s in wanted if s in all_names]

        def read(subject: str) -> list[RegisteredSchema]:
            every = endpoints.get_versions(self._t, subject, deleted=True)
            live = set(endpoints.get_versions(self._t, subject)) if subject in live_names else set()
            return [
                self._shared(
                    subject,
                    v,
                    endpoints.get_version(self._t, subject, v, deleted=True).registered,
                    deleted=v not in live,
                )
                for v in every
            ]

        with interrupt.pool(self._t.workers) as pool:
            versions = dict(zip(present, pool.map(read, present), strict=True))
        return versions, live_names


def _key(registered: RegisteredSchema) -> tuple[str, int]:
    return registered.subject, registered.version
