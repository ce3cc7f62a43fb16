"""The planner and the target's capabilities: never a step the registry cannot perform.

One table per decision: a subject-level mode the registry can set (a step), cannot set
(a note when the mode is in effect already, else a block at plan time), or may not be able to
set (unknown: the same as cannot, with the fix to pin the flavor).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from aurum_sr.capabilities import (
    Capabilities,
    Capability,
    Implementation,
    Support,
    capabilities_of,
)
from aurum_sr.compat.differences import VerdictClass
from aurum_sr.diff import diff
from aurum_sr.model import LiveState, Mode
from aurum_sr.plan import Plan, PlanPolicy, SetMode, build_plan
from aurum_sr.plan.builder import record_remote_verdict
from aurum_sr.plan.document import dumps, loads
from aurum_sr.plan.model import SubjectAction
from aurum_sr.plan.reasons import (
    ModeInEffect,
    ModeNotSettable,
    ModeRefusesWrites,
    TargetCannotStore,
    VerdictDependsOnImplementation,
)
from aurum_sr.render import words
from tests.plan.factories import FIXED_TIME, desired, field, live, record, spec, subject_state

S = "aurum.test.orders-value"
V1 = record("Order", field("id", "long"))
V2 = record("Order", field("id", "long"), field("note", ["null", "string"], default=None))

CONFLUENT = capabilities_of(Implementation.CONFLUENT, version="7.6.1", found_by="metadata")
KARAPACE = capabilities_of(Implementation.KARAPACE, found_by="probe")
APICURIO = capabilities_of(Implementation.APICURIO, found_by="url")
UNKNOWN = capabilities_of(Implementation.UNKNOWN, found_by="probe")


def _plan(
    wanted: Mode, state: LiveState, capabilities: Capabilities | None, schema: str = V2
) -> Plan:
    d = desired(spec(S, schema, mode=wanted))
    changes = diff(d, state)
    return build_plan(
        d, state, changes, policy=PlanPolicy(), created_at=FIXED_TIME, capabilities=capabilities
    )


@dataclass(frozen=True)
class Case:
    name: str
    capabilities: Capabilities | None
    subject_mode: Mode | None
    """The subject's own mode (None: it inherits the global READWRITE)."""
    wanted: Mode
    step: bool
    note: bool
    block: Support | None
    """The support the block names, or None when the plan is not blocked by it."""


