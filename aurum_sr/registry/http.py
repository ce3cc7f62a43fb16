"""The Confluent Schema Registry REST API client.

One ``requests.Session`` with a connection pool sized to the concurrency, connect and read
timeouts, retries (see :mod:`aurum_sr.registry.retry`) on transport errors, 408, 429 and 5xx —
never on 404/409/422 — and the registry's errors mapped to the typed errors of
:mod:`aurum_sr.errors`. Messages name the subject and the registry with credentials masked and
never contain a secret.

Older servers and other implementations (Karapace, Redpanda) lack some endpoints and
parameters: where a read can be done another way it falls back (``GET /schemas`` → per-subject
reads, 40401 for "no subject-level config" on servers before CP 7.0, a missing
``/v1/metadata/version``), so a plan never fails for it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.errors import (
    ConfigError,
    IncompatibleSchemaError,
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
    SubjectState,
)
from aurum_sr.registry import wire
from aurum_sr.registry.codes import ERRORS, NO_SUBJECT_SETTING
from aurum_sr.registry.protocol import RegistryStatus, RemoteVerdict, VersionSpec
from aurum_sr.registry.retry import RETRY_STATUSES, RetryableStatus, RetryPolicy, parse_retry_after
from aurum_sr.secrets import mask_url, redact

log = logging.getLogger("aurum_sr.registry")

PAGE_SIZE = 1000
USER_AGENT = "aurum-sr"


class _TlsFailure(Exception):
    """A TLS error: not retried, reported with a TLS hint (its text is not shown)."""


class EndpointMissingError(RegistryError):
    """The server does not have this endpoint (an older server or another implementation)."""


def split_userinfo(url: str) -> tuple[str, tuple[str, str] | None]:
    """``url`` without its ``user:password@`` part, and that part."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    clean = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return clean, (unquote(user), unquote(password))


def _settle_environment(session: requests.Session, base: str) -> None:
    """Read the environment's HTTP settings once, for the one registry this session talks to.

    With ``trust_env`` on, requests re-reads them on every request: it walks the whole process
    environment twice for proxies (and once more for ``no_proxy``), looks for a CA bundle variable
    and stats ``~/.netrc`` — a quarter to a third of the client's CPU per request. Every
    request here goes to the same scheme, host and port, so one lookup gives the same answers:
    ``HTTP(S)_PROXY``/``NO_PROXY`` for the registry's host, ``REQUESTS_CA_BUNDLE`` or
    ``CURL_CA_BUNDLE`` when verification is on and no CA bundle is configured (a configured
    ``ca_bundle`` or ``ssl_verify = false`` wins), and ``~/.netrc`` credentials when no other
    authentication is configured.
    """
    session.proxies.update(requests.utils.get_environ_proxies(base))
    if session.verify is True:
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if bundle:
            session.verify = bundle
    if session.auth is None and "Authorization" not in session.headers:
        session.auth = requests.utils.get_netrc_auth(base)
    session.trust_env = False


@dataclass(frozen=True)
class _Response:
    status: int
    body: Any


