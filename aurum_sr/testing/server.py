""":class:`RegistryServer`: the registry REST API on 127.0.0.1, over a real socket.

The server runs ``http.server`` in a background thread; each request is counted, may meet an
injected fault (:mod:`aurum_sr.testing.faults`), is checked for credentials when the options ask
for them, and is answered by the route table (:mod:`aurum_sr.testing.routes`) from a
:class:`~aurum_sr.registry.engine.RegistryEngine`.
"""

from __future__ import annotations

import base64
import hmac
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from aurum_sr.errors import RegistryError
from aurum_sr.registry import wire
from aurum_sr.registry.codes import ERRORS, ErrorCode
from aurum_sr.registry.engine import RegistryEngine
from aurum_sr.testing.faults import Fault, Faults
from aurum_sr.testing.loopback import serve, shut_down
from aurum_sr.testing.options import ServerOptions
from aurum_sr.testing.routes import ROUTES, Answer, Call, RouteTable, register


@dataclass
class RegistryServer:
    """A registry server on 127.0.0.1 backed by a :class:`RegistryEngine` (context manager)."""

    options: ServerOptions = field(default_factory=ServerOptions)
    engine: RegistryEngine | None = None
    requests: list[tuple[str, str]] = field(default_factory=list)
    """Every request received, as (method, path with query)."""
    routes: RouteTable = ROUTES
    """The API it answers."""

    def __post_init__(self) -> None:
        self._faults = Faults()
        self._lock = threading.Lock()
        self._in_flight = 0
        self.max_in_flight = 0
        """The most requests the server was answering at the same time."""
        self._writes = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> RegistryServer:
        self._httpd, self._thread = serve(_make_handler(self), self.options.port)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}{self.options.base_path}"
        if self.engine is None:
            self.engine = RegistryEngine(self.url)
        return self

    def stop(self) -> None:
        shut_down(self._httpd, self._thread)
        self._httpd = None
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
        self._faults.add(fault)

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

    def _take_fault(self, method: str, path: str) -> Fault | None:
        """Count the request; the fault it meets, if any."""
        with self._lock:
            self.requests.append((method, path))
            return self._faults.take(len(self.requests), method, urlsplit(path).path)

    # -- the API -----------------------------------------------------------------------------

    def handle(self, method: str, target: str, body: Any, headers: Any) -> tuple[int, Any]:
        """Answer one request: (status, JSON body).

        Raises:
            Answer: an answer other than 200 that is not a registry error (401, the framework's
                404, the registry refusing a malformed value).
        """
        self._check_auth(headers)
        parts = urlsplit(target)
        base = self.options.base_path.rstrip("/")
        if base and not (parts.path == base or parts.path.startswith(base + "/")):
            raise Answer(404, wire.error_body(404, "HTTP 404 Not Found"))
        segments = [unquote(s) for s in parts.path[len(base) :].split("/") if s]
        params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        engine = self.engine
        assert engine is not None
        route, args = self.routes.find(method, segments, self.options)
        writes = method in ("PUT", "DELETE") or route.handler is register
        if writes and self._starting():
            return 500, wire.error_body(
                ErrorCode.REQUEST_FORWARDING_FAILED,
                "Error while forwarding the request to the master",
            )
        try:
            return 200, route.handler(Call(engine, self.options, args, params, body))
        except RegistryError as exc:
            status = exc.http_status or 500
            code = exc.error_code or status
            said = exc.registry_message if exc.registry_message is not None else exc.message
            return status, wire.error_body(code, said)

    def _starting(self) -> bool:
        """Whether this write meets the start-up window (``forwarding_errors``)."""
        with self._lock:
            self._writes += 1
            return self._writes <= self.options.forwarding_errors

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
            raise Answer(401, wire.error_body(401, "Unauthorized"))


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
            fault = server._take_fault(self.command, self.path)
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
            except Answer as exc:
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
