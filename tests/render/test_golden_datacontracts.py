"""Golden files of plans that change data contracts: metadata changed, rules added, changed and
removed, a data-contract configuration set, and a registry that cannot store them.

Rewrite them with ``UPDATE_GOLDEN=1 pytest tests/render`` and review the diff before committing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace

import pytest

from aurum_sr.capabilities import Implementation, capabilities_of
from aurum_sr.datacontracts import ContractConfig, Metadata, Rule, RuleKind, RuleMode, RuleSet
from aurum_sr.diff import diff
from aurum_sr.model import Schema
from aurum_sr.plan import Plan, PlanPolicy, build_plan
from aurum_sr.render import render
from aurum_sr.render.formats import PLAN_FORMATS
from tests.plan.factories import FIXED_TIME, desired, field, live, record, spec, subject_state
from tests.render.test_golden import FORMATS, _check

ORDER = record("Order", field("order_id", "long"), field("email"), field("amount", "double"))
BEFORE = Metadata.of(properties={"owner": "orders"}, tags={"aurum.test.Order.email": ["PII"]})
AFTER = Metadata.of(
    properties={"owner": "billing", "tier": "gold"},
    tags={"aurum.test.Order.email": ["PII", "SENSITIVE"]},
)
POSITIVE = Rule(
    "amount_positive", RuleKind.CONDITION, RuleMode.WRITE, "CEL", expr="message.amount > 0.0"
)
EMAIL = Rule("email_set", RuleKind.CONDITION, RuleMode.WRITE, "CEL", expr="message.email != ''")
UPGRADE = Rule(
    "v1_to_v2",
    RuleKind.TRANSFORM,
    RuleMode.UPGRADE,
    "JSONATA",
    expr="$merge([$, {'tier': 'gold'}])",
)


def _plan(*, capabilities: Implementation | None = None) -> Plan:
    wanted = replace(
        spec("aurum.orders-value", ORDER),
        registry_metadata=AFTER,
        rule_set=RuleSet(
            migration_rules=(UPGRADE,),
            domain_rules=(replace(POSITIVE, on_failure="DLQ"),),
        ),
        contract_config=ContractConfig(
            default_metadata=Metadata.of(properties={"domain": "sales"}),
            compatibility_group="major",
        ),
    )
    state = desired(wanted)
    held = Schema(ORDER, metadata=BEFORE, rule_set=RuleSet(domain_rules=(POSITIVE, EMAIL)))
    seen = live(subject_state("aurum.orders-value", held))
    known = capabilities_of(capabilities) if capabilities is not None else None
    return build_plan(
        state,
        seen,
        diff(state, seen),
        policy=PlanPolicy(),
        created_at=FIXED_TIME,
        capabilities=known,
    )


PLANS: dict[str, Callable[[], Plan]] = {
    "data_contracts": _plan,
    "data_contracts_blocked": lambda: _plan(capabilities=Implementation.KARAPACE),
}


@pytest.mark.parametrize("fmt", sorted(f.value for f in PLAN_FORMATS))
@pytest.mark.parametrize("scenario", sorted(PLANS))
def test_data_contract_plan_golden(scenario: str, fmt: str) -> None:
    stream = io.StringIO()
    render(PLANS[scenario](), fmt, stream, color=False)
    _check(f"{scenario}.{FORMATS[fmt]}", stream.getvalue())
