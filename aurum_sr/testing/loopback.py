"""Serving an HTTP handler on 127.0.0.1 in a background thread: the test server and the proxy."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def serve(
    handler: type[BaseHTTPRequestHandler], port: int = 0
) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Bind ``handler`` on 127.0.0.1:``port`` (0: any free port) and serve it in a daemon thread."""
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    return httpd, thread


def shut_down(httpd: ThreadingHTTPServer | None, thread: threading.Thread | None) -> None:
    """Stop what :func:`serve` started (either part may already be gone)."""
    if httpd is not None:
        httpd.shutdown()
        httpd.server_close()
    if thread is not None:
        thread.join(timeout=5)
