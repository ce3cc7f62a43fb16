"""Which registry implementation the test server imitates: named presets of its behaviour.

A :class:`Flavor` is a name and the :class:`~aurum_sr.testing.options.ServerOptions` a server of
that implementation starts from; :meth:`Flavor.options` adds how this one runs (port, latency,
credentials). Confluent Platform is the only preset so far; another implementation is one more
preset here (and, where its answers differ in more than these options, its own routes in
:mod:`aurum_sr.testing.routes`).
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

FLAVORS: Mapping[str, Flavor] = MappingProxyType({f.name: f for f in (CONFLUENT,)})
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
