"""A fault-injecting HTTP proxy for tests: real sockets between a client and a registry server.

:class:`FaultProxy` listens on 127.0.0.1 and forwards every request to an upstream registry (a
:class:`~aurum_sr.testing.server.RegistryServer`, or any URL), except those a :class:`Rule`
matches: those it answers the way a hostile or broken network would — an HTML login page with
200, a body cut short, JSON of the wrong shape, an answer dripped a byte at a time, a connection
reset half-way through the body, a redirect to another host, a gzip bomb, a write answered 200
but never forwarded — or it runs an action (another writer) before forwarding. It records every
request it sees, headers included, so a test can check what reached the other side. ::

    with RegistryServer() as server, FaultProxy(server.url) as proxy:
        proxy.add(Rule("html", path="/config"))
        registry = open_registry(proxy.url)
"""

from __future__ import annotations

import http.client
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import urlsplit

from aurum_sr.testing.loopback import serve, shut_down

RuleKind = Literal[
    "html",
    "body",
    "truncate",
    "drip",
    "drip_all",
    "reset",
    "redirect",
    "gzip_bomb",
    "swallow",
    "before",
]
"""``html``: 200 with an HTML page; ``body``: ``status`` with ``body`` as given; ``truncate``:
the upstream answer cut in half, the connection closed (framing consistent, JSON broken);
``drip``: the upstream answer's body one byte every ``delay`` seconds; ``drip_all``: the same from
the status line on; ``reset``: the upstream answer's
headers and half its body, then a TCP reset; ``redirect``: 307 to ``location`` + the request's
path; ``gzip_bomb``: 200, ``Content-Encoding: gzip``, ``size`` zero bytes once inflated;
``swallow``: 200 with ``body`` without forwarding (a write answered but not stored); ``before``:
run ``action`` then forward."""

JSON_TYPE = "application/vnd.schemaregistry.v1+json"
LOGIN_PAGE = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>SSO</body></html>"


@dataclass
class Rule:
    """What to do to matching requests."""

    kind: RuleKind
    method: str | None = None
    """Only requests with this method (``None``: any)."""
    path: str | None = None
    """Only requests whose path (without the query) starts with this (``None``: any)."""
    query: str | None = None
    """Only requests whose query string holds this (``None``: any)."""
    times: int | None = 1
    """How many requests the rule applies to (``None``: every one)."""
    status: int = 200
    body: bytes = b""
    location: str = ""
    delay: float = 0.05
    size: int = 0
    action: Callable[[], None] | None = None

    def matches(self, method: str, target: str) -> bool:
        parts = urlsplit(target)
        return (
            (self.times is None or self.times > 0)
            and (self.method is None or self.method == method)
            and (self.path is None or parts.path.startswith(self.path))
            and (self.query is None or self.query in parts.query)
        )


@dataclass(frozen=True)
class Seen:
    """A request as it reached the proxy."""

    method: str
    path: str
    headers: dict[str, str]


@dataclass
class FaultProxy:
    """A proxy on 127.0.0.1 in front of ``upstream`` (context manager)."""

    upstream: str
    seen: list[Seen] = field(default_factory=list)
    """Every request received, in order."""

    def __post_init__(self) -> None:
        self._rules: list[Rule] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def start(self) -> FaultProxy:
        self._httpd, self._thread = serve(_make_handler(self))
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        return self

    def stop(self) -> None:
        shut_down(self._httpd, self._thread)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add(self, rule: Rule) -> Rule:
        """Apply ``rule`` to the next matching request(s)."""
        with self._lock:
            self._rules.append(rule)
        return rule

    def _take(self, seen: Seen) -> Rule | None:
        with self._lock:
            self.seen.append(seen)
            for rule in self._rules:
                if rule.matches(seen.method, seen.path):
                    if rule.times is not None:
                        rule.times -= 1
                    return rule
        return None

    def forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        """Send the request upstream; its (status, headers, body)."""
        parts = urlsplit(self.upstream)
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
        try:
            sent = {k: v for k, v in headers.items() if k.lower() not in ("host", "connection")}
            conn.request(method, path, body=body or None, headers=sent)
            answer = conn.getresponse()
            return answer.status, dict(answer.getheaders()), answer.read()
        finally:
            conn.close()


def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzip-compressed (about a thousandth of ``size``)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    out = []
    left = size
    while left > 0:
        out.append(packer.compress(block[: min(left, len(block))]))
        left -= len(block)
    out.append(packer.flush())
    return b"".join(out)


def _make_handler(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items()}
            rule = proxy._take(Seen(self.command, self.path, headers))
            try:
                self._answer(rule, headers, body)
            except OSError:
                self.close_connection = True

        def _answer(self, rule: Rule | None, headers: dict[str, str], body: bytes) -> None:
            kind = rule.kind if rule is not None else None
            if rule is None or kind == "before":
                if rule is not None and rule.action is not None:
                    rule.action()
                self._relay(*proxy.forward(self.command, self.path, headers, body))
                return
            if kind == "html":
                self._send(200, LOGIN_PAGE, "text/html; charset=utf-8")
            elif kind in ("body", "swallow"):
                self._send(rule.status, rule.body, JSON_TYPE)
            elif kind == "redirect":
                self.send_response(307)
                self.send_header("Location", rule.location + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif kind == "gzip_bomb":
                self._send(200, gzip_bomb(rule.size), JSON_TYPE, {"Content-Encoding": "gzip"})
            else:
                status, _, data = proxy.forward(self.command, self.path, headers, body)
                self._broken(rule, status, data)

        def _broken(self, rule: Rule, status: int, data: bytes) -> None:
            if rule.kind == "drip_all":
                head = (
                    f"HTTP/1.1 {status} OK\r\nContent-Type: {JSON_TYPE}\r\n"
                    f"Content-Length: {len(data)}\r\n\r\n"
                ).encode()
                for byte in head + data:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(rule.delay)
                return
            self.send_response(status)
            self.send_header("Content-Type", JSON_TYPE)
            if rule.kind == "truncate":
                # No length: the body ends where the connection does, half-way through.
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.close_connection = True
                return
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if rule.kind == "drip":
                for byte in data:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(rule.delay)
                return
            # reset: half the body, then RST instead of the rest.
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True

        def _relay(self, status: int, headers: dict[str, str], data: bytes) -> None:
            self._send(status, data, headers.get("Content-Type", JSON_TYPE))

        def _send(
            self, status: int, data: bytes, kind: str, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler
