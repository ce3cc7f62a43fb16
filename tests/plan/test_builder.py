"""The planner: step order, the level each verdict uses, what blocks, preconditions."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from aurum_sr import compat
from aurum_sr.compat.result import CompatibilityResult
from aurum_sr.diff import diff
from aurum_sr.errors import PlanError
from aurum_sr.model import (
    CompatibilityLevel,
    DesiredReference,
    DesiredState,
    Lifecycle,
    LiveState,
    Mode,
    RegisteredSchema,
    Schema,
    SchemaReference,
)
from aurum_sr.plan import (
    DeleteSubject,
    DeleteVersion,
    Plan,
    PlanPolicy,
    RegisterSchema,
    SetCompatibility,
    SetMode,
    SubjectAction,
    build_plan,
    record_remote_verdict,
)
from aurum_sr.plan.builder import precondition
from aurum_sr.plan.document import dumps, loads
from aurum_sr.plan.reasons import (
    AllowedBy,
    HistoryBreaksNewLevel,
    ModeRefusesWrites,
    RollbackStrandsData,
    SubjectReferenced,
    VersionReferenced,
)
from aurum_sr.render import words
from tests.plan.factories import FIXED_TIME, desired, field, live, record, spec, subject_state
from tests.render import scenarios

L = CompatibilityLevel
S = "aurum.orders-value"
V1 = record("Order", field("id", "long"))
V2 = record("Order", field("id", "long"), field("note", ["null", "string"], default=None))
BREAKING = record("Order", field("id", "long"), field("currency"))


def _plan(d: DesiredState, lv: LiveState, policy: PlanPolicy | None = None) -> Plan:
    policy = policy or PlanPolicy()
    return build_plan(d, lv, diff(d, lv, prune=policy.prune), policy=policy, created_at=FIXED_TIME)


def _kinds(plan: Plan) -> list[str]:
    return [f"{s.kind}:{s.subject}" for s in plan.steps]


def test_loosening_goes_before_and_tightening_after_the_registration() -> None:
    plan = scenarios.tighten_and_loosen()
    assert _kinds(plan) == [
        "set_compatibility:aurum.legacy-value",
        "register_schema:aurum.legacy-value",
        "register_schema:aurum.orders-value",
        "set_compatibility:aurum.orders-value",
    ]
    verdicts = {s.subject: s.verdict for s in plan.subjects}
    assert verdicts["aurum.legacy-value"] is not None
    assert verdicts["aurum.legacy-value"].level is L.NONE  # the loosened level is in force
    assert verdicts["aurum.orders-value"] is not None
    assert verdicts["aurum.orders-value"].level is L.BACKWARD  # tightened only afterwards


def test_incomparable_level_change_counts_as_loosening() -> None:
    d = desired(spec(S, V2, compatibility=L.FORWARD))
    plan = _plan(d, live(subject_state(S, V1, compatibility=L.BACKWARD)))
    assert isinstance(plan.steps[0], SetCompatibility) and plan.steps[0].loosening
    assert plan.subjects[0].verdict is not None and plan.subjects[0].verdict.level is L.FORWARD


def test_mode_to_readwrite_before_and_to_readonly_after() -> None:
    lv = live(subject_state(S, V1, mode=Mode.READONLY))
    plan = _plan(desired(spec(S, V2, mode=Mode.READWRITE)), lv)
    assert _kinds(plan) == [f"set_mode:{S}", f"register_schema:{S}"]
    assert not plan.warnings
    plan = _plan(desired(spec(S, V2, mode=Mode.READONLY)), live(subject_state(S, V1)))
    assert _kinds(plan) == [f"register_schema:{S}", f"set_mode:{S}"]


def test_registration_in_a_read_only_subject_blocks_the_plan() -> None:
    plan = _plan(desired(spec(S, V2)), live(subject_state(S, V1, mode=Mode.READONLY)))
    assert plan.blocked
    (subject,) = plan.subjects
    assert subject.action is SubjectAction.BLOCKED
    assert subject.blocked_reasons == (ModeRefusesWrites(S, Mode.READONLY),)


def test_create_sets_compatibility_before_the_first_version() -> None:
    plan = _plan(desired(spec(S, V1, compatibility=L.FULL)), live())
    assert _kinds(plan) == [f"set_compatibility:{S}", f"register_schema:{S}"]
    assert plan.subjects[0].action is SubjectAction.CREATE
    assert words.plan_summary(plan) == "Plan: 1 to create, 0 to update, 0 to delete, 0 blocked."


def test_settings_only_change_is_an_update() -> None:
    plan = _plan(desired(spec(S, V1, compatibility=L.FULL)), live(subject_state(S, V1)))
    assert _kinds(plan) == [f"set_compatibility:{S}"]
    assert plan.subjects[0].action is SubjectAction.UPDATE


class _Spy:
    def __init__(self) -> None:
        self.calls: list[tuple[list[int], CompatibilityLevel]] = []
        self.real = compat.check

    def __call__(
        self,
        new: Schema,
        previous: Sequence[RegisteredSchema],
        level: CompatibilityLevel,
        *,
        resolver: object = None,
    ) -> CompatibilityResult:
        self.calls.append(([p.version for p in previous], level))
        return self.real(new, previous, level, resolver=resolver)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("level", "checked"),
    [(L.BACKWARD, [4]), (L.BACKWARD_TRANSITIVE, [1, 2, 4]), (L.FULL_TRANSITIVE, [1, 2, 4])],
)
def test_checked_against_live_versions_only(
    monkeypatch: pytest.MonkeyPatch, level: CompatibilityLevel, checked: list[int]
) -> None:
    spy = _Spy()
    monkeypatch.setattr(compat, "check", spy, raising=False)
    v3 = record("Order", field("id", "long"), field("x", "int", default=1))
    history = (V1, V1.replace('"id"', '"id", "doc": "k"'), v3, V2)
    lv = live(subject_state(S, *history, deleted=(3,), compatibility=level))
    plan = _plan(desired(spec(S, BREAKING.replace("currency", "c2"), compatibility=level)), lv)
    assert spy.calls == [(checked, level)]
    verdict = plan.subjects[0].verdict
    assert verdict is not None and list(verdict.checked_versions) == checked


def test_incompatible_change_blocks() -> None:
    plan = scenarios.breaking_blocked()
    assert plan.blocked
    (subject,) = plan.subjects
    assert subject.action is SubjectAction.BLOCKED
    assert subject.verdict is not None and subject.verdict.blocking
    assert subject.verdict.breaking_changes


def test_allow_incompatible_is_recorded() -> None:
    plan = scenarios.breaking_allowed()
    assert not plan.blocked
    verdict = plan.subjects[0].verdict
    assert verdict is not None and not verdict.compatible and verdict.allowed
    assert verdict.allowed_by is AllowedBy.ALLOW_INCOMPATIBLE
    assert plan.policy.allow_incompatible == (S,)


def test_contract_level_none_never_blocks() -> None:
    plan = _plan(
        desired(spec(S, BREAKING, compatibility=L.NONE)),
        live(subject_state(S, V1, compatibility=L.NONE)),
    )
    assert not plan.blocked
    assert plan.subjects[0].verdict is not None and plan.subjects[0].verdict.compatible


def test_reference_chain_registers_in_reference_order_with_planned_versions() -> None:
    plan = scenarios.reference_chain()
    registers = [s for s in plan.steps if isinstance(s, RegisterSchema)]
    assert [s.subject for s in registers] == [
        "aurum.common.GeoLocation",
        "aurum.noaa.station-value",
        "aurum.noaa.weather-value",
    ]
    assert registers[0].expected_version == 2
    assert [(r.subject, r.version, r.planned) for r in registers[1].references] == [
        ("aurum.common.GeoLocation", None, True)
    ]
    assert all(s.verdict is not None and s.verdict.compatible for s in plan.subjects)


def test_reference_order_beats_name_order() -> None:
    geo = record("A", field("x", "int"), namespace="z")
    site = record("Site", field("a", "z.A"))
    d = desired(
        spec("aurum.a-value", site, references=(DesiredReference("z.A", "aurum.z-value"),)),
        spec("aurum.z-value", geo),
    )
    plan = _plan(d, live())
    assert _kinds(plan) == ["register_schema:aurum.z-value", "register_schema:aurum.a-value"]


def test_rollback_soft_deletes_newer_versions_newest_first() -> None:
    v3 = record("Order", field("id", "long"), field("n", "int", default=0))
    plan = _plan(desired(spec(S, V1)), live(subject_state(S, V1, V2, v3)))
    assert [(s.kind, getattr(s, "version", None)) for s in plan.steps] == [
        ("delete_version", 3),
        ("delete_version", 2),
    ]
    assert all(isinstance(s, DeleteVersion) and not s.permanent for s in plan.steps)
    assert plan.subjects[0].action is SubjectAction.ROLLBACK
    assert plan.needs_allow_delete


def test_rollback_blocked_while_a_newer_version_is_referenced() -> None:
    user = Schema(
        record("User", field("o", "aurum.test.Order")),
        references=(SchemaReference("aurum.test.Order", S, 2),),
    )
    lv = live(subject_state(S, V1, V2), subject_state("aurum.user-value", user))
    pinned = (DesiredReference("aurum.test.Order", S, 2),)
    plan = _plan(
        desired(spec(S, V1), spec("aurum.user-value", user.schema_str, references=pinned)), lv
    )
    subject = next(s for s in plan.subjects if s.subject == S)
    assert subject.blocked_reasons == (VersionReferenced(2, "aurum.user-value"),)
    assert subject.action is SubjectAction.BLOCKED
    assert plan.blocked


def test_deletes_run_last_referrers_first_and_references_block() -> None:
    plan = scenarios.deletion()
    deletes = [(s.subject, s.permanent) for s in plan.steps if isinstance(s, DeleteSubject)]
    assert deletes.index(("aurum.old.customer-value", False)) < deletes.index(
        ("aurum.old.address-value", False)
    )
    assert ("aurum.old.retired-value", True) in deletes
    assert not plan.blocked


def test_delete_refused_while_a_kept_subject_references_it() -> None:
    address = record("Address", field("street"), namespace="aurum.old")
    customer = Schema(
        record("Customer", field("a", "aurum.old.Address"), namespace="aurum.old"),
        references=(SchemaReference("aurum.old.Address", "aurum.address-value", 1),),
    )
    d = desired(
        spec("aurum.address-value", lifecycle=Lifecycle.ABSENT),
        spec(
            "aurum.customer-value",
            customer.schema_str,
            references=(DesiredReference("aurum.old.Address", "aurum.address-value", 1),),
        ),
    )
    lv = live(
        subject_state("aurum.address-value", address),
        subject_state("aurum.customer-value", customer),
    )
    plan = _plan(d, lv)
    subject = next(s for s in plan.subjects if s.subject == "aurum.address-value")
    assert subject.action is SubjectAction.BLOCKED
    assert subject.blocked_reasons == (SubjectReferenced("aurum.customer-value"),)


@pytest.mark.parametrize(
    ("deleted", "permanent", "expected"),
    [
        ((), False, [("aurum.old-value", False)]),
        ((), True, [("aurum.old-value", False)]),  # permanent only once soft-deleted
        ((1,), False, []),
        ((1,), True, [("aurum.old-value", True)]),
    ],
)
def test_permanent_delete_only_when_asked_and_soft_deleted(
    deleted: tuple[int, ...], permanent: bool, expected: list[tuple[str, bool]]
) -> None:
    d = desired(spec("aurum.old-value", lifecycle=Lifecycle.ABSENT))
    lv = live(subject_state("aurum.old-value", V1, deleted=deleted))
    plan = _plan(d, lv, PlanPolicy(permanent=permanent))
    assert [
        (s.subject, s.permanent) for s in plan.steps if isinstance(s, DeleteSubject)
    ] == expected


def test_preconditions_cover_touched_subjects_and_their_digest_moves() -> None:
    plan = scenarios.compatible_new_version()
    (pre,) = plan.preconditions
    assert pre.subject == S and [v.version for v in pre.versions] == [1]
    state = subject_state(S, V1, compatibility=L.BACKWARD)
    moved = subject_state(S, V1, V2, compatibility=L.BACKWARD)
    assert precondition(S, state).digest == pre.digest
    assert precondition(S, moved).digest != pre.digest
    assert precondition(S, None).versions == ()


def test_registry_is_masked() -> None:
    lv = live()
    lv = LiveState("https://user:hunter2@reg.example", lv.global_compatibility, lv.global_mode)
    plan = _plan(desired(spec(S, V1)), lv)
    assert "hunter2" not in plan.registry


def test_mode_step_types() -> None:
    plan = scenarios.mode_change()
    assert isinstance(plan.steps[-1], SetMode) and plan.steps[-1].mode is Mode.READONLY


def test_remote_verdict_disagreement_is_recorded_and_blocks() -> None:
    plan = scenarios.compatible_new_version()
    confirmed = record_remote_verdict(plan, S, compatible=True)
    assert confirmed.subjects[0].verdict is not None
    assert not confirmed.subjects[0].verdict.disagreement and not confirmed.blocked
    refused = record_remote_verdict(plan, S, compatible=False, messages=("field x",))
    verdict = refused.subjects[0].verdict
    assert verdict is not None and verdict.disagreement and verdict.remote_messages == ("field x",)
    assert refused.blocked
    assert loads(dumps(refused)) == refused
    with pytest.raises(PlanError):
        record_remote_verdict(plan, "aurum.unknown-value", compatible=True)


def test_remote_disagreement_is_loud_in_every_format() -> None:
    import io

    from aurum_sr.render import render

    plan = record_remote_verdict(scenarios.compatible_new_version(), S, compatible=False)
    for fmt in ("human", "markdown"):
        out = io.StringIO()
        render(plan, fmt, out)
        assert "REGISTRY DISAGREES" in out.getvalue()
    out = io.StringIO()
    render(plan, "github", out)
    assert "verdicts disagree" in out.getvalue()


# The registry does not re-check history when a level is tightened; the plan says so.
AMOUNT_INT = record("Order", field("id", "long"), field("amount", "int"))
NO_AMOUNT = record("Order", field("id", "long"))
AMOUNT_STR = record("Order", field("id", "long"), field("amount", "string", default=""))


def test_tightening_warns_when_the_history_breaks_the_new_level() -> None:
    lv = live(subject_state(S, AMOUNT_INT, NO_AMOUNT, compatibility=L.BACKWARD))
    plan = _plan(desired(spec(S, AMOUNT_STR, compatibility=L.BACKWARD_TRANSITIVE)), lv)
    (subject,) = plan.subjects
    assert not plan.blocked  # v3 is BACKWARD-compatible with v2, the level in force
    (warning,) = subject.warnings
    assert isinstance(warning, HistoryBreaksNewLevel)
    assert (warning.level, warning.against_version) == (L.BACKWARD_TRANSITIVE, 1)
    assert warning.field_path == "Order.amount"


def test_tightening_is_quiet_when_the_history_holds() -> None:
    lv = live(subject_state(S, V1, compatibility=L.BACKWARD))
    plan = _plan(desired(spec(S, V2, compatibility=L.FULL_TRANSITIVE)), lv)
    assert plan.subjects[0].warnings == ()


def test_settings_only_tightening_checks_the_latest_against_its_history() -> None:
    lv = live(subject_state(S, AMOUNT_INT, NO_AMOUNT, AMOUNT_STR, compatibility=L.BACKWARD))
    plan = _plan(desired(spec(S, AMOUNT_STR, compatibility=L.BACKWARD_TRANSITIVE)), lv)
    (subject,) = plan.subjects
    assert subject.action is SubjectAction.UPDATE
    (warning,) = subject.warnings
    assert isinstance(warning, HistoryBreaksNewLevel) and warning.against_version == 1


def test_rollback_warns_when_old_readers_cannot_read_newer_data() -> None:
    narrowed = record("Order", field("id", "int"))
    plan = _plan(desired(spec(S, narrowed)), live(subject_state(S, narrowed, V1)))
    (subject,) = plan.subjects
    assert subject.action is SubjectAction.ROLLBACK
    (warning,) = subject.warnings
    assert isinstance(warning, RollbackStrandsData)
    assert (warning.target, warning.newer) == (1, (2,))
