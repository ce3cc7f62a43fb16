"""One request to the registry: sent, retried, and its answer or error mapped.

:class:`Transport` sends every request of the client through one place: a copy of a prepared
template (the session's headers and authentication merged once, not per request), connect and
read timeouts, one deadline for the whole answer, a cap on its size (decompressed), retries (see
:mod:`aurum_sr.registry.retry`) on transport errors (an answer cut mid-body included), 408, 429
and 5xx — never on 404/409/422 — and the registry's refusals mapped to the typed errors of the
code table (:mod:`aurum_sr.registry.codes`).

It is also the one place that validates what a registry answered: a success that is not JSON (a
login page, a truncated body, JSON nested too deep or with an absurd number), or whose shape is
not the documented one (:class:`aurum_sr.registry.wire.WireError` from the converter the endpoint
passes), is a :class:`RegistryAnswerError` naming the registry and the endpoint. Messages name
the request, the subject and the registry with credentials masked and never contain a secret.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests
import urllib3.exceptions

from aurum_sr import telemetry
from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.errors import IncompatibleSchemaError, RegistryError, SchemaRegistryConnectionError
from aurum_sr.registry import wire
from aurum_sr.registry.codes import ERRORS
from aurum_sr.registry.http import deadline
from aurum_sr.registry.http.session import open_session
from aurum_sr.registry.retry import RETRY_STATUSES, RetryableStatus, RetryPolicy, parse_retry_after
from aurum_sr.secrets import redact

log = logging.getLogger("aurum_sr.registry")


class EndpointMissingError(RegistryError):
    """The server does not have this endpoint (an older server or another implementation)."""


class RegistryAnswerError(RegistryError):
    """The registry answered, but not with something the API documents (not JSON, too large, too
    slow, or the wrong shape)."""


class _TlsFailure(Exception):
    """A TLS error: not retried, reported with a TLS hint (its text is not shown)."""


class IncompleteAnswer(requests.ConnectionError):
    """The connection broke while the answer's body was being read (retried like any other
    transport error)."""


class _Unusable(Exception):
    """An answer refused before it was decoded: too large or too slow (not retried)."""


_CHUNK = 64 * 1024
_NOT_JSON = object()


@dataclass(frozen=True)
class _Response:
    status: int
    body: Any


def path(*segments: str | int) -> str:
    """A request path, each segment percent-encoded as one path segment (``/`` and ``:`` in
    subject names included)."""
    return "/" + "/".join(quote(str(s), safe="") for s in segments)


# Path segments that name a collection: the segment after one is a value (a subject, a version,
# an id), never kept in an endpoint template.
_COLLECTIONS = {
    "subjects": "{subject}",
    "config": "{subject}",
    "mode": "{subject}",
    "versions": "{version}",
    "ids": "{id}",
    "contexts": "{context}",
}
_LITERALS = frozenset(
    {*_COLLECTIONS, "schemas", "compatibility", "referencedby", "types", "v1", "metadata"}
    | {"id", "version", "exporters", "status", "dek-registry", "keks", "deks"}
)


def endpoint(request_path: str) -> str:
    """The template of a request path, for metrics: ``/subjects/{subject}/versions/{version}``.

    Values (subjects, versions, ids) and any segment this client does not know become
    placeholders, so a template never holds a subject name (unbounded label values, and names
    some registries treat as confidential).
    """
    segments = request_path.split("?", 1)[0].strip("/").split("/")
    shown: list[str] = []
    for segment in segments:
        if not segment:
            continue
        after = shown[-1] if shown else ""
        if after in _COLLECTIONS:
            shown.append(_COLLECTIONS[after])
        elif segment in _LITERALS:
            shown.append(segment)
        else:
            shown.append("{value}")
    return "/" + "/".join(shown)


class Transport:
    """Requests to one registry over one session."""

    def __init__(self, config: SchemaRegistryConfig, *, policy: RetryPolicy | None = None) -> None:
        session = open_session(config)
        self.name = session.name
        """The registry's URL, credentials masked."""
        self.workers = max(1, config.max_workers)
        """Requests the pool lets be in flight at once."""
        self._base = session.base
        self._secrets = list(session.secrets)
        self._session = session.http
        self._policy = policy or RetryPolicy(
            max_attempts=config.max_retries + 1, max_seconds=config.retry_max_seconds
        )
        self._timeout = (config.connect_timeout_seconds, config.timeout_seconds)
        self._read_timeout = config.timeout_seconds
        self._deadline = config.deadline_seconds
        self._max_bytes = config.max_response_bytes
        self._count = 0
        self._count_lock = threading.Lock()
        # Every request starts as a copy of this one: the session's headers, authentication and
        # cookies merged once instead of per request (Session.request re-merges them each time,
        # ~0.2 ms of CPU per request on a no-change plan).
        self._template = self._session.prepare_request(requests.Request("GET", self._base + "/"))

    @property
    def request_count(self) -> int:
        """Requests sent so far, retries included."""
        return self._count

    def safe(self, text: str) -> str:
        """``text`` with every credential of this session redacted."""
        return redact(text, self._secrets)

    def where(self, subject: str | None) -> str:
        return f"subject {subject!r} in registry {self.name}" if subject else self.name

    def get(
        self,
        path: str,
        *,
        subject: str | None = None,
        convert: Callable[[Any], Any] | None = None,
        **params: Any,
    ) -> Any:
        """``GET path`` with ``params`` in the registry's spelling (see :func:`wire.query`)."""
        return self.call("GET", path, params=wire.query(**params), subject=subject, convert=convert)

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: object = None,
        subject: str | None = None,
        convert: Callable[[Any], Any] | None = None,
    ) -> Any:
        """One request with retries; the decoded JSON body (passed through ``convert``, which
        raises :class:`~aurum_sr.registry.wire.WireError` for a body of the wrong shape), or a
        typed error."""
        url = self._base + path
        data = json.dumps(body) if body is not None else None

        attempts = 0

        def attempt() -> _Response:
            nonlocal attempts
            attempts += 1
            self._tick()
            started = time.monotonic()
            deadline.arm(self._deadline)
            try:
                response = self._session.send(
                    self._prepare(method, url, params, data), timeout=self._timeout, stream=True
                )
                raw = self._read_body(response, started)
            except requests.exceptions.SSLError as exc:
                _observe(method, path, "error", started, attempts)
                raise _TlsFailure(str(exc)) from None  # retrying cannot fix a certificate
            except requests.RequestException:
                _observe(method, path, "error", started, attempts)
                if deadline.was_hit():
                    raise _Unusable(self._too_slow()) from None
                raise
            finally:
                deadline.disarm()
            if log.isEnabledFor(logging.DEBUG):
                self._log_request(method, path, response.status_code, started, attempts)
            _observe(method, path, str(response.status_code), started, attempts)
            decoded = _decode(raw)
            if response.status_code in RETRY_STATUSES:
                code, message = _error_fields(decoded, response)
                raise RetryableStatus(
                    response.status_code,
                    retry_after=parse_retry_after(response.headers.get("Retry-After")),
                    error_code=code,
                    message=message,
                    registry_message=_registry_said(decoded),
                )
            if decoded is _NOT_JSON:
                if 200 <= response.status_code < 300:
                    raise self._malformed(
                        method, path, subject, _not_json(raw, response), response.status_code
                    )
                decoded = None
            return _Response(response.status_code, decoded)

        def describe(exc: BaseException) -> str:
            return self.safe(f"{method} {path}: {type(exc).__name__}")

        try:
            result = self._policy.run(
                attempt, retry_on=(requests.ConnectionError, requests.Timeout), describe=describe
            )
        except RetryableStatus as exc:
            raise SchemaRegistryConnectionError(
                self.safe(
                    f"registry {self.name} kept failing: {method} {path} answered HTTP "
                    f"{exc.status} ({exc.message}) after {attempts} attempt(s)"
                ),
                registry=self.name,
                subject=subject,
                http_status=exc.status,
                error_code=exc.error_code,
                registry_message=self.safe(exc.registry_message)
                if exc.registry_message is not None
                else None,
                hint="the registry is overloaded or failing; try again later",
            ) from None
        except _Unusable as exc:
            raise self._malformed(method, path, subject, str(exc), None) from None
        except _TlsFailure:
            raise SchemaRegistryConnectionError(
                f"TLS handshake with registry {self.name} failed ({method} {path})",
                registry=self.name,
                subject=subject,
                hint="check ca_bundle (the CA that signed the registry's certificate) and the "
                "client certificate and key",
            ) from None
        except requests.Timeout:
            raise SchemaRegistryConnectionError(
                f"registry {self.name} did not answer {method} {path} within "
                f"{self._read_timeout:g}s ({attempts} attempt(s))",
                registry=self.name,
                subject=subject,
                hint="check the registry's health, or raise timeout_seconds",
            ) from None
        except requests.RequestException as exc:
            raise SchemaRegistryConnectionError(
                self.safe(
                    f"cannot reach registry {self.name} ({type(exc).__name__} on "
                    f"{method} {path}, {attempts} attempt(s))"
                ),
                registry=self.name,
                subject=subject,
                hint="check the URL, the network and the registry's TLS settings",
            ) from None
        if 200 <= result.status < 300:
            if convert is None:
                return result.body
            try:
                return convert(result.body)
            except wire.WireError as exc:
                raise self._malformed(method, path, subject, str(exc), result.status) from None
        raise self._error(result, subject, f"{method} {path}")

    def _log_request(
        self, method: str, path: str, status: int, started: float, attempt: int
    ) -> None:
        """One DEBUG record per answered request, its fields also as attributes (for JSON)."""
        duration_ms = round((time.monotonic() - started) * 1000, 3)
        shown = self.safe(path)
        log.debug(
            "%s %s -> HTTP %d in %.1f ms (attempt %d)",
            method,
            shown,
            status,
            duration_ms,
            attempt,
            extra={
                "event": "registry.request",
                "method": method,
                "path": shown,
                "status": status,
                "duration_ms": duration_ms,
                "attempt": attempt,
            },
        )

    def validate(
        self, method: str, path: str, body: Any, convert: Callable[[Any], Any], status: int = 200
    ) -> Any:
        """``convert(body)``; a :class:`RegistryAnswerError` naming the registry and the endpoint
        when ``body`` does not have the shape ``convert`` expects."""
        try:
            return convert(body)
        except wire.WireError as exc:
            raise self._malformed(method, path, None, str(exc), status) from None

    def _read_body(self, response: requests.Response, started: float) -> bytes:
        """The whole body of ``response``, decompressed, within the deadline and the size cap.

        Reads return as soon as the socket has data (a registry that trickles its answer is
        caught between reads; ``timeout_seconds`` bounds each read), and decompression never
        produces more than one chunk at a time (a gzip bomb stops at the cap).
        """
        stream = response.raw
        chunks: list[bytes] = []
        size = 0
        try:
            declared = response.headers.get("Content-Length")
            if (
                declared is not None
                and declared.isdigit()
                and int(declared) > self._max_bytes
                and "Content-Encoding" not in response.headers
            ):
                raise _Unusable(self._too_large())
            while True:
                chunk = stream.read1(_CHUNK, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > self._max_bytes:
                    raise _Unusable(self._too_large())
                chunks.append(chunk)
                if time.monotonic() - started > self._deadline:
                    raise _Unusable(self._too_slow())
        except urllib3.exceptions.ReadTimeoutError:
            response.close()
            raise requests.Timeout() from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            # ProtocolError (connection reset, IncompleteRead), DecodeError (a corrupt gzip
            # stream): the answer is lost; the request is worth another attempt.
            response.close()
            raise IncompleteAnswer(type(exc).__name__) from None
        except BaseException:
            response.close()
            raise
        stream.release_conn()
        return b"".join(chunks)

    def _too_slow(self) -> str:
        return f"the answer took longer than deadline_seconds = {self._deadline:g}"

    def _too_large(self) -> str:
        return (
            f"the answer is larger than max_response_bytes = {self._max_bytes} "
            "(counted decompressed)"
        )

    def _malformed(
        self, method: str, path: str, subject: str | None, problem: str, status: int | None
    ) -> RegistryAnswerError:
        return RegistryAnswerError(
            self.safe(
                f"registry {self.name} answered {method} {path} with something it cannot use: "
                f"{problem}"
            ),
            registry=self.name,
            subject=subject,
            http_status=status,
            hint="check that the URL points at the schema registry itself (not a login page "
            "or a proxy in front of it); the limits are deadline_seconds and max_response_bytes",
        )

    def close(self) -> None:
        self._session.close()

    def _tick(self) -> None:
        with self._count_lock:
            self._count += 1

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
        """The typed error for a refusal (HTTP 4xx, or 5xx not retried)."""
        code, message = _error_fields(response.body, None)
        status = response.status
        said = _registry_said(response.body)
        text = self.safe(f"{message} ({what}; {self.where(subject)})")
        kind = ERRORS.get(code) if code is not None else None
        kwargs: dict[str, Any] = {
            "registry": self.name,
            "subject": subject,
            "http_status": status,
            "error_code": code,
            "registry_message": self.safe(said) if said is not None else None,
            "hint": kind.hint if kind is not None else None,
        }
        if status == 409:
            return IncompatibleSchemaError(text, **kwargs)
        if status in (401, 403):
            # The registry's own words say which: a bad key, an expired token, a missing ACL.
            own = f": {kwargs['registry_message']}" if said is not None else ""
            if status == 401:
                refused = "refused the credentials"
                kwargs["hint"] = "check the username/password or token configured for this registry"
            else:
                refused = "refused the request for these credentials"
                kwargs["hint"] = (
                    "the credentials were accepted but lack a permission: check the account's "
                    "role bindings or ACLs for this subject or operation"
                )
            return RegistryError(
                f"registry {self.name} {refused}: HTTP {status} ({what}){own}", **kwargs
            )
        if kind is not None and kind.error is not RegistryError:
            return kind.error(text, **kwargs)
        if status in (404, 405) and (code is None or code == status):
            return EndpointMissingError(
                f"registry {self.name} does not have {what} (HTTP {status})", **kwargs
            )
        return RegistryError(f"registry answered HTTP {status}: {text}", **kwargs)


def _observe(method: str, request_path: str, status: str, started: float, attempt: int) -> None:
    """Report one attempt to the run's telemetry (templated; nothing when nobody listens)."""
    if telemetry.listening():
        telemetry.request(
            method, endpoint(request_path), status, time.monotonic() - started, attempt
        )


def _decode(raw: bytes) -> Any:
    """The JSON value of ``raw`` (None when empty); ``_NOT_JSON`` when it is not JSON, is
    nested deeper than the parser allows, or holds a number too long to convert."""
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return _NOT_JSON


def _not_json(raw: bytes, response: requests.Response) -> str:
    """Why ``raw`` is not a usable answer, in words (never its content: it may echo a secret)."""
    kind = response.headers.get("Content-Type", "no Content-Type").split(";")[0].strip()
    try:
        json.loads(raw)
    except RecursionError:
        return "JSON nested deeper than the parser allows"
    except ValueError as exc:
        if "digits" in str(exc):
            return "a number with more digits than the parser allows"
        if kind.endswith("html") or raw.lstrip()[:1] == b"<":
            return f"an HTML page ({kind}), not JSON"
        return f"a body that is not JSON ({kind}, {len(raw)} bytes, cut or garbled)"
    return "a body that is not JSON"


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
