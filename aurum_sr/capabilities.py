"""What a registry can do: its implementation, and each capability supported, not, or unknown.

Registries that speak the Confluent REST API differ: Karapace reads modes but cannot set them,
Apicurio's compatibility API has no modes at all, only Confluent has contexts and data-contract
rules. A :class:`Capabilities` value is what one run found out (or what the configuration pinned
with ``flavor = "karapace"``); the plan records it, the planner never emits a step it says the
target cannot perform, and apply refuses a plan made for a registry that could do more.

Frozen data only: discovery itself is the registry client's business
(:mod:`aurum_sr.registry.http.discovery`); the profiles here are the facts per implementation,
each documented in ``docs/registries.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType


class Support(str, Enum):
    """Whether the target can do one thing."""

    SUPPORTED = "supported"
    NOT_SUPPORTED = "not_supported"
    UNKNOWN = "unknown"
    """Not known: the implementation was not identified (pin ``flavor`` in the configuration)."""


class Implementation(str, Enum):
    """Which registry implementation answers (the value is what ``flavor`` pins)."""

    CONFLUENT = "confluent"
    """Confluent Platform (self-managed)."""
    CONFLUENT_CLOUD = "confluent-cloud"
    KARAPACE = "karapace"
    REDPANDA = "redpanda"
    APICURIO = "apicurio"
    """Apicurio Registry's Confluent-compatible API (``/apis/ccompat/v7``)."""
    SNAPSHOT = "snapshot"
    """A snapshot file or the in-memory registry: this tool's own engine."""
    UNKNOWN = "unknown"


class Capability(str, Enum):
    """One thing a registry may or may not do (the value is the plan document's key)."""

    SUBJECT_MODE_READ = "subject_mode_read"
    SUBJECT_MODE_WRITE = "subject_mode_write"
    GLOBAL_MODE_READ = "global_mode_read"
    GLOBAL_MODE_WRITE = "global_mode_write"
    CONTEXTS = "contexts"
    METADATA_RULES = "metadata_rules"
    """Data contracts: ``metadata`` and ``ruleSet`` on a schema."""
    NORMALIZE = "normalize"
    SCHEMAS_PAGING = "schemas_paging"
    """``offset``/``limit`` on ``GET /schemas`` are honoured (else filtered locally)."""
    SCHEMAS_PREFIX = "schemas_prefix"
    """``subjectPrefix`` on ``GET /schemas`` is honoured (else filtered locally)."""
    DELETED_LISTING = "deleted_listing"
    """``deleted=true`` lists soft-deleted subjects and versions."""
    PERMANENT_DELETE = "permanent_delete"
    VERBOSE_COMPATIBILITY = "verbose_compatibility"
    """The compatibility test says why (``verbose=true``, or always)."""
    DEFAULT_TO_GLOBAL = "default_to_global"
    COMPATIBILITY_ALL_VERSIONS = "compatibility_all_versions"
    """``POST /compatibility/subjects/{s}/versions`` (without a version)."""
    COMPATIBILITY_PER_VERSION = "compatibility_per_version"
    """``POST /compatibility/subjects/{s}/versions/{v}``."""


_S, _N, _U = Support.SUPPORTED, Support.NOT_SUPPORTED, Support.UNKNOWN
C = Capability


def _table(**overrides: Support) -> Mapping[Capability, Support]:
    """Every capability supported, except ``overrides`` (by the capability's value)."""
    table = {c: _S for c in Capability}
    for key, value in overrides.items():
        table[Capability(key)] = value
    return MappingProxyType(table)


PROFILES: Mapping[Implementation, Mapping[Capability, Support]] = MappingProxyType(
    {
        Implementation.CONFLUENT: _table(),
        Implementation.CONFLUENT_CLOUD: _table(),
        # Observed against Karapace 6.2 (docs/registries.md).
        Implementation.KARAPACE: _table(
            subject_mode_write=_N,
            global_mode_write=_N,
            contexts=_N,
            metadata_rules=_N,
            normalize=_U,
            schemas_paging=_N,
            schemas_prefix=_N,
            compatibility_all_versions=_N,
        ),
        # From Redpanda's documentation and source (docs/registries.md); not observed.
        Implementation.REDPANDA: _table(
            contexts=_U,
            metadata_rules=_N,
            verbose_compatibility=_U,
            normalize=_U,
            schemas_paging=_N,
            schemas_prefix=_N,
            default_to_global=_U,
            compatibility_all_versions=_N,
        ),
        # From Apicurio Registry's ccompat v7 source (docs/registries.md); not observed.
        Implementation.APICURIO: _table(
            subject_mode_read=_N,
            subject_mode_write=_N,
            global_mode_read=_N,
            global_mode_write=_N,
            contexts=_N,
            metadata_rules=_N,
            normalize=_U,
            schemas_paging=_U,
            schemas_prefix=_U,
            deleted_listing=_U,
            permanent_delete=_U,
            verbose_compatibility=_U,
            default_to_global=_U,
            compatibility_all_versions=_U,
        ),
        Implementation.SNAPSHOT: _table(contexts=_N),
        Implementation.UNKNOWN: MappingProxyType(
            {
                c: _S
                if c in (C.SUBJECT_MODE_READ, C.GLOBAL_MODE_READ, C.COMPATIBILITY_PER_VERSION)
                else _U
                for c in Capability
            }
        ),
    }
)
"""What each implementation can do, as far as it is known."""


@dataclass(frozen=True)
class Capabilities:
    """What one registry can do, and how that was found out."""

    implementation: Implementation
    version: str | None = None
    """The implementation's version where the registry says it."""
    found_by: str = "profile"
    """How the implementation was decided: ``pinned`` (the configuration), ``metadata``
    (``GET /v1/metadata/version``), ``server header``, ``url``, ``probe``, ``local``."""
    support: tuple[tuple[Capability, Support], ...] = ()
    """Every capability and its support, in :class:`Capability` order."""

    def __getitem__(self, capability: Capability) -> Support:
        for key, value in self.support:
            if key is capability:
                return value
        return Support.UNKNOWN

    def supports(self, capability: Capability) -> bool:
        return self[capability] is Support.SUPPORTED

    def lacks(self, capability: Capability) -> bool:
        return self[capability] is Support.NOT_SUPPORTED

    def with_support(self, capability: Capability, support: Support, found_by: str) -> Capabilities:
        """A copy where ``capability`` is ``support`` (what a probe found out)."""
        table = dict(self.support)
        table[capability] = support
        return Capabilities(
            self.implementation,
            self.version,
            f"{self.found_by}, {found_by}",
            tuple((c, table.get(c, Support.UNKNOWN)) for c in Capability),
        )

    def missing_in(self, other: Capabilities) -> tuple[Capability, ...]:
        """What this registry was known to do that ``other`` is known not to do."""
        return tuple(c for c in Capability if self.supports(c) and other.lacks(c))


def capabilities_of(
    implementation: Implementation, *, version: str | None = None, found_by: str = "profile"
) -> Capabilities:
    """The profile of ``implementation``."""
    table = PROFILES[implementation]
    return Capabilities(implementation, version, found_by, tuple((c, table[c]) for c in Capability))


def implementation_named(name: str) -> Implementation | None:
    """The implementation a ``flavor`` setting names (case-insensitive), else None."""
    wanted = name.strip().lower().replace("_", "-")
    for implementation in Implementation:
        if implementation.value == wanted and implementation is not Implementation.UNKNOWN:
            return implementation
    return None


LOCAL = capabilities_of(Implementation.SNAPSHOT, found_by="local")
"""A snapshot file or the in-memory registry."""