class HttpRegistry:
    """A Confluent-compatible schema registry over HTTP(S)."""

    def __init__(self, config: SchemaRegistryConfig, *, policy: RetryPolicy | None = None) -> None:
        self.config = config
        base, userinfo = split_userinfo(config.base_url)
        self._base = base.rstrip("/")
        self._name = mask_url(config.base_url)
        self._policy = policy or RetryPolicy(
            max_attempts=config.max_retries + 1, max_seconds=config.retry_max_seconds
        )
        self._timeout = (config.connect_timeout_seconds, config.timeout_seconds)
        self._workers = max(1, config.max_workers)
        self._count = 0
        self._count_lock = threading.Lock()
        self._schema_cache: dict[int, Schema] = {}
        self._has_bulk: bool | None = None
        self._secrets: list[str] = []

        session = requests.Session()
        adapter = HTTPAdapter(
            pool_connections=2, pool_maxsize=self._workers, max_retries=0, pool_block=True
        )
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers.update(
            {"Content-Type": wire.CONTENT_TYPE, "Accept": wire.ACCEPT, "User-Agent": USER_AGENT}
        )
        password = config.password.reveal() if config.password else None
        if config.username and password is not None:
            session.auth = (config.username, password)
            self._secrets.append(password)
        elif userinfo is not None:
            session.auth = userinfo
            self._secrets.append(userinfo[1])
        if config.bearer_token:
            if session.auth is not None:
                raise ConfigError(
                    f"registry {self._name}: both basic auth and a bearer token are configured",
                    hint="configure only one of them",
                )
            token = config.bearer_token.reveal()
            session.headers["Authorization"] = f"Bearer {token}"
            self._secrets.append(token)
        for key, value in config.extra_headers:
            session.headers[key] = value
            self._secrets.append(value)
        session.verify = config.ca_bundle if config.ca_bundle else config.ssl_verify
        _settle_environment(session, self._base)
        if isinstance(session.auth, tuple):  # ~/.netrc credentials are secrets too
            self._secrets.append(session.auth[1])
        if config.client_cert:
            session.cert = (
                (config.client_cert, config.client_key) if config.client_key else config.client_cert
            )
        self._session = session
        # Every request starts as a copy of this one: the session's headers, authentication and
        # cookies merged once instead of per request (Session.request re-merges them each time,
        # ~0.2 ms of CPU per request on a no-change plan).
        self._template = session.prepare_request(requests.Request("GET", self._base + "/"))

    # -- plumbing ----------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    @property
    def request_count(self) -> int:
        return self._count

    def _tick(self) -> None:
        with self._count_lock:
            self._count += 1

    def _safe(self, text: str) -> str:
        return redact(text, self._secrets)

    def _where(self, subject: str | None) -> str:
        return f"subject {subject!r} in registry {self._name}" if subject else self._name

    @staticmethod
    def _path(*segments: str | int) -> str:
        return "/" + "/".join(quote(str(s), safe="") for s in segments)

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: object = None,
        subject: str | None = None,
    ) -> Any:
        """One request with retries; the decoded JSON body, or a typed error."""
        url = self._base + path
        data = json.dumps(body) if body is not None else None

        attempts = 0

        def attempt() -> _Response:
            nonlocal attempts
            attempts += 1
            self._tick()
            try:
                response = self._session.send(
                    self._prepare(method, url, params, data), timeout=self._timeout
                )
            except requests.exceptions.SSLError as exc:
                raise _TlsFailure(str(exc)) from None  # retrying cannot fix a certificate
            try:
                decoded = response.json() if response.content else None
            except ValueError:
                decoded = None
            if response.status_code in RETRY_STATUSES:
                code, message = _error_fields(decoded, response)
                raise RetryableStatus(
                    response.status_code,
                    retry_after=parse_retry_after(response.headers.get("Retry-After")),
                    error_code=code,
                    message=message,
                    registry_message=_registry_said(decoded),
                )
            return _Response(response.status_code, decoded)

        def describe(exc: BaseException) -> str:
            return self._safe(f"{method} {path}: {type(exc).__name__}")

        try:
            result = self._policy.run(
                attempt, retry_on=(requests.ConnectionError, requests.Timeout), describe=describe
            )
        except RetryableStatus as exc:
            raise SchemaRegistryConnectionError(
                self._safe(
                    f"registry {self._name} kept failing: {method} {path} answered HTTP "
                    f"{exc.status} ({exc.message}) after {attempts} attempt(s)"
                ),
                registry=self._name,
                subject=subject,
                http_status=exc.status,
                error_code=exc.error_code,
                registry_message=self._safe(exc.registry_message)
                if exc.registry_message is not None
                else None,
                hint="the registry is overloaded or failing; try again later",
            ) from None
        except _TlsFailure:
            raise SchemaRegistryConnectionError(
                f"TLS handshake with registry {self._name} failed ({method} {path})",
                registry=self._name,
                subject=subject,
                hint="check ca_bundle (the CA that signed the registry's certificate) and the "
                "client certificate and key",
            ) from None
        except requests.Timeout:
            raise SchemaRegistryConnectionError(
                f"registry {self._name} did not answer {method} {path} within "
                f"{self.config.timeout_seconds:g}s ({attempts} attempt(s))",
                registry=self._name,
                subject=subject,
                hint="check the registry's health, or raise timeout_seconds",
            ) from None
        except requests.RequestException as exc:
            raise SchemaRegistryConnectionError(
                self._safe(
                    f"cannot reach registry {self._name} ({type(exc).__name__} on "
                    f"{method} {path}, {attempts} attempt(s))"
                ),
                registry=self._name,
                subject=subject,
                hint="check the URL, the network and the registry's TLS settings",
            ) from None
        if 200 <= result.status < 300:
            return result.body
        raise self._error(result, subject, f"{method} {path}")

    def _prepare(
        self, method: str, url: str, params: Mapping[str, str] | None, data: str | None
    ) -> requests.PreparedRequest:
        request = self._template.copy()
        request.prepare_method(method)
        request.prepare_url(url, params)
        if self._session.cookies:  # set by the server since the template was made
            request.prepare_cookies(self._session.cookies)
        request.prepare_body(data, None)
        return request

    def _error(self, response: _Response, subject: str | None, what: str) -> RegistryError:
        code, message = _error_fields(response.body, None)
        status = response.status
        said = _registry_said(response.body)
        text = self._safe(f"{message} ({what}; {self._where(subject)})")
        kind = ERRORS.get(code) if code is not None else None
        kwargs: dict[str, Any] = {
            "registry": self._name,
            "subject": subject,
            "http_status": status,
            "error_code": code,
            "registry_message": self._safe(said) if said is not None else None,
            "hint": kind.hint if kind is not None else None,
        }
        if status == 409:
            return IncompatibleSchemaError(text, **kwargs)
        if status in (401, 403):
            kwargs["hint"] = "check the username/password or token configured for this registry"
            return RegistryError(
                f"registry {self._name} refused the credentials: HTTP {status} ({what})", **kwargs
            )
        if kind is not None and kind.error is not RegistryError:
            return kind.error(text, **kwargs)
        if status in (404, 405) and (code is None or code == status):
            return EndpointMissingError(
                f"registry {self._name} does not have {what} (HTTP {status})", **kwargs
            )
        return RegistryError(f"registry answered HTTP {status}: {text}", **kwargs)

    def _get(self, path: str, *, subject: str | None = None, **params: Any) -> Any:
        return self._call("GET", path, params=wire.query(**params), subject=subject)

    # -- reads -------------------------------------------------------------------------------

    def list_subjects(self, *, deleted: bool = False, prefix: str | None = None) -> list[str]:
        params: dict[str, Any] = {"deleted": True} if deleted else {}
        if prefix:
            params["subject_prefix"] = prefix
        names = self._get("/subjects", **params) or []
        return sorted(str(n) for n in names if not prefix or str(n).startswith(prefix))

    def list_versions(self, subject: str, *, deleted: bool = False) -> list[int]:
        body = self._get(
            self._path("subjects", subject, "versions"),
            subject=subject,
            deleted=True if deleted else None,
        )
        return sorted(int(v) for v in body or [])

    def get_version(
        self, subject: str, version: VersionSpec, *, deleted: bool = False
    ) -> RegisteredSchema:
        body = self._get(
            self._path("subjects", subject, "versions", version),
            subject=subject,
            deleted=True if deleted else None,
        )
        flag: bool | None = None
        if "deleted" not in body:
            flag = False
            if deleted:
                try:
                    flag = int(body["version"]) not in self.list_versions(subject)
                except SubjectNotFoundError:
                    flag = True
        registered = wire.registered_from_wire(body, deleted=flag, subject=subject)
        self._schema_cache.setdefault(registered.schema_id, registered.schema)
        return registered

    def get_schema_by_id(self, schema_id: int) -> Schema:
        cached = self._schema_cache.get(schema_id)
        if cached is not None:
            return cached
        body = self._get(self._path("schemas", "ids", schema_id))
        schema = wire.schema_from_wire(body)
        self._schema_cache[schema_id] = schema
        return schema

    def lookup(
        self, subject: str, schema: Schema, *, normalize: bool = False, deleted: bool = False
    ) -> RegisteredSchema | None:
        try:
            body = self._call(
                "POST",
                self._path("subjects", subject),
                params=wire.query(
                    normalize=True if normalize else None, deleted=True if deleted else None
                ),
                body=wire.schema_to_wire(schema),
                subject=subject,
            )
        except (SubjectNotFoundError, SchemaNotFoundError):
            return None
        return wire.registered_from_wire(body, subject=subject)

    def _subject_setting(self, kind: str, subject: str, default_to_global: bool) -> Any | None:
        try:
            return self._get(
                self._path(kind, subject),
                subject=subject,
                default_to_global=True if default_to_global else None,
            )
        except RegistryError as exc:
            # A server without the endpoint (no modes at all) has no subject setting either.
            no_setting = exc.error_code in NO_SUBJECT_SETTING or isinstance(
                exc, EndpointMissingError
            )
            if no_setting:
                return None
            raise

    def get_compatibility(
        self, subject: str | None = None, *, default_to_global: bool = False
    ) -> CompatibilityLevel | None:
        if subject is None:
            return wire.compatibility_from_wire(self._get("/config"))
        body = self._subject_setting("config", subject, default_to_global)
        if body is None:
            return self.get_compatibility() if default_to_global else None
        return wire.compatibility_from_wire(body)

    def get_mode(
        self, subject: str | None = None, *, default_to_global: bool = False
    ) -> Mode | None:
        if subject is None:
            try:
                return wire.mode_from_wire(self._get("/mode"))
            except EndpointMissingError:
                return Mode.READWRITE  # servers without modes are always read-write
        body = self._subject_setting("mode", subject, default_to_global)
        if body is None:
            return self.get_mode() if default_to_global else None
        return wire.mode_from_wire(body)

    def test_compatibility(
        self, subject: str, schema: Schema, *, version: VersionSpec | None = None
    ) -> RemoteVerdict:
        segments: tuple[str | int, ...] = ("compatibility", "subjects", subject, "versions")
        path = self._path(*segments) if version is None else self._path(*segments, version)
        request = wire.schema_to_wire(schema)
        params = wire.query(verbose=True)
        try:
            body = self._call("POST", path, params=params, body=request, subject=subject)
        except EndpointMissingError:
            if version is not None:
                raise
            # Before CP 7.0 (and on Karapace) only the per-version form exists.
            return self._test_each_version(subject, schema, request)
        except (SubjectNotFoundError, VersionNotFoundError):
            if version is not None and version != "latest":
                raise
            return RemoteVerdict(is_compatible=True)  # nothing to be compatible with
        return RemoteVerdict(
            is_compatible=bool(body.get("is_compatible", False)),
            messages=wire.verdict_messages(body),
        )

    def _test_each_version(
        self, subject: str, schema: Schema, request: dict[str, Any]
    ) -> RemoteVerdict:
        level = self.get_compatibility(subject, default_to_global=True)
        try:
            live = self.list_versions(subject)
        except SubjectNotFoundError:
            return RemoteVerdict(is_compatible=True)
        targets = live if level is not None and level.transitive else live[-1:]
        messages: list[str] = []
        ok = True
        for v in targets:
            body = self._call(
                "POST",
                self._path("compatibility", "subjects", subject, "versions", v),
                params=wire.query(verbose=True),
                body=request,
                subject=subject,
            )
            if not body.get("is_compatible", False):
                ok = False
                messages.extend(wire.verdict_messages(body))
        return RemoteVerdict(is_compatible=ok, messages=tuple(messages))

    # -- read_state --------------------------------------------------------------------------

    def read_state(
        self,
        subjects: Iterable[str],
        *,
        list_prefixes: Iterable[str] = (),
        modes_for: Iterable[str] | None = None,
        latest_only: bool = False,
    ) -> LiveState:
        """See :meth:`Registry.read_state`. ``modes_for`` limits the per-subject mode reads to
        those subjects (default: every subject read). ``latest_only`` reads each subject's
        latest live version alone: ``GET /schemas?latestOnly=true`` pages where the server has
        the bulk listing, else ``GET /subjects/{s}/versions/latest`` per subject."""
        wanted = sorted(set(subjects))
        prefixes = sorted(set(list_prefixes))
        mode_subjects = set(wanted) if modes_for is None else set(modes_for) & set(wanted)
        global_level = self.get_compatibility()
        global_mode = self.get_mode()
        assert global_level is not None and global_mode is not None

        def settings(subject: str) -> tuple[CompatibilityLevel | None, Mode | None]:
            level = self.get_compatibility(subject)
            mode = self.get_mode(subject) if subject in mode_subjects else None
            return level, mode

        # The settings reads (one per subject) do not depend on the versions: start them first
        # so they overlap the listing instead of waiting for it. The connection pool (blocking,
        # max_workers connections) still bounds the requests in flight.
        with ThreadPoolExecutor(max_workers=self._workers) as pool:
            pending = pool.map(settings, wanted)
            try:
                versions, live_names = self._versions(wanted, prefixes, latest_only=latest_only)
                results = dict(zip(wanted, pending, strict=True))
            except BaseException:
                pool.shutdown(cancel_futures=True)  # no more requests once the read has failed
                raise

        states: dict[str, SubjectState] = {}
        for subject in wanted:
            level, mode = results[subject]
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
            registry=self._name,
            global_compatibility=global_level,
            global_mode=global_mode,
            subjects=states,
            other_subjects=others,
        )

    def _versions(
        self, wanted: Sequence[str], prefixes: Sequence[str], *, latest_only: bool = False
    ) -> tuple[dict[str, list[RegisteredSchema]], set[str]]:
        """Every version (or, with ``latest_only``, at least the latest live one) of the wanted
        subjects: from the bulk listing where the server has it, else per subject."""
        if self._has_bulk is not False:
            try:
                found = self._bulk_versions(wanted, prefixes, latest_only=latest_only)
                self._has_bulk = True
                return found
            except EndpointMissingError:
                self._has_bulk = False
                log.debug("registry %s has no GET /schemas; reading per subject", self._name)
        if latest_only:
            return self._per_subject_latest(wanted)
        return self._per_subject_versions(wanted, prefixes)

    def _list_all_schemas(
        self, prefix: str, *, deleted: bool, latest_only: bool = False
    ) -> list[dict[str, Any]]:
        """``GET /schemas`` paged until an empty page (or a server that ignores paging)."""
        out: list[dict[str, Any]] = []
        seen: set[tuple[str, int]] = set()
        offset = 0
        while True:
            page = self._get(
                "/schemas",
                subject_prefix=prefix or None,
                deleted=True if deleted else None,
                latest_only=True if latest_only else None,
                offset=offset,
                limit=PAGE_SIZE,
            )
            if not isinstance(page, list):
                raise EndpointMissingError(
                    f"registry {self._name} answered GET /schemas with something else than a list",
                    registry=self._name,
                )
            fresh = [e for e in page if (str(e["subject"]), int(e["version"])) not in seen]
            if not fresh:
                return out
            seen.update((str(e["subject"]), int(e["version"])) for e in fresh)
            out.extend(fresh)
            offset += len(page)

    def _bulk_versions(
        self, wanted: Sequence[str], prefixes: Sequence[str], *, latest_only: bool = False
    ) -> tuple[dict[str, list[RegisteredSchema]], set[str]]:
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
        versions: dict[str, list[RegisteredSchema]] = {}
        live_names: set[str] = set()
        for prefix in sorted(set(scan)):
            if latest_only:
                entries = self._list_all_schemas(prefix, deleted=False, latest_only=True)
                # The live listing holds live versions only, flagged or not.
                entries = [e for e in entries if not e.get("deleted", False)]
            else:
                entries = self._list_all_schemas(prefix, deleted=True)
            has_flag = latest_only or all("deleted" in e for e in entries)
            live_keys: set[tuple[str, int]] | None = None
            if not has_flag:
                # Before CP 8.0 entries carry no ``deleted`` flag: the live listing tells.
                live_keys = {
                    (str(e["subject"]), int(e["version"]))
                    for e in self._list_all_schemas(prefix, deleted=False)
                }
            for entry in entries:
                subject = str(entry["subject"])
                if not subject.startswith(prefix):
                    continue  # a server that ignores subjectPrefix
                key = (subject, int(entry["version"]))
                if live_keys is not None:
                    deleted = key not in live_keys
                else:
                    deleted = bool(entry.get("deleted", False))
                if not deleted:
                    live_names.add(subject)
                if subject in wanted_set:
                    registered = wire.registered_from_wire(entry, deleted=deleted)
                    cached = self._schema_cache.setdefault(registered.schema_id, registered.schema)
                    versions.setdefault(subject, []).append(
                        RegisteredSchema(
                            registered.subject,
                            registered.version,
                            registered.schema_id,
                            cached,
                            registered.deleted,
                        )
                    )
        return versions, live_names

    def _per_subject_latest(
        self, wanted: Sequence[str]
    ) -> tuple[dict[str, list[RegisteredSchema]], set[str]]:
        """The latest live version of each wanted live subject, one request each (servers
        without ``GET /schemas``); a 404 means the subject has no live version (any more)."""
        live_names = set(self.list_subjects())
        present = [s for s in wanted if s in live_names]

        def read(subject: str) -> list[RegisteredSchema]:
            try:
                body = self._get(
                    self._path("subjects", subject, "versions", "latest"), subject=subject
                )
            except (SubjectNotFoundError, VersionNotFoundError):
                return []
            registered = wire.registered_from_wire(body, deleted=False, subject=subject)
            cached = self._schema_cache.setdefault(registered.schema_id, registered.schema)
            return [RegisteredSchema(subject, registered.version, registered.schema_id, cached)]

        with ThreadPoolExecutor(max_workers=self._workers) as pool:
            versions = dict(zip(present, pool.map(read, present), strict=True))
        return versions, live_names

    def _per_subject_versions(
        self, wanted: Sequence[str], prefixes: Sequence[str]
    ) -> tuple[dict[str, list[RegisteredSchema]], set[str]]:
        """The fallback for servers without ``GET /schemas`` (before CP 6.1)."""
        live_names = set(self.list_subjects())
        try:
            all_names = set(self.list_subjects(deleted=True))
        except RegistryError:
            all_names = set(live_names)
        present = [s for s in wanted if s in all_names]

        def read(subject: str) -> list[RegisteredSchema]:
            every = self.list_versions(subject, deleted=True)
            live = set(self.list_versions(subject)) if subject in live_names else set()
            out = []
            for v in every:
                body = self._get(
                    self._path("subjects", subject, "versions", v), subject=subject, deleted=True
                )
                registered = wire.registered_from_wire(body, deleted=v not in live)
                cached = self._schema_cache.setdefault(registered.schema_id, registered.schema)
                out.append(
                    RegisteredSchema(subject, v, registered.schema_id, cached, registered.deleted)
                )
            return out

        with ThreadPoolExecutor(max_workers=self._workers) as pool:
            versions = dict(zip(present, pool.map(read, present), strict=True))
        del prefixes
        return versions, live_names

    def status(self) -> RegistryStatus:
        try:
            server_version: str | None
            try:
                meta = self._get("/v1/metadata/version")
                server_version = str(meta.get("version")) if isinstance(meta, dict) else None
            except EndpointMissingError:
                server_version = None
            level = self.get_compatibility()
            mode = self.get_mode()
            subjects = self.list_subjects()
            ids: set[int] = set()
            try:
                entries = self._list_all_schemas("", deleted=False)
                ids = {int(e["id"]) for e in entries}
            except EndpointMissingError:
                for subject in subjects:
                    for v in self.list_versions(subject):
                        ids.add(self.get_version(subject, v).schema_id)
        except SchemaRegistryConnectionError as exc:
            return RegistryStatus(registry=self._name, reachable=False, error=exc.message)
        return RegistryStatus(
            registry=self._name,
            reachable=True,
            server_version=server_version,
            total_subjects=len(subjects),
            total_schemas=len(ids),
            global_compatibility=level,
            global_mode=mode,
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
        body = self._call(
            "POST",
            self._path("subjects", subject, "versions"),
            params=wire.query(normalize=True if normalize else None),
            body=wire.schema_to_wire(schema, schema_id=schema_id, version=version),
            subject=subject,
        )
        new_id = int(body["id"])
        if "version" in body:
            stored = wire.schema_from_wire(body) if "schema" in body else schema
            return RegisteredSchema(subject, int(body["version"]), new_id, stored)
        # CP before 7.5 and Karapace answer only the id: ask which version holds it.
        found = self.lookup(subject, schema, normalize=normalize)
        if found is None:
            raise RegistryError(
                f"registry {self._name} registered schema id {new_id} under subject "
                f"{subject!r} but cannot find the version holding it",
                registry=self._name,
                subject=subject,
            )
        return found

    def set_compatibility(self, level: CompatibilityLevel, subject: str | None = None) -> None:
        path = "/config" if subject is None else self._path("config", subject)
        self._call("PUT", path, body=wire.compatibility_to_wire(level), subject=subject)

    def delete_compatibility(self, subject: str) -> None:
        # 40401: nothing set, the subject already inherits the global level.
        with contextlib.suppress(SubjectNotFoundError):
            self._call("DELETE", self._path("config", subject), subject=subject)

    def set_mode(self, mode: Mode, subject: str | None = None, *, force: bool = False) -> None:
        path = "/mode" if subject is None else self._path("mode", subject)
        self._call(
            "PUT",
            path,
            params=wire.query(force=True if force else None),
            body=wire.mode_to_wire(mode),
            subject=subject,
        )

    def delete_mode(self, subject: str) -> None:
        # 40401: nothing set, the subject already inherits the global mode.
        with contextlib.suppress(SubjectNotFoundError):
            self._call("DELETE", self._path("mode", subject), subject=subject)

    def delete_subject(self, subject: str, *, permanent: bool = False) -> list[int]:
        body = self._call(
            "DELETE",
            self._path("subjects", subject),
            params=wire.query(permanent=True if permanent else None),
            subject=subject,
        )
        return sorted(int(v) for v in body or [])

    def delete_version(self, subject: str, version: int, *, permanent: bool = False) -> int:
        body = self._call(
            "DELETE",
            self._path("subjects", subject, "versions", version),
            params=wire.query(permanent=True if permanent else None),
            subject=subject,
        )
        return int(body)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> HttpRegistry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _error_fields(body: object, response: requests.Response | None) -> tuple[int | None, str]:
    """(error_code, message) from a registry error body, tolerating anything else."""
    if isinstance(body, dict):
        raw = body.get("error_code")
        code = raw if isinstance(raw, int) else None
        message = str(body.get("message") or "no message")
        return code, message
    if response is not None:
        return None, f"{response.status_code} {response.reason}"
    return None, "no registry error body"


def _registry_said(body: object) -> str | None:
    """The ``message`` of a registry error body; None when the body is not one."""
    if isinstance(body, dict):
        message = body.get("message")
        if isinstance(message, str) and message:
            return message
    return None
