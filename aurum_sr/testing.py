"""An in-process schema registry for tests: the real REST API over a real socket.

:class:`RegistryServer` listens on 127.0.0.1 (an ephemeral port) and answers the Confluent
Schema Registry REST API from the same :class:`~aurum_sr.registry.engine.RegistryEngine` the
in-memory and snapshot backends use, with the registry's error bodies
(``{"error_code": …, "message": …}``). It can mimic older servers (no ``GET /schemas``, no
``deleted`` flag in listings, 40401 instead of 40408/40409, no metadata endpoint, register
answering only the id), add latency to every request, and inject faults: fail the next (or the
Nth) request with any status (``Retry-After`` included), drop the connection, or answer slower
than a client's timeout. ::

    from aurum_sr.testing import RegistryServer

    with RegistryServer() as server:
        registry = open_registry(server.url)
        ...
        assert server.request_count == 3

In pytest, ``from aurum_sr.testing import registry_server`` in a ``conftest.py`` provides the
``registry_server`` fixture (a fresh server per test).
"""

from __future__ import annotations

import base64
import hmac
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, unquote, urlsplit

from aurum_sr.errors import RegistryError
from aurum_sr.model import CompatibilityLevel, Mode, RegisteredSchema
from aurum_sr.registry import wire
from aurum_sr.registry.codes import ERRORS, ErrorCode
from aurum_sr.registry.engine import RegistryEngine

FaultKind = Literal["status", "reset", "slow"]


@dataclass
class Fault:
    """A failure to inject into matching requests."""

    kind: FaultKind
    status: int = 503
    retry_after: float | None = None
    delay: float = 0.0
    """For ``slow``: seconds to wait before answering normally."""
    method: str | None = None
    """Only requests with this method (``None``: any)."""
    path: str | None = None
    """Only requests whose path starts with this (``None``: any)."""
    at_request: int | None = None
    """Only the request with this 1-based number (counted by the server)."""
    times: int = 1
    error_code: int | None = None
    """For ``status``: the body's ``error_code`` (default: 50001 for 500, else the status)."""
    message: str = "injected fault"
    """For ``status``: the body's ``message``."""

    def matches(self, number: int, method: str, path: str) -> bool:
        return (
            self.times > 0
            and (self.at_request is None or self.at_request == number)
            and (self.method is None or self.method == method)
            and (self.path is None or path.startswith(self.path))
        )


@dataclass
class ServerOptions:
    """How closely to mimic which server."""

    server_version: str = "7.6.1"
    bulk_listing: bool = True
    """``GET /schemas`` exists (CP 6.1+)."""
    deleted_flag: bool = True
    """Entities carry ``deleted`` and always ``schemaType`` (CP 8.0+)."""
    subject_setting_codes: bool = True
    """40408/40409 for "no subject-level config/mode" (CP 7.0+); else 40401."""
    metadata_endpoint: bool = True
    """``GET /v1/metadata/version`` exists (CP 7.0.4+)."""
    combined_compatibility: bool = True
    """``POST /compatibility/subjects/{s}/versions`` (all versions) exists (CP 7.0+)."""
    register_returns_version: bool = True
    """Register answers ``{id, version, schema}`` (CP 7.5+); else ``{id}`` only."""
    mode_endpoints: bool = True
    """``/mode`` endpoints exist (CP 5.2+; absent on some other implementations)."""
    honours_paging: bool = True
    """``offset``/``limit`` on ``GET /schemas`` are applied (Karapace ignores them)."""
    honours_latest_only: bool = True
    """``latestOnly`` on ``GET /schemas`` is applied (older servers list every version)."""
    latency: float = 0.0
    """Seconds added to every request."""
    port: int = 0
    """The port on 127.0.0.1; 0 picks a free one."""
    basic_auth: tuple[str, str] | None = None
    bearer_token: str | None = None


