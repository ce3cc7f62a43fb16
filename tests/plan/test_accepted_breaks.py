"""Approvals in ``accepted_breaks:``: which registration each one accepts, and the warnings for
the ones that accept nothing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pytest

from aurum_sr.canonical import schema_digest
from aurum_sr.diff import diff
from aurum_sr.errors import PlanFileError
from aurum_sr.model import BreakApproval, CompatibilityLevel, SourceLocation
from aurum_sr.plan import Plan, PlanPolicy, SubjectAction, build_plan
from aurum_sr.plan.document import dumps, loads
from aurum_sr.plan.reasons import (
    AllowedBy,
    ApprovalExpired,
    ApprovalMiss,
    ApprovalUnmatched,
    Incompatible,
    LevelLiftedForBreak,
)
from aurum_sr.plan.steps import RegisterSchema, SetCompatibility
from tests.plan.factories import FIXED_TIME, desired, field, live, record, spec, subject_state

L = CompatibilityLevel
S = "aurum.orders-value"
V1 = record("Order", field("id", "long"))
V2 = record("Order", field("id", "long"), field("note", ["null", "string"], default=None))
BREAKING = record("Order", field("id", "long"), field("currency"))
OTHER_BREAK = record("Order", field("id", "long"), field("region"))
TODAY = FIXED_TIME.date()  # 2026-11-27
WHERE = SourceLocation("contracts/contracts.yml", 12, 9)


def _approval(
    digest: str | None = None, version: int | None = None, until: date | None = None
) -> BreakApproval:
    return BreakApproval("jane.doe", "consumers upgraded", digest, version, until, WHERE)


def _plan(
    schema: str,
    *approvals: BreakApproval,
    live_schemas: tuple[str, ...] = (V1,),
    level: L | None = L.BACKWARD,
    contract_level: L | None = L.BACKWARD,
    policy: PlanPolicy | None = None,
) -> Plan:
    item = replace(spec(S, schema, compatibility=contract_level), accepted_breaks=approvals)
    d = desired(item)
    lv = live(subject_state(S, *live_schemas, compatibility=level))
    policy = policy or PlanPolicy()
    return build_plan(d, lv, diff(d, lv), policy=policy, created_at=FIXED_TIME)


@dataclass(frozen=True)
class Case:
    name: str
    schema: str
    approvals: tuple[BreakApproval, ...]
    action: SubjectAction
    allowed_by: AllowedBy | None
    warning: ApprovalMiss | str | None = None
    """The plan warning expected: a miss, ``"expired"``, or None."""
    live_schemas: tuple[str, ...] = (V1,)


BREAK_DIGEST = schema_digest(BREAKING)
CASES = [
    Case(
        "digest names the break",
        BREAKING,
        (_approval(BREAK_DIGEST),),
        SubjectAction.UPDATE,
        AllowedBy.ACCEPTED_IN_CONTRACTS,
    ),
    Case(
        "version names the break",
        BREAKING,
        (_approval(version=2),),
        SubjectAction.UPDATE,
        AllowedBy.ACCEPTED_IN_CONTRACTS,
    ),
    Case(
        "digest and version both match",
        BREAKING,
        (_approval(BREAK_DIGEST, 2),),
        SubjectAction.UPDATE,
        AllowedBy.ACCEPTED_IN_CONTRACTS,
    ),
    Case(
        "the digest matches but the version does not",
        BREAKING,
        (_approval(BREAK_DIGEST, 3),),
        SubjectAction.BLOCKED,
        None,
        ApprovalMiss.OTHER_SCHEMA,
    ),
    Case(
        "a later, different break is not accepted",
        OTHER_BREAK,
        (_approval(BREAK_DIGEST),),
        SubjectAction.BLOCKED,
        None,
        ApprovalMiss.OTHER_SCHEMA,
    ),
    Case(
        "a version already taken names another registration",
        BREAKING,
        (_approval(version=5),),
        SubjectAction.BLOCKED,
        None,
        ApprovalMiss.OTHER_SCHEMA,
    ),
    Case(
        "until today still accepts",
        BREAKING,
        (_approval(BREAK_DIGEST, until=TODAY),),
        SubjectAction.UPDATE,
        AllowedBy.ACCEPTED_IN_CONTRACTS,
    ),
    Case(
        "until yesterday accepts nothing",
        BREAKING,
        (_approval(BREAK_DIGEST, until=date(2026, 11, 26)),),
        SubjectAction.BLOCKED,
        None,
        "expired",
    ),
    Case(
        "a compatible change needs no approval",
        V2,
        (_approval(schema_digest(V2)),),
        SubjectAction.UPDATE,
        None,
        ApprovalMiss.NOT_NEEDED,
    ),
    Case(
        "the break is in the registry already",
        BREAKING,
        (_approval(BREAK_DIGEST),),
        SubjectAction.UPDATE,
        None,
        ApprovalMiss.ALREADY_REGISTERED,
        live_schemas=(V1, BREAKING),
    ),
    Case(
        "the subject does not change",
        V1,
        (_approval(BREAK_DIGEST),),
        SubjectAction.UPDATE,
        None,
        ApprovalMiss.NOTHING_REGISTERED,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_which_registration_an_approval_accepts(case: Case) -> None:
    plan = _plan(case.schema, *case.approvals, live_schemas=case.live_schemas)
    subject = next((s for s in plan.subjects if s.subject == S), None)
    if subject is not None:
        assert subject.action is case.action
        assert subject.verdict is not None
        assert subject.verdict.allowed_by is case.allowed_by
        accepted = subject.verdict.accepted
        assert (accepted is not None) is (case.allowed_by is AllowedBy.ACCEPTED_IN_CONTRACTS)
        if accepted is not None:
            assert (accepted.by, accepted.reason, accepted.location) == (
                "jane.doe",
                "consumers upgraded",
                WHERE,
            )
    else:
        assert case.warning in (ApprovalMiss.NOTHING_REGISTERED, ApprovalMiss.ALREADY_REGISTERED)
    if case.warning is None:
        assert plan.warnings == ()
    elif case.warning == "expired":
        (warning,) = plan.warnings
        assert isinstance(warning, ApprovalExpired) and warning.matches
        assert warning.until == date(2026, 11, 26)
    else:
        (warning,) = plan.warnings
        assert isinstance(warning, ApprovalUnmatched)
        assert (warning.subject, warning.miss, warning.location) == (S, case.warning, WHERE)


def test_an_accepted_break_registers_with_the_level_at_none_and_restores_it() -> None:
    plan = _plan(BREAKING, _approval(BREAK_DIGEST))
    assert [type(s).__name__ for s in plan.steps] == [
        "SetCompatibility",
        "RegisterSchema",
        "SetCompatibility",
    ]
    lift, register, restore = plan.steps
    assert isinstance(lift, SetCompatibility) and isinstance(restore, SetCompatibility)
    assert (lift.level, lift.previous, lift.loosening) == (L.NONE, L.BACKWARD, True)
    assert isinstance(register, RegisterSchema) and register.expected_version == 2
    assert (restore.level, restore.previous, restore.loosening) == (L.BACKWARD, L.NONE, False)
    (subject,) = plan.subjects
    assert LevelLiftedForBreak(L.BACKWARD, L.BACKWARD) in subject.notes
    assert subject.verdict is not None and subject.verdict.level is L.BACKWARD


def test_an_inherited_level_is_pinned_after_an_accepted_break() -> None:
    plan = _plan(BREAKING, _approval(BREAK_DIGEST), level=None, contract_level=None)
    lift, _, restore = plan.steps
    assert isinstance(lift, SetCompatibility) and isinstance(restore, SetCompatibility)
    assert (lift.level, lift.previous) == (L.NONE, None)
    assert (restore.level, restore.previous) == (L.BACKWARD, L.NONE)


def test_a_tightening_in_the_same_plan_is_what_restores_the_level() -> None:
    plan = _plan(BREAKING, _approval(BREAK_DIGEST), contract_level=L.FULL)
    levels = [s.level for s in plan.steps if isinstance(s, SetCompatibility)]
    assert levels == [L.NONE, L.FULL]
    (subject,) = plan.subjects
    assert LevelLiftedForBreak(L.BACKWARD, L.FULL) in subject.notes


def test_the_allow_incompatible_flag_lifts_the_level_too() -> None:
    plan = _plan(BREAKING, policy=PlanPolicy(allow_incompatible=(S,)))
    (subject,) = plan.subjects
    assert subject.verdict is not None
    assert subject.verdict.allowed_by is AllowedBy.ALLOW_INCOMPATIBLE
    assert [s.level for s in plan.steps if isinstance(s, SetCompatibility)] == [L.NONE, L.BACKWARD]


def test_an_approval_in_git_is_recorded_even_when_the_flag_is_given() -> None:
    plan = _plan(BREAKING, _approval(BREAK_DIGEST), policy=PlanPolicy(allow_incompatible=(S,)))
    (subject,) = plan.subjects
    assert subject.verdict is not None and subject.verdict.accepted is not None


def test_a_blocked_break_carries_the_digest_and_version_an_approval_names() -> None:
    (subject,) = _plan(BREAKING).subjects
    (reason,) = subject.blocked_reasons
    assert reason == Incompatible(L.BACKWARD, 1, BREAK_DIGEST, 2, "contracts/contracts.yml")
    assert BREAK_DIGEST.startswith("sha256:") and len(BREAK_DIGEST) == 71


def test_the_digest_ignores_whitespace_and_key_order_but_not_content() -> None:
    reordered = '{"fields": [{"type": "long", "name": "id"}], "namespace": "aurum.test",\n' + (
        '   "name": "Order", "type": "record"}'
    )
    assert schema_digest(reordered) == schema_digest(V1)
    assert schema_digest(V2) != schema_digest(V1)


def test_the_saved_plan_carries_the_approval_under_its_digest() -> None:
    plan = _plan(BREAKING, _approval(BREAK_DIGEST, until=date(2027, 1, 31)))
    text = dumps(plan)
    again = loads(text)
    assert again == plan
    (subject,) = again.subjects
    assert subject.verdict is not None and subject.verdict.accepted is not None
    assert subject.verdict.accepted.until == date(2027, 1, 31)
    # Editing who approved it is refused: the approval is part of what the digest covers.
    edited = text.replace('"by": "jane.doe"', '"by": "someone.else"')
    assert edited != text
    with pytest.raises(PlanFileError, match="digest does not match"):
        loads(edited)
