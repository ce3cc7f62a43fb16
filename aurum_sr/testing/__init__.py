"""An in-process schema registry for tests: the real REST API over a real socket.

:class:`RegistryServer` listens on 127.0.0.1 (an ephemeral port) and answers the Confluent
Schema Registry REST API from the same :class:`~aurum_sr.registry.engine.RegistryEngine` the
in-memory and snapshot backends use, with the registry's error bodies
(``{"error_code": …, "message": …}``, codes from :mod:`aurum_sr.registry.codes`). It can mimic
older servers (no ``GET /schemas``, no ``deleted`` flag in listings, 40401 instead of
40408/40409, no metadata endpoint, register answering only the id), add latency to every
request, and inject faults: fail the next (or the Nth) request with any status and error code
(``Retry-After`` included), drop the connection, or answer slower than a client's timeout. ::

    from aurum_sr.testing import RegistryServer

    with RegistryServer() as server:
        registry = open_registry(server.url)
        ...
        assert server.request_count == 3

The package, by part:

* :mod:`~aurum_sr.testing.server` — :class:`RegistryServer`: lifecycle, request log, faults;
* :mod:`~aurum_sr.testing.routes` — the REST API as a route table;
* :mod:`~aurum_sr.testing.options` and :mod:`~aurum_sr.testing.flavors` — how it behaves, and
  named presets per registry implementation;
* :mod:`~aurum_sr.testing.faults` — injectable failures;
* :mod:`~aurum_sr.testing.proxy` — :class:`FaultProxy`, a proxy on real sockets in front of a
  server that answers as a hostile network would (HTML 200, cut or dripped bodies, resets
  mid-body, redirects to another host, gzip bombs, writes answered but not stored);
* :mod:`~aurum_sr.testing.plugin` — pytest fixtures (``registry_server``,
  ``registry_server_factory``); ``from aurum_sr.testing import registry_server`` in a
  ``conftest.py`` still works;
* :mod:`~aurum_sr.testing.command` — ``python -m aurum_sr.testing``.
"""

from __future__ import annotations

from typing import Any

from aurum_sr.testing.command import serve
from aurum_sr.testing.faults import Fault, FaultKind
from aurum_sr.testing.flavors import (
    APICURIO,
    CONFLUENT,
    FLAVORS,
    KARAPACE,
    REDPANDA,
    Flavor,
    flavor,
)
from aurum_sr.testing.options import ServerOptions
from aurum_sr.testing.proxy import FaultProxy, Rule
from aurum_sr.testing.server import RegistryServer

__all__ = [
    "APICURIO",
    "CONFLUENT",
    "FLAVORS",
    "Fault",
    "FaultKind",
    "FaultProxy",
    "Flavor",
    "KARAPACE",
    "REDPANDA",
    "RegistryServer",
    "Rule",
    "ServerOptions",
    "flavor",
    "serve",
]


def __getattr__(name: str) -> Any:
    # The fixtures need pytest: import it only when they are asked for, so that the server (and
    # ``python -m aurum_sr.testing``) runs without it.
    if name in ("registry_server", "registry_server_factory"):
        from aurum_sr.testing import plugin

        return getattr(plugin, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
