"""Which registry answers, and what it can do: capability discovery, once per client.

At most two requests, none when the configuration pins the flavor or the URL says it:

1. a pinned ``flavor`` → that implementation's profile (no request);
2. the URL: ``…/apis/ccompat/…`` is Apicurio's compatibility API, ``*.confluent.cloud`` is
   Confluent Cloud (no request);
3. ``GET /v1/metadata/version``: Confluent Platform answers with its version (CP 7.0.4+);
4. otherwise ``PUT /mode`` with a value no registry accepts: it writes nothing, and the answer
   says whether modes can be set at all — refused as an invalid mode (they can), or 405/404
   (they cannot; with no metadata endpoint either, this is Karapace as observed). A refusal of
   another kind (403 for a read-only credential) leaves it unknown.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from aurum_sr.capabilities import (
    Capabilities,
    Capability,
    Implementation,
    Support,
    capabilities_of,
    implementation_named,
)
from aurum_sr.errors import ConfigError, RegistryError
from aurum_sr.registry.codes import ErrorCode
from aurum_sr.registry.http import endpoints
from aurum_sr.registry.http.transport import EndpointMissingError, Transport

PROBE_MODE = "AURUM-SR-PROBE"
"""The mode value the probe sends: not a mode, so every registry refuses it unwritten."""


def pinned(flavor: str | None, registry: str) -> Capabilities | None:
    """The profile a configured ``flavor`` pins, or None when none is configured.

    Raises:
        ConfigError: the flavor names no implementation.
    """
    if not flavor:
        return None
    implementation = implementation_named(flavor)
    if implementation is None or implementation is Implementation.SNAPSHOT:
        known = ", ".join(
            i.value
            for i in Implementation
            if i not in (Implementation.UNKNOWN, Implementation.SNAPSHOT)
        )
        raise ConfigError(
            f"registry {registry}: flavor {flavor!r} is not a registry implementation",
            hint=f"set flavor to one of: {known}",
        )
    return capabilities_of(implementation, found_by="pinned")


def from_url(base_url: str) -> Capabilities | None:
    """The implementation the URL itself names, else None."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if "/apis/ccompat/" in parts.path.rstrip("/") + "/":
        return capabilities_of(Implementation.APICURIO, found_by="url")
    if host.endswith(".confluent.cloud"):
        return capabilities_of(Implementation.CONFLUENT_CLOUD, found_by="url")
    return None


def discover(t: Transport, base_url: str, flavor: str | None) -> Capabilities:
    """What the registry at ``t`` is and can do (see the module docstring for the cost)."""
    known = pinned(flavor, t.name) or from_url(base_url)
    if known is not None:
        return known
    try:
        version = endpoints.get_metadata_version(t)
    except EndpointMissingError:
        version = None
    else:
        found = capabilities_of(Implementation.CONFLUENT, version=version, found_by="metadata")
        if _older_than(version, DATA_CONTRACTS_SINCE):
            found = found.with_support(
                Capability.METADATA_RULES, Support.NOT_SUPPORTED, "version below 7.4"
            )
        return found
    writes = probe_mode_writes(t)
    if writes is Support.NOT_SUPPORTED:
        return capabilities_of(Implementation.KARAPACE, found_by="probe")
    unknown = capabilities_of(Implementation.UNKNOWN, found_by="probe")
    return unknown.with_support(Capability.SUBJECT_MODE_WRITE, writes, "mode probe").with_support(
        Capability.GLOBAL_MODE_WRITE, writes, "mode probe"
    )


DATA_CONTRACTS_SINCE = (7, 4)
"""Confluent Platform stores metadata and rule sets from 7.4 on."""


def _older_than(version: str | None, since: tuple[int, int]) -> bool:
    """True when ``version`` (``7.3.1``, ``7.6.1-ce``) is known to be older than ``since``."""
    if not version:
        return False
    parts = version.split("-")[0].split(".")
    try:
        numbers = (int(parts[0]), int(parts[1]) if len(parts) > 1 else 0)
    except ValueError:
        return False
    return numbers < since


def probe_mode_writes(t: Transport) -> Support:
    """Whether the registry sets modes: ``PUT /mode`` with a value it must refuse."""
    try:
        t.call("PUT", "/mode", body={"mode": PROBE_MODE})
    except EndpointMissingError:
        return Support.NOT_SUPPORTED
    except RegistryError as exc:
        if exc.error_code == ErrorCode.INVALID_MODE or exc.http_status in (400, 422):
            return Support.SUPPORTED
        return Support.UNKNOWN
    # Accepted a value that is not a mode: nothing can be concluded (and nothing was set that
    # any mode read would show).
    return Support.UNKNOWN
