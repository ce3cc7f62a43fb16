"""Data contracts on every backend: metadata and rule sets are part of a version's identity,
a registration without them inherits the latest version's, and a subject's default and override
metadata and rule sets merge in the registry's order.

Each row of the rule tables names the behaviour of Confluent Schema Registry it encodes
(``AbstractSchemaRegistry.maybeSetMetadataRuleSet``, ``Metadata.mergeMetadata``,
``RuleSet.mergeRuleSets``, ``ConfigValue.update``; see docs/contracts.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest

from aurum_sr.datacontracts import (
    Contract,
    ContractConfig,
    Metadata,
    Rule,
    RuleKind,
    RuleMode,
    RuleSet,
    effective,
    merge_metadata,
    merge_rule_sets,
)
from aurum_sr.errors import InvalidSchemaError
from aurum_sr.model import Schema
from aurum_sr.registry.protocol import Registry
from aurum_sr.testing import RegistryServer
from aurum_sr.testing.flavors import KARAPACE
from tests.registry.conftest import _http
from tests.registry.helpers import V1, V2, respaced

Names = Callable[[str], str]


def meta(**properties: str) -> Metadata:
    return Metadata.of(properties=properties)


def rule(name: str, expr: str = "true", mode: RuleMode = RuleMode.WRITE) -> Rule:
    return Rule(name=name, kind=RuleKind.CONDITION, mode=mode, type="CEL", expr=expr)


def rules(*domain: Rule) -> RuleSet:
    return RuleSet(domain_rules=domain)


def with_contract(
    schema: Schema, metadata: Metadata | None = None, rule_set: RuleSet | None = None
) -> Schema:
    return replace(schema, metadata=metadata, rule_set=rule_set)


# -- the merge functions, row by row ---------------------------------------------------------


@dataclass(frozen=True)
class MergeRow:
    why: str
    old: Metadata | None
    new: Metadata | None
    expected: Metadata | None


METADATA_MERGES = [
    MergeRow("mergeMetadata(null, new) is new", None, meta(a="1"), meta(a="1")),
    MergeRow("mergeMetadata(old, null) is old", meta(a="1"), None, meta(a="1")),
    MergeRow(
        "properties: new's putAll over old's",
        meta(a="1", b="2"),
        meta(b="3", c="4"),
        meta(a="1", b="3", c="4"),
    ),
    MergeRow(
        "tags: a path in new replaces that path's tags (putAll of a map of sets), no union",
        Metadata.of(tags={"t.Order.email": ["PII"], "t.Order.id": ["KEY"]}),
        Metadata.of(tags={"t.Order.email": ["SENSITIVE"]}),
        Metadata.of(tags={"t.Order.email": ["SENSITIVE"], "t.Order.id": ["KEY"]}),
    ),
    MergeRow(
        "sensitive: the union of both sets",
        Metadata.of(sensitive=["a"]),
        Metadata.of(sensitive=["b"]),
        Metadata.of(sensitive=["a", "b"]),
    ),
]


@pytest.mark.parametrize("row", METADATA_MERGES, ids=lambda r: r.why)
def test_metadata_merge(row: MergeRow) -> None:
    assert merge_metadata(row.old, row.new) == row.expected


@dataclass(frozen=True)
class RuleMergeRow:
    why: str
    old: RuleSet | None
    new: RuleSet | None
    expected: RuleSet | None


RULE_MERGES = [
    RuleMergeRow("mergeRuleSets(null, new) is new", None, rules(rule("a")), rules(rule("a"))),
    RuleMergeRow("mergeRuleSets(old, null) is old", rules(rule("a")), None, rules(rule("a"))),
    RuleMergeRow(
        "a rule in new replaces the old rule of the same name; old's others stay first",
        rules(rule("a"), rule("b")),
        rules(rule("b", "false"), rule("c")),
        rules(rule("a"), rule("b", "false"), rule("c")),
    ),
    RuleMergeRow(
        "migration and domain rules merge separately",
        RuleSet(migration_rules=(rule("m", mode=RuleMode.UPGRADE),)),
        rules(rule("m")),
        RuleSet(migration_rules=(rule("m", mode=RuleMode.UPGRADE),), domain_rules=(rule("m"),)),
    ),
]


@pytest.mark.parametrize("row", RULE_MERGES, ids=lambda r: r.why)
def test_rule_set_merge(row: RuleMergeRow) -> None:
    assert merge_rule_sets(row.old, row.new) == row.expected


@dataclass(frozen=True)
class EffectiveRow:
    why: str
    sent: Contract
    previous: Contract | None
    config: ContractConfig
    expected: Contract


EFFECTIVE = [
    EffectiveRow(
        "nothing sent, no previous version, no config: nothing stored",
        Contract(),
        None,
        ContractConfig(),
        Contract(),
    ),
    EffectiveRow(
        "nothing sent: the previous version's metadata and rule set are kept",
        Contract(),
        Contract(meta(owner="a"), rules(rule("r"))),
        ContractConfig(),
        Contract(meta(owner="a"), rules(rule("r"))),
    ),
    EffectiveRow(
        "metadata sent: it replaces the previous version's whole (no merge with it)",
        Contract(meta(team="b")),
        Contract(meta(owner="a"), rules(rule("r"))),
        ContractConfig(),
        Contract(meta(team="b"), rules(rule("r"))),
    ),
    EffectiveRow(
        "an empty rule set sent replaces the previous one (nothing inherited)",
        Contract(rule_set=RuleSet()),
        Contract(rule_set=rules(rule("r"))),
        ContractConfig(),
        Contract(rule_set=RuleSet()),
    ),
    EffectiveRow(
        "defaultMetadata goes under what was sent: the sent value wins",
        Contract(meta(owner="sent")),
        None,
        ContractConfig(default_metadata=meta(owner="default", tier="gold")),
        Contract(meta(owner="sent", tier="gold")),
    ),
    EffectiveRow(
        "overrideMetadata goes over what was sent: the override wins",
        Contract(meta(owner="sent")),
        None,
        ContractConfig(override_metadata=meta(owner="override")),
        Contract(meta(owner="override")),
    ),
    EffectiveRow(
        "default under, override over, the inherited value between",
        Contract(),
        Contract(meta(owner="previous", b="p")),
        ContractConfig(
            default_metadata=meta(owner="default", a="d", b="d"),
            override_metadata=meta(owner="override"),
        ),
        Contract(meta(owner="override", a="d", b="p")),
    ),
    EffectiveRow(
        "defaultRuleSet rules come first, a sent rule of the same name replaces one",
        Contract(rule_set=rules(rule("shared", "sent"), rule("own"))),
        None,
        ContractConfig(default_rule_set=rules(rule("base"), rule("shared", "default"))),
        Contract(rule_set=rules(rule("base"), rule("shared", "sent"), rule("own"))),
    ),
    EffectiveRow(
        "overrideRuleSet rules replace sent rules of the same name and come last",
        Contract(rule_set=rules(rule("guard", "sent"), rule("own"))),
        None,
        ContractConfig(override_rule_set=rules(rule("guard", "override"))),
        Contract(rule_set=rules(rule("own"), rule("guard", "override"))),
    ),
]


@pytest.mark.parametrize("row", EFFECTIVE, ids=lambda r: r.why)
def test_what_the_registry_stores(row: EffectiveRow) -> None:
    assert effective(row.sent, row.previous, row.config) == row.expected


# -- the same rows, through every backend ------------------------------------------------------


@pytest.mark.parametrize("row", EFFECTIVE, ids=lambda r: r.why)
def test_every_backend_stores_what_the_rule_table_says(
    row: EffectiveRow, registry: Registry, names: Names
) -> None:
    s = names("orders-value")
    if row.previous is not None:
        registry.register(s, with_contract(V1, row.previous.metadata, row.previous.rule_set))
    if not row.config.empty:
        registry.set_contract_config(s, row.config)
    done = registry.register(s, with_contract(V2, row.sent.metadata, row.sent.rule_set))
    stored = registry.get_version(s, done.version).schema
    expected = row.expected
    # An empty value and none are the same to the registry.
    assert (stored.metadata or Metadata()) == (expected.metadata or Metadata())
    assert (stored.rule_set or RuleSet()) == (expected.rule_set or RuleSet())


def test_same_schema_with_other_metadata_is_a_new_version(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    first = registry.register(s, with_contract(V1, meta(owner="a")))
    second = registry.register(s, with_contract(V1, meta(owner="b")))
    assert (first.version, second.version) == (1, 2)
    assert first.schema_id != second.schema_id


def test_same_schema_with_another_rule_is_a_new_version(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    registry.register(s, V1)
    second = registry.register(s, with_contract(V1, rule_set=rules(rule("positive"))))
    assert second.version == 2


def test_same_contract_again_is_the_same_version(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    contract = (meta(owner="a"), rules(rule("positive")))
    first = registry.register(s, with_contract(V1, *contract))
    again = registry.register(s, with_contract(respaced(V1), *contract))
    assert (again.version, again.schema_id) == (first.version, first.schema_id)


def test_registration_without_contract_inherits_and_is_no_new_version(
    registry: Registry, names: Names
) -> None:
    s = names("orders-value")
    first = registry.register(s, with_contract(V1, meta(owner="a"), rules(rule("r"))))
    again = registry.register(s, V1)
    assert again.version == first.version
    grown = registry.register(s, V2)
    stored = registry.get_version(s, grown.version).schema
    assert (stored.metadata, stored.rule_set) == (meta(owner="a"), rules(rule("r")))


def test_lookup_finds_the_version_with_the_inherited_contract(
    registry: Registry, names: Names
) -> None:
    s = names("orders-value")
    registry.register(s, with_contract(V1, meta(owner="a")))
    found = registry.lookup(s, V1)
    assert found is not None and found.version == 1


def test_contract_config_round_trips_and_clears(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    registry.register(s, V1)
    config = ContractConfig(
        default_metadata=meta(owner="d"),
        override_rule_set=rules(rule("guard")),
        compatibility_group="application.major.version",
    )
    registry.set_contract_config(s, config)
    assert registry.get_contract_config(s) == config
    registry.set_contract_config(s, ContractConfig(alias="other-value"))
    assert registry.get_contract_config(s) == ContractConfig(alias="other-value")


def test_contract_config_keeps_the_compatibility_level(registry: Registry, names: Names) -> None:
    from aurum_sr.model import CompatibilityLevel

    s = names("orders-value")
    registry.register(s, V1)
    registry.set_compatibility(CompatibilityLevel.FULL, s)
    registry.set_contract_config(s, ContractConfig(alias="x"))
    assert registry.get_compatibility(s) is CompatibilityLevel.FULL
    registry.set_contract_config(s, ContractConfig())
    assert registry.get_compatibility(s) is CompatibilityLevel.FULL


def test_a_subject_without_config_has_an_empty_one(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    registry.register(s, V1)
    assert registry.get_contract_config(s) == ContractConfig()


def test_duplicate_rule_names_are_refused(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    with pytest.raises(InvalidSchemaError):
        registry.register(s, with_contract(V1, rule_set=rules(rule("a"), rule("a"))))


def test_read_state_carries_the_contract(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    registry.register(s, with_contract(V1, meta(owner="a"), rules(rule("r"))))
    state = registry.read_state([s]).subjects[s]
    assert state.latest is not None
    assert state.latest.schema.metadata == meta(owner="a")
    assert state.latest.schema.rule_set == rules(rule("r"))


def test_a_server_without_data_contracts_ignores_them() -> None:
    with RegistryServer(KARAPACE.options()) as running:
        registry = _http(running.url)
        try:
            registry.register("orders-value", with_contract(V1, meta(owner="a")))
            stored = registry.get_version("orders-value", 1).schema
            assert stored.metadata is None
        finally:
            registry.close()
