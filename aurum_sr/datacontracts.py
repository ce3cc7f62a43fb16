"""Data contracts: the metadata and rule set a registry stores with every schema version.

Confluent Schema Registry (Platform 7.4+, Cloud) keeps, next to a version's schema text, a
``metadata`` object (``properties``, ``tags`` by field path, ``sensitive`` property names) and a
``ruleSet`` (``domainRules`` and ``migrationRules``). They are part of the version's identity: the
same schema text with other metadata or rules is a new version. A subject's configuration may add
``defaultMetadata`` / ``defaultRuleSet`` (under what a registration sends) and
``overrideMetadata`` / ``overrideRuleSet`` (over it).

The values here are frozen and hashable (they are part of :class:`aurum_sr.model.Schema`), kept in
the registry's canonical order: properties, tag paths, tags and params sorted (the registry holds
them in sorted maps and sets); rules in the order written (order is meaningful to a rule set).

The merge functions follow the registry's ``Metadata.mergeMetadata`` and
``RuleSet.mergeRuleSets``; :func:`effective` is its ``maybeSetMetadataRuleSet`` (see
docs/contracts.md, "How the registry combines metadata and rules"). Pure; no imports from the
package.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

T = TypeVar("T")


class RuleKind(str, Enum):
    """What a rule does: check a message (CONDITION) or change it (TRANSFORM)."""

    CONDITION = "CONDITION"
    TRANSFORM = "TRANSFORM"


class RuleMode(str, Enum):
    """When a rule runs. Migration rules: UPGRADE, DOWNGRADE, UPDOWN; domain rules: WRITE,
    READ, WRITEREAD."""

    UPGRADE = "UPGRADE"
    DOWNGRADE = "DOWNGRADE"
    UPDOWN = "UPDOWN"
    WRITE = "WRITE"
    READ = "READ"
    WRITEREAD = "WRITEREAD"

    @property
    def migration(self) -> bool:
        """True for the modes a migration rule may have."""
        return self in (RuleMode.UPGRADE, RuleMode.DOWNGRADE, RuleMode.UPDOWN)

    @property
    def two_way(self) -> bool:
        """True when ``onSuccess``/``onFailure`` may name two actions (``"NONE,ERROR"``)."""
        return self in (RuleMode.UPDOWN, RuleMode.WRITEREAD)


RULE_TYPES = ("CEL", "CEL_FIELD", "JSONATA", "ENCRYPT", "ENCRYPT_PAYLOAD")
"""The rule executors Confluent's serializers ship (``type``)."""

RULE_ACTIONS = ("NONE", "ERROR", "DLQ")
"""What ``onSuccess`` / ``onFailure`` may name (one per direction for two-way modes)."""


def _pairs(mapping: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((mapping or {}).items()))


@dataclass(frozen=True)
class Metadata:
    """A version's (or a configuration's) ``metadata``."""

    properties: tuple[tuple[str, str], ...] = ()
    """Name → value, sorted by name."""
    tags: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Field path (``com.acme.Order.email``, ``**.ssn``) → tags, sorted."""
    sensitive: tuple[str, ...] = ()
    """Property names whose values are secret (sorted, unique)."""

    @classmethod
    def of(
        cls,
        properties: Mapping[str, str] | None = None,
        tags: Mapping[str, Iterable[str]] | None = None,
        sensitive: Iterable[str] = (),
    ) -> Metadata:
        """Metadata in canonical order from plain mappings."""
        return cls(
            properties=_pairs(properties),
            tags=tuple(sorted((path, tuple(sorted(set(t)))) for path, t in (tags or {}).items())),
            sensitive=tuple(sorted(set(sensitive))),
        )

    @property
    def empty(self) -> bool:
        return not (self.properties or self.tags or self.sensitive)

    def property_map(self) -> dict[str, str]:
        return dict(self.properties)

    def tag_map(self) -> dict[str, tuple[str, ...]]:
        return dict(self.tags)


@dataclass(frozen=True)
class Rule:
    """One rule of a rule set, with the registry's fields."""

    name: str
    kind: RuleKind
    mode: RuleMode
    type: str
    doc: str | None = None
    tags: tuple[str, ...] = ()
    """Field tags the rule applies to (CEL_FIELD, ENCRYPT), sorted."""
    params: tuple[tuple[str, str], ...] = ()
    expr: str | None = None
    on_success: str | None = None
    on_failure: str | None = None
    disabled: bool = False


@dataclass(frozen=True)
class RuleSet:
    """A version's (or a configuration's) ``ruleSet``."""

    migration_rules: tuple[Rule, ...] = ()
    domain_rules: tuple[Rule, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.migration_rules or self.domain_rules)

    def rules(self) -> tuple[Rule, ...]:
        """Every rule: migration rules first, then domain rules."""
        return self.migration_rules + self.domain_rules


