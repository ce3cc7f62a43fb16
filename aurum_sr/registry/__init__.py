"""② Registry access: one protocol, several backends that behave the same.

``open_registry`` picks the backend from the URL: ``http(s)://`` → :class:`HttpRegistry`
(Confluent REST API), ``file:PATH`` → :class:`SnapshotRegistry` (one JSON file, the embedded
default), ``memory:`` → :class:`InMemoryRegistry`. Backends are imported lazily so that importing
this package stays cheap.
"""

from __future__ import annotations

from dataclasses import replace

from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.errors import ConfigError
from aurum_sr.registry.protocol import Registry, RegistryStatus, RemoteVerdict, VersionSpec
from aurum_sr.secrets import mask_url

__all__ = ["Registry", "RegistryStatus", "RemoteVerdict", "VersionSpec", "open_registry"]


def open_registry(config_or_url: SchemaRegistryConfig | str) -> Registry:
    """The registry backend ``config_or_url`` points at.

    Raises:
        ConfigError: the URL's scheme is not one of ``http``, ``https``, ``file``, ``memory``.
    """
    config = (
        config_or_url
        if isinstance(config_or_url, SchemaRegistryConfig)
        else SchemaRegistryConfig(base_url=config_or_url)
    )
    url = config.base_url.strip()
    if url.startswith(("http://", "https://")):
        from aurum_sr.registry.http import HttpRegistry

        return HttpRegistry(replace(config, base_url=url))
    if url.startswith("file:"):
        from aurum_sr.registry.snapshot import SnapshotRegistry

        path = url.removeprefix("file:")
        if path.startswith("//"):
            path = path[2:]
        if not path:
            raise ConfigError(
                "registry URL 'file:' names no file",
                hint="write file:PATH, e.g. file:registry/snapshot.json",
            )
        return SnapshotRegistry(path)
    if url.startswith("memory:"):
        from aurum_sr.registry.memory import InMemoryRegistry

        return InMemoryRegistry()
    raise ConfigError(
        f"registry URL {mask_url(url)!r} is not supported",
        hint="use http(s)://HOST[:PORT], file:PATH (a snapshot file) or memory:",
    )