class _Answer(Exception):
    def __init__(self, status: int, body: Any) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def _framework_404() -> _Answer:
    return _Answer(404, wire.error_body(404, "HTTP 404 Not Found"))


def _refusal(code: ErrorCode, message: str) -> _Answer:
    """The registry's answer for ``code`` (its HTTP status from the code table)."""
    return _Answer(ERRORS[code].http_status, wire.error_body(code, message))


@dataclass
class RegistryServer:
    """A registry server on 127.0.0.1 backed by a :class:`RegistryEngine` (context manager)."""

    options: ServerOptions = field(default_factory=ServerOptions)
    engine: RegistryEngine | None = None
    requests: list[tuple[str, str]] = field(default_factory=list)
    """Every request received, as (method, path with query)."""

    def __post_init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._in_flight = 0
        self.max_in_flight = 0
        """The most requests the server was answering at the same time."""
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> RegistryServer:
        handler = _make_handler(self)
        httpd = ThreadingHTTPServer(("127.0.0.1", self.options.port), handler)
        httpd.daemon_threads = True
        httpd.block_on_close = False
        self._httpd = httpd
        self.url = f"http://127.0.0.1:{httpd.server_address[1]}"
        if self.engine is None:
            self.engine = RegistryEngine(self.url)
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> RegistryServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- observation and faults --------------------------------------------------------------

    @property
    def request_count(self) -> int:
        """Requests received so far (faulted ones included)."""
        with self._lock:
            return len(self.requests)

    def reset_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def inject(self, fault: Fault) -> None:
        """Add a fault; it applies to the next matching request(s)."""
        with self._lock:
            self._faults.append(fault)

    def fail_next(
        self,
        status: int = 503,
        *,
        times: int = 1,
        retry_after: float | None = None,
        method: str | None = None,
        path: str | None = None,
        error_code: int | None = None,
        message: str = "injected fault",
    ) -> None:
        """Answer the next ``times`` matching requests with ``status`` (and the registry error
        body ``{"error_code": error_code, "message": message}``)."""
        self.inject(
            Fault(
                "status",
                status,
                retry_after,
                method=method,
                path=path,
                times=times,
                error_code=error_code,
                message=message,
            )
        )

    def fail_request(self, number: int, status: int = 500) -> None:
        """Answer the request with this 1-based number with ``status``."""
        self.inject(Fault("status", status, at_request=number))

    def drop_next(self, *, times: int = 1, method: str | None = None) -> None:
        """Reset the connection (no answer) on the next ``times`` matching requests."""
        self.inject(Fault("reset", method=method, times=times))

    def slow_next(self, delay: float, *, times: int = 1, method: str | None = None) -> None:
        """Answer the next ``times`` matching requests after ``delay`` seconds."""
        self.inject(Fault("slow", delay=delay, method=method, times=times))

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _take_fault(self, method: str, path: str) -> tuple[int, Fault | None]:
        with self._lock:
            self.requests.append((method, path))
            number = len(self.requests)
            for fault in self._faults:
                if fault.matches(number, method, urlsplit(path).path):
                    fault.times -= 1
                    return number, fault
            return number, None

    # -- the API -----------------------------------------------------------------------------

    def handle(self, method: str, target: str, body: Any, headers: Any) -> tuple[int, Any]:
        """Answer one request: (status, JSON body)."""
        self._check_auth(headers)
        parts = urlsplit(target)
        segments = [unquote(s) for s in parts.path.split("/") if s]
        params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        engine = self.engine
        assert engine is not None
        try:
            return 200, self._route(engine, method, segments, params, body)
        except RegistryError as exc:
            status = exc.http_status or 500
            code = exc.error_code or status
            said = exc.registry_message if exc.registry_message is not None else exc.message
            return status, wire.error_body(code, said)

    def _check_auth(self, headers: Any) -> None:
        opts = self.options
        given = str(headers.get("Authorization") or "")
        expected: list[str] = []
        if opts.basic_auth is not None:
            token = base64.b64encode(":".join(opts.basic_auth).encode()).decode()
            expected.append(f"Basic {token}")
        if opts.bearer_token is not None:
            expected.append(f"Bearer {opts.bearer_token}")
        if expected and not any(hmac.compare_digest(given, e) for e in expected):
            raise _Answer(401, wire.error_body(401, "Unauthorized"))

    def _entity(self, registered: RegisteredSchema) -> dict[str, Any]:
        new = self.options.deleted_flag
        return wire.registered_to_wire(registered, omit_avro_type=not new, with_deleted=new)

    def _route(
        self,
        engine: RegistryEngine,
        method: str,
        seg: list[str],
        params: dict[str, str],
        body: Any,
    ) -> Any:
        opts = self.options
        flag: Callable[[str], bool] = lambda name: params.get(name, "false").lower() == "true"  # noqa: E731
        n = len(seg)
        if n == 0 and method == "GET":
            return {}
        if seg[:2] == ["v1", "metadata"] and n == 3 and seg[2] == "version" and method == "GET":
            if not opts.metadata_endpoint:
                raise _framework_404()
            return {"version": opts.server_version, "commitId": "aurum-sr-testing"}
        if seg[0] == "subjects":
            return self._subjects(engine, method, seg[1:], params, body, flag)
        if seg[0] == "schemas":
            if n == 1 and method == "GET":
                if not opts.bulk_listing:
                    raise _framework_404()
                offset = int(params.get("offset", "0")) if opts.honours_paging else 0
                limit = int(params.get("limit", "-1")) if opts.honours_paging else -1
                page = engine.list_schemas(
                    prefix=params.get("subjectPrefix", ""),
                    deleted=flag("deleted"),
                    latest_only=flag("latestOnly") and opts.honours_latest_only,
                    offset=offset,
                    limit=limit,
                )
                return [self._entity(e) for e in page]
            if n == 2 and seg[1] == "types" and method == "GET":
                return ["AVRO", "JSON", "PROTOBUF"]
            if n >= 3 and seg[1] == "ids" and method == "GET":
                schema_id = _int(seg[2])
                schema = engine.get_schema_by_id(schema_id)
                if n == 3:
                    return wire.schema_to_wire(schema, omit_avro_type=not opts.deleted_flag)
                if n == 4 and seg[3] == "schema":
                    return json.loads(schema.schema_str)
            raise _framework_404()
        if seg[0] == "compatibility" and n >= 4 and seg[1] == "subjects" and method == "POST":
            subject = seg[2]
            if seg[3] != "versions" or n > 5:
                raise _framework_404()
            if n == 4 and not opts.combined_compatibility:
                raise _framework_404()
            version = _version(seg[4]) if n == 5 else None
            schema = wire.schema_from_wire(body)
            try:
                result = engine.test_compatibility(subject, schema, version=version)
            except RegistryError as exc:
                if exc.error_code == ErrorCode.INVALID_SCHEMA and flag("verbose"):
                    return {"is_compatible": False, "messages": [exc.message]}
                raise
            answer: dict[str, Any] = {"is_compatible": result.is_compatible}
            if flag("verbose"):
                answer["messages"] = [b.message for b in result.breaking_changes]
            return answer
        if seg[0] == "mode" and not opts.mode_endpoints:
            raise _framework_404()
        if seg[0] in ("config", "mode"):
            return self._settings(engine, method, seg, params, body, flag)
        raise _framework_404()

    def _subjects(
        self,
        engine: RegistryEngine,
        method: str,
        rest: list[str],
        params: dict[str, str],
        body: Any,
        flag: Callable[[str], bool],
    ) -> Any:
        opts = self.options
        if not rest:
            if method != "GET":
                raise _framework_404()
            return engine.list_subjects(
                deleted=flag("deleted") or flag("deletedOnly"),
                prefix=params.get("subjectPrefix") or None,
            )
        subject = rest[0]
        if len(rest) == 1:
            if method == "POST":
                found = engine.lookup(subject, wire.schema_from_wire(body), deleted=flag("deleted"))
                return self._entity(found)
            if method == "DELETE":
                return engine.delete_subject(subject, permanent=flag("permanent"))
            raise _framework_404()
        if rest[1] != "versions":
            raise _framework_404()
        if len(rest) == 2:
            if method == "GET":
                return engine.list_versions(subject, deleted=flag("deleted"))
            if method == "POST":
                registered = engine.register(
                    subject,
                    wire.schema_from_wire(body),
                    schema_id=body.get("id"),
                    version=body.get("version") or None,
                )
                if not opts.register_returns_version:
                    return {"id": registered.schema_id}
                return {
                    "id": registered.schema_id,
                    "version": registered.version,
                    **wire.schema_to_wire(registered.schema, omit_avro_type=True),
                }
            raise _framework_404()
        version = _version(rest[2])
        if len(rest) == 3:
            if method == "GET":
                return self._entity(engine.get_version(subject, version, deleted=flag("deleted")))
            if method == "DELETE":
                if not isinstance(version, int) or version == -1:
                    latest = engine.get_version(subject, "latest")
                    version = latest.version
                return engine.delete_version(subject, version, permanent=flag("permanent"))
        if len(rest) == 4 and rest[3] == "schema" and method == "GET":
            found = engine.get_version(subject, version, deleted=flag("deleted"))
            return json.loads(found.schema.schema_str)
        raise _framework_404()

    def _settings(
        self,
        engine: RegistryEngine,
        method: str,
        seg: list[str],
        params: dict[str, str],
        body: Any,
        flag: Callable[[str], bool],
    ) -> Any:
        kind, subject = seg[0], (seg[1] if len(seg) > 1 else None)
        if len(seg) > 2:
            raise _framework_404()
        if kind == "config":
            if method == "GET":
                level = engine.get_compatibility(subject, default_to_global=flag("defaultToGlobal"))
                if level is None:
                    raise self._no_setting(
                        subject, ErrorCode.SUBJECT_COMPATIBILITY_NOT_CONFIGURED, "compatibility"
                    )
                return {"compatibilityLevel": level.value}
            if method == "PUT":
                level = self._parse(
                    CompatibilityLevel,
                    body.get("compatibility"),
                    ErrorCode.INVALID_COMPATIBILITY_LEVEL,
                )
                engine.set_compatibility(level, subject)
                return wire.compatibility_to_wire(level)
            if method == "DELETE":
                previous = engine.delete_compatibility(subject)
                return {"compatibilityLevel": previous.value}
        else:
            if method == "GET":
                mode = engine.get_mode(subject, default_to_global=flag("defaultToGlobal"))
                if mode is None:
                    raise self._no_setting(subject, ErrorCode.SUBJECT_MODE_NOT_CONFIGURED, "mode")
                return wire.mode_to_wire(mode)
            if method == "PUT":
                mode = self._parse(Mode, body.get("mode"), ErrorCode.INVALID_MODE)
                engine.set_mode(mode, subject, force=flag("force"))
                return wire.mode_to_wire(mode)
            if method == "DELETE" and subject is not None:
                return wire.mode_to_wire(engine.delete_mode(subject))
        raise _framework_404()

    def _no_setting(self, subject: str | None, code: ErrorCode, what: str) -> _Answer:
        if not self.options.subject_setting_codes:
            code = ErrorCode.SUBJECT_NOT_FOUND
        return _refusal(code, f"Subject '{subject}' does not have subject-level {what} configured")

    @staticmethod
    def _parse(enum: Any, value: object, code: ErrorCode) -> Any:
        try:
            return enum(str(value).upper())
        except ValueError:
            raise _refusal(code, f"Invalid value {value!r}") from None


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise _framework_404() from None