CASES = [
    Case("supported: pin as a step", CONFLUENT, None, Mode.READWRITE, True, False, None),
    Case("no capabilities given: as before", None, None, Mode.READWRITE, True, False, None),
    Case("not supported, in effect: a note", KARAPACE, None, Mode.READWRITE, False, True, None),
    Case(
        "not supported, subject's own mode equal", KARAPACE, Mode.READWRITE, Mode.READWRITE,
        False, False, None,
    ),
    Case(
        "not supported, differs: blocked", KARAPACE, None, Mode.READONLY, False, False,
        Support.NOT_SUPPORTED,
    ),
    Case("no modes at all, in effect: a note", APICURIO, None, Mode.READWRITE, False, True, None),
    Case(
        "no modes at all, differs: blocked", APICURIO, None, Mode.IMPORT, False, False,
        Support.NOT_SUPPORTED,
    ),
    Case("unknown, in effect: a note", UNKNOWN, None, Mode.READWRITE, False, True, None),
    Case(
        "unknown, differs: blocked (pin the flavor)", UNKNOWN, None, Mode.READONLY, False,
        False, Support.UNKNOWN,
    ),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_mode_pin_is_a_step_a_note_or_a_block_as_the_target_allows(case: Case) -> None:
    state = live(subject_state(S, V1, mode=case.subject_mode))
    plan = _plan(case.wanted, state, case.capabilities)
    steps = [s for s in plan.steps if isinstance(s, SetMode)]
    assert bool(steps) is case.step
    (subject,) = plan.subjects
    notes = [n for n in subject.notes if isinstance(n, ModeInEffect)]
    assert bool(notes) is case.note
    blocks = [b for b in subject.blocked_reasons if isinstance(b, ModeNotSettable)]
    if case.block is None:
        assert not blocks and not plan.blocked
    else:
        (block,) = blocks
        assert block.support is case.block
        assert (block.wanted, block.in_force) == (case.wanted, Mode.READWRITE)
        assert plan.blocked and subject.action is SubjectAction.BLOCKED
        text = words.blocked_reason(block)
        assert "contracts.yml" in text
        assert ("pin flavor" in text) is (case.block is Support.UNKNOWN)


def test_a_read_only_subject_on_a_registry_that_cannot_set_modes_stays_blocked() -> None:
    # Pinning READWRITE would unblock it on Confluent; here no step can, so both reasons show.
    state = live(subject_state(S, V1, mode=Mode.READONLY))
    plan = _plan(Mode.READWRITE, state, KARAPACE)
    (subject,) = plan.subjects
    kinds = {type(b) for b in subject.blocked_reasons}
    assert kinds == {ModeNotSettable, ModeRefusesWrites}
    assert not [s for s in plan.steps if isinstance(s, SetMode)]


def test_a_settings_only_pin_already_in_effect_is_no_change() -> None:
    state = live(subject_state(S, V2))
    plan = _plan(Mode.READWRITE, state, KARAPACE)
    assert not plan.has_changes and not plan.subjects
    assert _plan(Mode.READWRITE, state, CONFLUENT).has_changes


def test_the_note_says_why_there_is_no_step() -> None:
    plan = _plan(Mode.READWRITE, live(), KARAPACE, schema=V1)
    (note,) = [n for n in plan.subjects[0].notes if isinstance(n, ModeInEffect)]
    assert note == ModeInEffect(Mode.READWRITE, Implementation.KARAPACE)
    assert words.note(note) == (
        "mode: READWRITE is already in effect; karapace cannot pin a subject's mode, so there "
        "is no step"
    )


@pytest.mark.parametrize("capabilities", [CONFLUENT, KARAPACE, APICURIO, UNKNOWN, None])
def test_the_plan_document_records_the_capabilities_it_assumed(
    capabilities: Capabilities | None,
) -> None:
    plan = _plan(Mode.READWRITE, live(), capabilities, schema=V1)
    again = loads(dumps(plan))
    assert again.capabilities == capabilities
    if capabilities is not None:
        assert again.capabilities is not None
        assert (
            again.capabilities[Capability.SUBJECT_MODE_WRITE]
            is capabilities[Capability.SUBJECT_MODE_WRITE]
        )


# -- verdicts that differ between implementations ---------------------------------------------

OLD = record("Order", field("id", "long"), field("note", "string", default=""))
CLASS_SCHEMAS = {
    VerdictClass.ALIAS_NAMES_OTHER_FIELD: record(
        "Order", field("id", "long", aliases=["note"]), field("note", "string", default="")
    ),
    VerdictClass.RENAME_BY_UNQUALIFIED_ALIAS: record(
        "Purchase", field("id", "long"), field("note", "string", default=""), aliases=["Order"]
    ),
    VerdictClass.ERROR_RECORD: record(
        "Order",
        field("id", "long"),
        field("note", "string", default=""),
        field("why", ["null", {"type": "error", "name": "Why", "fields": []}], default=None),
    ),
    VerdictClass.NON_SPEC_NAMES: record(
        "Order",
        field("id", "long"),
        field("note", "string", default=""),
        field("k", {"type": "enum", "name": "K-ind", "symbols": ["A"]}, default="A"),
    ),
}
FLAVOR_CAPABILITIES = {
    "confluent": CONFLUENT,
    "karapace": KARAPACE,
    "redpanda": capabilities_of(Implementation.REDPANDA, found_by="pinned"),
    "apicurio": APICURIO,
}
# (class, flavor) -> "none" | "differs" | "unverified" | "blocked"
EXPECTED_OUTCOME: dict[tuple[VerdictClass, str], str] = {
    (kind, name): (
        "none"
        if name == "confluent"
        else "unverified"
        if name in ("redpanda", "apicurio")
        else {
            VerdictClass.ALIAS_NAMES_OTHER_FIELD: "differs",
            VerdictClass.RENAME_BY_UNQUALIFIED_ALIAS: "differs",
            VerdictClass.ERROR_RECORD: "blocked",
            VerdictClass.NON_SPEC_NAMES: "unverified",
        }[kind]
    )
    for kind in VerdictClass
    for name in FLAVOR_CAPABILITIES
}


def _register_plan(schema: str, capabilities: Capabilities) -> Plan:
    d = desired(spec(S, schema))
    state = live(subject_state(S, OLD))
    return build_plan(
        d, state, diff(d, state), policy=PlanPolicy(), created_at=FIXED_TIME,
        capabilities=capabilities,
    )  # fmt: skip


CLASS_CASES = [(kind, name) for kind in VerdictClass for name in sorted(FLAVOR_CAPABILITIES)]


@pytest.mark.parametrize(("kind", "name"), CLASS_CASES)
def test_each_verdict_difference_class_on_each_flavor(kind: VerdictClass, name: str) -> None:
    plan = _register_plan(CLASS_SCHEMAS[kind], FLAVOR_CAPABILITIES[name])
    (subject,) = plan.subjects
    marks = [w for w in subject.warnings if isinstance(w, VerdictDependsOnImplementation)]
    cannot = [b for b in subject.blocked_reasons if isinstance(b, TargetCannotStore)]
    outcome = EXPECTED_OUTCOME[(kind, name)]
    if outcome == "none":
        assert not marks and not cannot
    elif outcome == "blocked":
        assert cannot == [TargetCannotStore(kind, Implementation.KARAPACE)] and plan.blocked
        assert "declare it as a record" in words.blocked_reason(cannot[0])
    else:
        assert [m.verdict_class for m in marks] == [kind] and not cannot
        assert marks[0].known_to_differ is (outcome == "differs")
        assert "--remote-check" in words.subject_warning(marks[0])


def test_the_registry_decides_an_implementation_dependent_verdict() -> None:
    # The local (Java-model) checker refuses the alias change; Karapace accepts it: with
    # --remote-check its "compatible" lifts the block. On Confluent the local verdict stands.
    schema = record("Order", field("id", "long", aliases=["note"]), field("note", "string"))
    for capabilities, lifted in ((KARAPACE, True), (CONFLUENT, False)):
        plan = _register_plan(schema, capabilities)
        assert plan.blocked, "the local checker says incompatible"
        confirmed = record_remote_verdict(plan, S, compatible=True)
        assert confirmed.blocked is not lifted
        assert confirmed.subjects[0].verdict is not None
        assert confirmed.subjects[0].verdict.disagreement
