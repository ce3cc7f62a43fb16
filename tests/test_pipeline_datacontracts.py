"""Data contracts through the whole loop, over HTTP to the in-process registry: the plan says
what changes in metadata and rules (and nothing when nothing does), apply makes it so, and a
registry that cannot store them blocks the plan before anything is written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aurum_sr import pipeline
from aurum_sr.capabilities import Implementation, Support
from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.datacontracts import ContractConfig, Metadata, Rule, RuleKind, RuleMode, RuleSet
from aurum_sr.model import Schema, SubjectSpec
from aurum_sr.plan import Plan, PlanPolicy, SubjectAction
from aurum_sr.plan.document import dumps, loads
from aurum_sr.plan.reasons import (
    ContractConfigChange,
    DataContractsNotStored,
    MetadataChange,
    RuleChange,
)
from aurum_sr.plan.steps import RegisterSchema, SetContractConfig
from aurum_sr.registry.http import HttpRegistry
from aurum_sr.render.words import note
from aurum_sr.testing import RegistryServer
from aurum_sr.testing.flavors import KARAPACE
from tests.factories import FAST_RETRY
from tests.plan.factories import desired, field, record, spec

SUBJECT = "aurum.order-value"
V1 = record("Order", field("id"), field("email"))
V2 = record("Order", field("id"), field("email"), field("note", ["null", "string"], default=None))
PII = Metadata.of(properties={"owner": "orders"}, tags={"aurum.test.Order.email": ["PII"]})
POSITIVE = Rule("id_present", RuleKind.CONDITION, RuleMode.WRITE, "CEL", expr="message.id != ''")


def http(url: str) -> HttpRegistry:
    return HttpRegistry(
        SchemaRegistryConfig(base_url=url, timeout_seconds=5.0, max_workers=4), policy=FAST_RETRY
    )


@pytest.fixture
def registry() -> Iterator[HttpRegistry]:
    with RegistryServer() as running:
        reg = http(running.url)
        yield reg
        reg.close()


def contract_spec(
    schema_str: str = V1,
    metadata: Metadata | None = None,
    rule_set: RuleSet | None = None,
    config: ContractConfig | None = None,
) -> SubjectSpec:
    return replace(
        spec(SUBJECT, schema_str),
        registry_metadata=metadata,
        rule_set=rule_set,
        contract_config=config,
    )


def plan_and_apply(registry: HttpRegistry, wanted: SubjectSpec) -> Plan:
    state = desired(wanted, owned_prefixes=())
    plan = pipeline.make_plan(state, registry, policy=PlanPolicy())
    plan = loads(dumps(plan))  # what apply reads is the saved document
    result = pipeline.apply(plan, registry)
    assert result.ok, result
    return plan


def replan(registry: HttpRegistry, wanted: SubjectSpec) -> Plan:
    return pipeline.make_plan(desired(wanted, owned_prefixes=()), registry, policy=PlanPolicy())


def test_first_version_carries_metadata_and_rules(registry: HttpRegistry) -> None:
    wanted = contract_spec(metadata=PII, rule_set=RuleSet(domain_rules=(POSITIVE,)))
    plan = plan_and_apply(registry, wanted)
    (step,) = [s for s in plan.steps if isinstance(s, RegisterSchema)]
    assert (step.metadata, step.rule_set) == (PII, RuleSet(domain_rules=(POSITIVE,)))
    stored = registry.get_version(SUBJECT, "latest").schema
    assert (stored.metadata, stored.rule_set) == (PII, RuleSet(domain_rules=(POSITIVE,)))
    assert not replan(registry, wanted).has_changes


def test_same_schema_other_metadata_is_a_new_version_with_before_and_after(
    registry: HttpRegistry,
) -> None:
    plan_and_apply(registry, contract_spec(metadata=PII))
    changed = Metadata.of(properties={"owner": "billing"}, tags={"aurum.test.Order.email": ["PII"]})
    plan = replan(registry, contract_spec(metadata=changed))
    (subject,) = plan.subjects
    assert subject.action is SubjectAction.UPDATE
    assert MetadataChange(PII, changed) in subject.notes
    assert note(MetadataChange(PII, changed)) == (
        "metadata changed: property owner: 'orders' -> 'billing'"
    )
    pipeline.apply(plan, registry)
    assert registry.list_versions(SUBJECT) == [1, 2]
    assert not replan(registry, contract_spec(metadata=changed)).has_changes


def test_a_rule_added_is_named_with_its_expression(registry: HttpRegistry) -> None:
    plan_and_apply(registry, contract_spec())
    rules = RuleSet(domain_rules=(POSITIVE,))
    plan = replan(registry, contract_spec(rule_set=rules))
    (subject,) = plan.subjects
    (change,) = [n for n in subject.notes if isinstance(n, RuleChange)]
    assert change == RuleChange("id_present", False, None, POSITIVE)
    assert note(change) == (
        "rule added: domain rule 'id_present' (CONDITION WRITE CEL \"message.id != ''\")"
    )


def test_a_rule_changed_and_one_removed(registry: HttpRegistry) -> None:
    other = Rule("email_set", RuleKind.CONDITION, RuleMode.WRITE, "CEL", expr="message.email != ''")
    plan_and_apply(registry, contract_spec(rule_set=RuleSet(domain_rules=(POSITIVE, other))))
    stricter = replace(POSITIVE, expr="size(message.id) > 3", on_failure="DLQ")
    plan = replan(registry, contract_spec(rule_set=RuleSet(domain_rules=(stricter,))))
    words = [note(n) for n in plan.subjects[0].notes if isinstance(n, RuleChange)]
    assert words == [
        "rule changed: domain rule 'id_present': expr \"message.id != ''\" -> "
        "'size(message.id) > 3'; on_failure none -> 'DLQ'",
        "rule removed: domain rule 'email_set' (CONDITION WRITE CEL \"message.email != ''\")",
    ]


def test_no_metadata_in_the_contracts_inherits_and_is_no_change(registry: HttpRegistry) -> None:
    # Set by hand (another tool), then the contracts say nothing about metadata.
    registry.register(SUBJECT, Schema(V1, metadata=PII))
    assert not replan(registry, contract_spec()).has_changes
    # A new schema registers without metadata, and the registry keeps the previous one's.
    plan = plan_and_apply(registry, contract_spec(V2))
    assert not any(isinstance(n, MetadataChange) for s in plan.subjects for n in s.notes)
    assert registry.get_version(SUBJECT, "latest").schema.metadata == PII


def test_defaults_and_overrides_are_merged_as_the_registry_does(registry: HttpRegistry) -> None:
    config = ContractConfig(
        default_metadata=Metadata.of(properties={"domain": "orders", "owner": "default"}),
        override_metadata=Metadata.of(properties={"classification": "internal"}),
    )
    wanted = contract_spec(metadata=PII, config=config)
    plan = plan_and_apply(registry, wanted)
    steps = [type(s) for s in plan.steps]
    assert steps.index(SetContractConfig) < steps.index(RegisterSchema)
    assert ContractConfigChange(ContractConfig(), config) in plan.subjects[0].notes
    stored = registry.get_version(SUBJECT, "latest").schema.metadata
    assert stored == Metadata.of(
        properties={"domain": "orders", "owner": "orders", "classification": "internal"},
        tags={"aurum.test.Order.email": ["PII"]},
    )
    assert registry.get_contract_config(SUBJECT) == config
    assert not replan(registry, wanted).has_changes


def test_an_override_set_outside_git_shows_as_a_change(registry: HttpRegistry) -> None:
    plan_and_apply(registry, contract_spec(metadata=PII))
    registry.set_contract_config(
        SUBJECT, ContractConfig(override_metadata=Metadata.of(properties={"owner": "ops"}))
    )
    # The next registration would store owner=ops: planning the same schema says so.
    plan = replan(registry, contract_spec(metadata=PII))
    (metadata,) = [n for n in plan.subjects[0].notes if isinstance(n, MetadataChange)]
    assert metadata.after is not None and dict(metadata.after.properties)["owner"] == "ops"


def test_a_registry_without_data_contracts_blocks_at_plan_time() -> None:
    with RegistryServer(KARAPACE.options()) as running:
        registry = http(running.url)
        try:
            plan = replan(registry, contract_spec(metadata=PII))
            (subject,) = plan.subjects
            assert subject.action is SubjectAction.BLOCKED
            assert (
                DataContractsNotStored(Implementation.KARAPACE, Support.NOT_SUPPORTED)
                in subject.blocked_reasons
            )
            assert registry.list_subjects() == []
        finally:
            registry.close()


# -- the invariant: whatever the contracts say, apply then plan says "No changes" ----------

names = st.sampled_from(["a", "b", "c"])
texts = st.sampled_from(["x", "y", "message.id != ''"])
metadata = st.none() | st.builds(
    Metadata.of,
    properties=st.dictionaries(st.sampled_from(["owner", "team", "tier"]), texts, max_size=2),
    tags=st.dictionaries(
        st.sampled_from(["aurum.test.Order.email", "**.id"]),
        st.lists(st.sampled_from(["PII", "KEY"]), min_size=1, max_size=2),
        max_size=2,
    ),
    sensitive=st.lists(st.sampled_from(["owner", "tier"]), max_size=1),
)
domain_rules = st.builds(
    Rule,
    name=names,
    kind=st.sampled_from(list(RuleKind)),
    mode=st.sampled_from([RuleMode.WRITE, RuleMode.READ, RuleMode.WRITEREAD]),
    type=st.sampled_from(["CEL", "CEL_FIELD"]),
    expr=texts,
    disabled=st.booleans(),
)
rule_sets = st.none() | st.lists(domain_rules, max_size=3, unique_by=lambda r: r.name).map(
    lambda rules: RuleSet(domain_rules=tuple(rules))
)
configs = st.none() | st.builds(
    ContractConfig,
    default_metadata=metadata,
    override_metadata=metadata,
    default_rule_set=rule_sets,
    override_rule_set=rule_sets,
    alias=st.none() | st.just("aurum.other-value"),
).map(ContractConfig.normalized)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    before=st.tuples(metadata, rule_sets, configs),
    after=st.tuples(st.sampled_from([V1, V2]), metadata, rule_sets, configs),
)
def test_apply_then_plan_has_no_changes(
    registry: HttpRegistry,
    before: tuple[Metadata | None, RuleSet | None, ContractConfig | None],
    after: tuple[str, Metadata | None, RuleSet | None, ContractConfig | None],
) -> None:
    subject = f"aurum.h{next(_COUNTER)}-value"
    first = replace(contract_spec(V1, *before), subject=subject)
    plan_and_apply(registry, first)
    schema_str, metadata_after, rules_after, config_after = after
    wanted = replace(
        contract_spec(schema_str, metadata_after, rules_after, config_after), subject=subject
    )
    plan_and_apply(registry, wanted)
    again = pipeline.make_plan(desired(wanted, owned_prefixes=()), registry, policy=PlanPolicy())
    assert not again.has_changes, [note(n) for s in again.subjects for n in s.notes]


_COUNTER = iter(range(10**6))


def test_an_older_confluent_platform_blocks_too() -> None:
    from aurum_sr.testing.flavors import CONFLUENT

    with RegistryServer(CONFLUENT.options(server_version="7.3.2", data_contracts=False)) as running:
        registry = http(running.url)
        try:
            plan = replan(registry, contract_spec(rule_set=RuleSet(domain_rules=(POSITIVE,))))
            assert plan.subjects[0].blocked_reasons == (
                DataContractsNotStored(Implementation.CONFLUENT, Support.NOT_SUPPORTED),
            )
        finally:
            registry.close()
