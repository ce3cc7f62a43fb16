"""The promotion gate and the delete policy over a plan: pure, table-driven."""

from __future__ import annotations

from aurum_sr.plan.model import SubjectAction
from aurum_sr.plan.promotion import forbid_deletes, gate, schema_changes
from aurum_sr.plan.reasons import DeletesNotAllowed, NotPromoted, PromotionCheckSkipped
from tests.render.scenarios import compatible_new_version, deletion, no_changes, rollback

SUBJECT = "aurum.orders-value"


def test_schema_changes_are_registrations_and_rollbacks() -> None:
    assert schema_changes(compatible_new_version()) == {SUBJECT: 2}
    assert schema_changes(rollback()) == {SUBJECT: 1}
    assert schema_changes(no_changes()) == {}


def test_a_change_the_previous_environment_lacks_is_blocked_naming_it() -> None:
    plan = gate(compatible_new_version(), "staging", {SUBJECT: "stg." + SUBJECT}, {})
    (subject,) = plan.subjects
    assert subject.action is SubjectAction.BLOCKED and plan.blocked
    assert subject.blocked_reasons[-1] == NotPromoted("staging", "stg." + SUBJECT, 2)


def test_a_change_the_previous_environment_holds_passes_untouched() -> None:
    plan = compatible_new_version()
    assert gate(plan, "staging", {"aurum.other-value": "aurum.other-value"}, {}) == plan


def test_a_skipped_subject_passes_and_the_plan_records_why() -> None:
    plan = gate(compatible_new_version(), "staging", {SUBJECT: SUBJECT}, {SUBJECT: "INC-7"})
    assert not plan.blocked
    assert plan.warnings[-1] == PromotionCheckSkipped(SUBJECT, "staging", "INC-7")


def test_deletes_never_blocks_every_subject_with_a_delete_only() -> None:
    plan = forbid_deletes(deletion(), "prod")
    blocked = {s.subject for s in plan.subjects if DeletesNotAllowed("prod") in s.blocked_reasons}
    assert blocked and plan.blocked
    assert SUBJECT not in blocked
    assert forbid_deletes(no_changes(), "prod") == no_changes()
