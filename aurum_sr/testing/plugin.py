"""pytest fixtures for the in-process registry server.

Load them as a plugin (``pytest_plugins = ["aurum_sr.testing.plugin"]`` in the top-level
``conftest.py``) or import the ones you need into a ``conftest.py``::

    from aurum_sr.testing.plugin import registry_server, registry_server_factory

* ``registry_server`` — a fresh :class:`~aurum_sr.testing.RegistryServer` per test;
* ``registry_server_factory`` — a function that starts servers with any options, flavor or
  engine (``registry_server_factory(options=ServerOptions(bulk_listing=False))``); every server
  it started is stopped when the test ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from aurum_sr.registry.engine import RegistryEngine
from aurum_sr.testing.options import ServerOptions
from aurum_sr.testing.server import RegistryServer

ServerFactory = Callable[..., RegistryServer]
"""``(options=None, engine=None) -> RegistryServer``, started."""


@pytest.fixture(name="registry_server_factory")
def registry_server_factory() -> Iterator[ServerFactory]:
    """Starts registry servers for one test; stops them all after it."""
    with ExitStack() as stack:

        def start(
            options: ServerOptions | None = None, engine: RegistryEngine | None = None
        ) -> RegistryServer:
            server = RegistryServer(options or ServerOptions(), engine)
            return stack.enter_context(server)

        yield start


@pytest.fixture(name="registry_server")
def registry_server() -> Iterator[RegistryServer]:
    """A fresh :class:`RegistryServer` per test."""
    with RegistryServer() as server:
        yield server