def _version(text: str) -> int | str:
    if text.lower() == "latest":
        return "latest"
    try:
        number = int(text)
    except ValueError:
        raise _refusal(ErrorCode.INVALID_VERSION, f"Invalid version {text!r}") from None
    if number == -1:
        return "latest"
    if number < 1:
        raise _refusal(ErrorCode.INVALID_VERSION, f"Invalid version {text!r}")
    return number


def _make_handler(server: RegistryServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes: without NODELAY, Nagle's algorithm and
            # delayed ACKs add ~40 ms to every keep-alive request.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # quiet: tests read server.requests instead

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            _, fault = server._take_fault(self.command, self.path)
            server._enter()
            try:
                self._answer(fault, raw)
            finally:
                server._leave()

        def _answer(self, fault: Fault | None, raw: bytes) -> None:
            if server.options.latency:
                time.sleep(server.options.latency)
            if fault is not None and fault.kind == "reset":
                linger = struct.pack("ii", 1, 0)
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                self.close_connection = True
                return
            if fault is not None and fault.kind == "slow":
                time.sleep(fault.delay)
            if fault is not None and fault.kind == "status":
                code = fault.error_code
                if code is None:
                    code = ErrorCode.STORE_ERROR if fault.status == 500 else fault.status
                extra = {}
                if fault.retry_after is not None:
                    extra["Retry-After"] = f"{fault.retry_after:g}"
                self._send(fault.status, wire.error_body(code, fault.message), extra)
                return
            try:
                body = json.loads(raw) if raw else {}
                status, answer = server.handle(self.command, self.path, body, self.headers)
            except _Answer as exc:
                status, answer = exc.status, exc.body
            except (ValueError, KeyError, TypeError) as exc:
                status, answer = 422, wire.error_body(422, f"Unprocessable request: {exc}")
            except Exception as exc:  # noqa: BLE001 - a server answers 500, it does not crash
                status = ERRORS[ErrorCode.STORE_ERROR].http_status
                answer = wire.error_body(ErrorCode.STORE_ERROR, f"Error in the backend: {exc}")
            self._send(status, answer, {})

        def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", wire.CONTENT_TYPE)
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                self.close_connection = True  # the client gave up (timeout): nothing to do

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler


def _fixture() -> Iterator[RegistryServer]:
    with RegistryServer() as server:
        yield server


try:
    import pytest
except ImportError:  # pragma: no cover - aurum_sr.testing without pytest: no fixture
    pass
else:
    registry_server = pytest.fixture(name="registry_server")(_fixture)
    """A fresh :class:`RegistryServer` per test (import it into your ``conftest.py``)."""


def serve(argv: list[str] | None = None) -> int:
    """``python -m aurum_sr.testing [--snapshot FILE] [--port N] [--latency-ms MS]``.

    Serves the registry REST API on 127.0.0.1 until interrupted, optionally loaded from a
    snapshot file (the server works on a copy in memory; the file is never written). For trying
    aurum-sr against a real HTTP registry without installing one.
    """
    import argparse
    import json
    import signal
    import time
    from pathlib import Path

    from aurum_sr.registry.snapshot import engine_from_document

    parser = argparse.ArgumentParser(prog="python -m aurum_sr.testing", description=serve.__doc__)
    parser.add_argument("--snapshot", help="a snapshot file to load (not modified)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every request")
    args = parser.parse_args(argv)
    engine = None
    if args.snapshot:
        path = Path(args.snapshot)
        engine = engine_from_document(
            json.loads(path.read_text(encoding="utf-8")), name="in-process", source=str(path)
        )
    options = ServerOptions(latency=args.latency_ms / 1000, port=args.port)
    # Stop on Ctrl-C even when started as a background job (which starts with SIGINT ignored),
    # and on SIGTERM as well.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with RegistryServer(options, engine) as server:
        print(f"registry listening on {server.url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    raise SystemExit(serve())
