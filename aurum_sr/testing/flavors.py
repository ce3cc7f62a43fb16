"""Which registry implementation the test server imitates: named presets of its behaviour.

A :class:`Flavor` is a name and the :class:`~aurum_sr.testing.options.ServerOptions` a server of
that implementation starts from; :meth:`Flavor.options` adds how this one runs (port, latency,
credentials). Confluent Platform is the only preset so far; another implementation is one more
preset here (and, where its answers differ in more than these options, its own routes in
:mod:`aurum_sr.testing.routes`).

What each preset imitates, and what that is based on (observed, documented, read in the
implementation's source, or not verified), is written down in ``docs/registries.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from aurum_sr.errors import NotSupportedError
from aurum_sr.testing.options import ServerOptions


@dataclass(frozen=True)
class Flavor:
    """A registry implementation and how it behaves."""

    name: str
    """What ``--flavor`` and the configuration call it, e.g. ``confluent``."""
    description: str
    behaviour: ServerOptions
    """What a server of this implementation answers (never modified; see :meth:`options`)."""

    def options(self, **settings: Any) -> ServerOptions:
        """This flavor's options with ``settings`` (any :class:`ServerOptions` field) on top."""
        return replace(self.behaviour, **settings)


CONFLUENT = Flavor(
    "confluent",
    "Confluent Platform 7.6 (the Confluent Schema Registry REST API)",
    ServerOptions(server_version="7.6.1"),
)

KARAPACE = Flavor(
    "karapace",
    "Karapace 6.2 (Aiven's registry), as observed",
    ServerOptions(
        server_version="6.2.0",
        metadata_endpoint=False,
        mode_writes=False,
        subject_mode_falls_back=True,
        honours_paging=False,
        honours_prefix=False,
        honours_latest_only=False,
        combined_compatibility=False,
        register_returns_version=False,
        sorted_schema_text=True,
        always_verbose=True,
        refuses_error_records=True,
        deleted_flag=False,
        data_contracts=False,
    ),
)

REDPANDA = Flavor(
    "redpanda",
    "Redpanda's built-in schema registry, from its route table",
    ServerOptions(
        server_version="24.1",
        metadata_endpoint=False,
        bulk_listing=False,
        combined_compatibility=False,
        register_returns_version=False,
        deleted_flag=False,
        data_contracts=False,
    ),
)

APICURIO = Flavor(
    "apicurio",
    "Apicurio Registry's Confluent-compatible API (ccompat v7), from its source",
    ServerOptions(
        server_version="2.6",
        base_path="/apis/ccompat/v7",
        metadata_endpoint=False,
        mode_endpoints=False,
        bulk_listing=False,
        combined_compatibility=False,
        register_returns_version=False,
        deleted_flag=False,
        data_contracts=False,
    ),
)

FLAVORS: Mapping[str, Flavor] = MappingProxyType(
    {f.name: f for f in (CONFLUENT, KARAPACE, REDPANDA, APICURIO)}
)
"""Every preset, by name."""


def flavor(name: str) -> Flavor:
    """The preset called ``name`` (case-insensitive).

    Raises:
        NotSupportedError: no preset has that name.
    """
    found = FLAVORS.get(name.strip().lower())
    if found is None:
        raise NotSupportedError(
            f"the test server does not imitate registry flavor {name!r} yet",
            hint=f"use one of: {', '.join(FLAVORS)}",
        )
    return found
