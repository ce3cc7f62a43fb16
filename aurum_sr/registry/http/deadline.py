"""One deadline for a whole answer, status line and headers included.

A socket timeout bounds each read, so a registry that sends one byte a second never trips it. The
connections of the registry's session read their answers through :class:`_Reader`, which gives
each ``recv`` only the time left before the deadline the transport armed for the request in
progress on this thread (:func:`arm`); past it, the read fails as a timeout and :func:`was_hit`
tells the transport why.
"""

from __future__ import annotations

import http.client
import io
import socket
import threading
import time
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_current = threading.local()


def arm(seconds: float) -> None:
    """Start the deadline of the request this thread is about to send."""
    _current.at = time.monotonic() + seconds
    _current.hit = False


def disarm() -> None:
    _current.at = None


def was_hit() -> bool:
    """Whether the last request of this thread failed because its deadline passed."""
    return bool(getattr(_current, "hit", False))


class _Reader(io.RawIOBase):
    """The socket's bytes (through its own ``SocketIO``, which keeps the socket open while the
    answer is read), each read given the time left before the deadline at most."""

    def __init__(self, sock: socket.socket, at: float) -> None:
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)
        self._at = at
        self._timeout = sock.gettimeout()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        left = self._at - time.monotonic()
        if left <= 0:
            _current.hit = True
            raise TimeoutError("the answer's deadline passed")
        self._sock.settimeout(left if self._timeout is None else min(self._timeout, left))
        try:
            return self._raw.readinto(buffer)
        except TimeoutError:
            if time.monotonic() >= self._at:
                _current.hit = True  # the wait was cut short by the deadline, not by the timeout
            raise

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _Socket:
    """What :class:`http.client.HTTPResponse` asks of a socket: a file to read the answer from."""

    def __init__(self, sock: socket.socket, at: float) -> None:
        self._sock = sock
        self._at = at

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_Reader(self._sock, self._at))


class _Response(http.client.HTTPResponse):
    def __init__(
        self, sock: Any, debuglevel: int = 0, method: str | None = None, url: str | None = None
    ) -> None:
        at = getattr(_current, "at", None)
        super().__init__(_Socket(sock, at) if at is not None else sock, debuglevel, method, url)  # type: ignore[arg-type]


class _Connection(HTTPConnection):
    response_class = _Response


class _TlsConnection(HTTPSConnection):
    response_class = _Response


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _TlsPool(HTTPSConnectionPool):
    ConnectionCls = _TlsConnection


def install(adapter: HTTPAdapter) -> None:
    """Make the direct (not proxied) connections of ``adapter`` keep the armed deadline."""
    adapter.poolmanager.pool_classes_by_scheme = {"http": _Pool, "https": _TlsPool}