@dataclass(frozen=True)
class ContractConfig:
    """A subject's data-contract configuration (the rest of ``/config/{subject}``)."""

    default_metadata: Metadata | None = None
    override_metadata: Metadata | None = None
    default_rule_set: RuleSet | None = None
    override_rule_set: RuleSet | None = None
    compatibility_group: str | None = None
    """The metadata property whose value splits versions into compatibility groups."""
    alias: str | None = None
    """Another subject this one stands for."""

    @property
    def empty(self) -> bool:
        return self.normalized() == ContractConfig()

    def normalized(self) -> ContractConfig:
        """The same configuration with empty metadata and rule sets as none (the registry
        treats them alike)."""

        def m(value: Metadata | None) -> Metadata | None:
            return None if value is None or value.empty else value

        def r(value: RuleSet | None) -> RuleSet | None:
            return None if value is None or value.empty else value

        return ContractConfig(
            default_metadata=m(self.default_metadata),
            override_metadata=m(self.override_metadata),
            default_rule_set=r(self.default_rule_set),
            override_rule_set=r(self.override_rule_set),
            compatibility_group=self.compatibility_group,
            alias=self.alias,
        )

    def with_changes(self, other: ContractConfig) -> ContractConfig:
        """``other``'s values where it sets one, ours elsewhere (how ``PUT /config`` merges)."""
        return ContractConfig(
            default_metadata=_first(other.default_metadata, self.default_metadata),
            override_metadata=_first(other.override_metadata, self.override_metadata),
            default_rule_set=_first(other.default_rule_set, self.default_rule_set),
            override_rule_set=_first(other.override_rule_set, self.override_rule_set),
            compatibility_group=_first(other.compatibility_group, self.compatibility_group),
            alias=_first(other.alias, self.alias),
        )


def _first(a: T | None, b: T | None) -> T | None:
    return a if a is not None else b


EMPTY_CONFIG = ContractConfig()


def merge_metadata(old: Metadata | None, new: Metadata | None) -> Metadata | None:
    """``new`` over ``old``: a property or tag path in ``new`` replaces the same one in ``old``;
    sensitive names are united (the registry's ``Metadata.mergeMetadata``)."""
    if old is None:
        return new
    if new is None:
        return old
    properties = dict(old.properties) | dict(new.properties)
    tags = dict(old.tags) | dict(new.tags)
    return Metadata(
        properties=tuple(sorted(properties.items())),
        tags=tuple(sorted(tags.items())),
        sensitive=tuple(sorted(set(old.sensitive) | set(new.sensitive))),
    )


def _merge_rules(old: tuple[Rule, ...], new: tuple[Rule, ...]) -> tuple[Rule, ...]:
    if not old:
        return new
    if not new:
        return old
    names = {r.name for r in new}
    return tuple(r for r in old if r.name not in names) + new


def merge_rule_sets(old: RuleSet | None, new: RuleSet | None) -> RuleSet | None:
    """``new`` over ``old``: a rule in ``new`` replaces the rule of the same name in ``old``,
    which keeps its other rules first (the registry's ``RuleSet.mergeRuleSets``)."""
    if old is None:
        return new
    if new is None:
        return old
    return RuleSet(
        migration_rules=_merge_rules(old.migration_rules, new.migration_rules),
        domain_rules=_merge_rules(old.domain_rules, new.domain_rules),
    )


@dataclass(frozen=True)
class Contract:
    """The metadata and rule set one version holds."""

    metadata: Metadata | None = None
    rule_set: RuleSet | None = None


def effective(
    sent: Contract, previous: Contract | None, config: ContractConfig = EMPTY_CONFIG
) -> Contract:
    """What the registry stores for a registration that sent ``sent`` (a field left ``None`` is
    not sent), given the latest live version's contract and the subject's configuration.

    The registry takes what was sent, else the previous version's; then merges the configured
    default under it and the configured override over it (``maybeSetMetadataRuleSet``).
    """
    metadata = sent.metadata
    if metadata is None and previous is not None:
        metadata = previous.metadata
    rule_set = sent.rule_set
    if rule_set is None and previous is not None:
        rule_set = previous.rule_set
    return Contract(
        metadata=merge_metadata(
            merge_metadata(config.default_metadata, metadata), config.override_metadata
        ),
        rule_set=merge_rule_sets(
            merge_rule_sets(config.default_rule_set, rule_set), config.override_rule_set
        ),
    )


def same_metadata(a: Metadata | None, b: Metadata | None) -> bool:
    """Equal as the registry compares them: no metadata and empty metadata are the same."""
    return (a if a is not None and not a.empty else None) == (
        b if b is not None and not b.empty else None
    )


def same_rule_set(a: RuleSet | None, b: RuleSet | None) -> bool:
    """Equal as the registry compares them: no rule set and an empty one are the same."""
    return (a if a is not None and not a.empty else None) == (
        b if b is not None and not b.empty else None
    )


def identity_part(contract: Contract) -> tuple[Metadata | None, RuleSet | None]:
    """The part of a version's identity the contract adds (empty counts as none)."""
    m, r = contract.metadata, contract.rule_set
    return (
        m if m is not None and not m.empty else None,
        r if r is not None and not r.empty else None,
    )


__all__ = [
    "EMPTY_CONFIG",
    "RULE_ACTIONS",
    "RULE_TYPES",
    "Contract",
    "ContractConfig",
    "Metadata",
    "Rule",
    "RuleKind",
    "RuleMode",
    "RuleSet",
    "effective",
    "identity_part",
    "merge_metadata",
    "merge_rule_sets",
    "same_metadata",
    "same_rule_set",
]
