"""The diff: one action per subject, decided by registry identity."""

from __future__ import annotations

import json

import pytest

from aurum_sr.diff import SchemaAction, diff
from aurum_sr.errors import PlanError
from aurum_sr.model import (
    CompatibilityLevel,
    DesiredReference,
    Lifecycle,
    Mode,
    Schema,
    SchemaReference,
)
from tests.plan.factories import desired, field, live, live_from, record, spec, subject_state

S = "aurum.orders-value"
V1 = record("Order", field("order_id", "long"), field("amount", "double"))
V2 = record("Order", field("order_id", "long"), field("note", ["null", "string"], default=None))
NESTED = json.dumps(
    {
        "type": "record",
        "name": "Order",
        "namespace": "aurum.test",
        "fields": [
            {
                "name": "line",
                "type": {
                    "type": "record",
                    "name": "Line",
                    "fields": [{"name": "n", "type": "int"}],
                },
            }
        ],
    }
)


def _edit(text: str, **changes: object) -> str:
    """``text`` with the second field's attributes changed."""
    parsed = json.loads(text)
    parsed["fields"][1].update(changes)
    return json.dumps(parsed)


def _action(desired_schema: str, *live_schemas: str, deleted: tuple[int, ...] = ()) -> SchemaAction:
    d = desired(spec(S, desired_schema))
    lv = live(subject_state(S, *live_schemas, deleted=deleted)) if live_schemas else live()
    (change,) = diff(d, lv).subjects
    return change.action


@pytest.mark.parametrize(
    ("case", "desired_schema", "expected"),
    [
        ("reindented", json.dumps(json.loads(V1), indent=8), SchemaAction.UNCHANGED),
        (
            "keys reordered",
            json.dumps(json.loads(V1), sort_keys=True),
            SchemaAction.UNCHANGED,
        ),
        ("doc added", _edit(V1, doc="What it costs."), SchemaAction.REGISTER),
        ("default added", _edit(V1, default=0.0), SchemaAction.REGISTER),
        ("alias added", _edit(V1, aliases=["total"]), SchemaAction.REGISTER),
        ("type changed", _edit(V1, type="float"), SchemaAction.REGISTER),
        ("custom attribute", _edit(V1, unit="EUR"), SchemaAction.REGISTER),
    ],
)
def test_identity_is_the_registrys(case: str, desired_schema: str, expected: SchemaAction) -> None:
    assert _action(desired_schema, V1) is expected, case


def test_dropping_an_inherited_namespace_is_no_change() -> None:
    explicit = NESTED.replace('"name": "Line"', '"name": "Line", "namespace": "aurum.test"')
    assert _action(NESTED, explicit) is SchemaAction.UNCHANGED


def test_actions_by_history() -> None:
    assert _action(V1) is SchemaAction.CREATE
    assert _action(V2, V1) is SchemaAction.REGISTER
    assert _action(V2, V1, V2) is SchemaAction.UNCHANGED
    assert _action(V1, V1, V2) is SchemaAction.ROLLBACK
    # Equal to a soft-deleted version only: the registry registers it again as a new version.
    assert _action(V2, V1, V2, deleted=(2,)) is SchemaAction.REGISTER
    # Only soft-deleted versions left: the subject is created again.
    assert _action(V1, V1, deleted=(1,)) is SchemaAction.CREATE


def test_rollback_names_the_versions_to_remove() -> None:
    d = desired(spec(S, V1))
    (change,) = diff(d, live(subject_state(S, V1, V2, V2.replace("note", "memo")))).subjects
    assert change.action is SchemaAction.ROLLBACK
    assert change.matched_version == 1
    assert change.newer_versions == (2, 3)


def test_deleted_match_is_reported() -> None:
    (change,) = diff(desired(spec(S, V2)), live(subject_state(S, V1, V2, deleted=(2,)))).subjects
    assert change.deleted_match == 2


@pytest.mark.parametrize(
    ("live_states", "action", "soft_deleted"),
    [
        ((), SchemaAction.ABSENT, False),
        ((subject_state(S, V1),), SchemaAction.DELETE, False),
        ((subject_state(S, V1, deleted=(1,)),), SchemaAction.ABSENT, True),
    ],
)
def test_absent_subjects(live_states: tuple, action: SchemaAction, soft_deleted: bool) -> None:  # type: ignore[type-arg]
    d = desired(spec(S, lifecycle=Lifecycle.ABSENT))
    (change,) = diff(d, live(*live_states)).subjects
    assert (change.action, change.soft_deleted) == (action, soft_deleted)


def test_settings_compare_the_subject_level_pin() -> None:
    d = desired(spec(S, V1, compatibility=CompatibilityLevel.BACKWARD, mode=Mode.READWRITE))
    # Inheriting the same global value is not a pin: pinning is a change.
    (change,) = diff(d, live(subject_state(S, V1))).subjects
    assert change.compatibility is not None and change.compatibility.before is None
    assert change.mode is not None and change.mode.after is Mode.READWRITE
    pinned = subject_state(S, V1, compatibility=CompatibilityLevel.BACKWARD, mode=Mode.READWRITE)
    assert diff(d, live(pinned)).is_empty
    # No level in the contracts leaves the registry's setting alone.
    loose = subject_state(S, V1, compatibility=CompatibilityLevel.NONE)
    assert diff(desired(spec(S, V1)), live(loose)).is_empty


def test_unmanaged_subjects() -> None:
    d = desired(spec(S, V1))
    lv = live(
        subject_state(S, V1),
        subject_state("aurum.gone-value", V1, deleted=(1,)),
        other_subjects=("aurum.tmp-value", "other-value"),
    )
    listed = diff(d, lv).unmanaged
    assert [(u.subject, u.owned, u.prune) for u in listed] == [
        ("aurum.tmp-value", True, False),
        ("other-value", False, False),
    ]
    assert diff(d, lv).is_empty
    pruned = diff(d, lv, prune=True)
    assert [u.subject for u in pruned.unmanaged if u.prune] == ["aurum.tmp-value"]
    assert not pruned.is_empty


GEO = record("Geo", field("lat", "double"), namespace="aurum.common")
GEO2 = record(
    "Geo", field("lat", "double"), field("lon", "double", default=0.0), namespace="aurum.common"
)
SITE = record("Site", field("geo", "aurum.common.Geo"))
REF = DesiredReference("aurum.common.Geo", "aurum.geo")


def _site_refs(lv_geo: tuple[str, ...], desired_geo: str, site_ref_version: int = 1) -> tuple:  # type: ignore[type-arg]
    d = desired(spec("aurum.geo", desired_geo), spec("aurum.site", SITE, references=(REF,)))
    site = Schema(SITE, references=(SchemaReference(REF.name, REF.subject, site_ref_version),))
    lv = live(subject_state("aurum.geo", *lv_geo), subject_state("aurum.site", site))
    changes = {c.subject: c for c in diff(d, lv).subjects}
    return changes["aurum.site"].action, changes["aurum.site"].desired


def test_reference_to_unchanged_subject_is_its_latest_version() -> None:
    action, desired_schema = _site_refs((GEO,), GEO)
    assert action is SchemaAction.UNCHANGED
    assert desired_schema.references[0].version == 1


def test_reference_to_a_new_version_is_planned() -> None:
    action, desired_schema = _site_refs((GEO,), GEO2)
    assert action is SchemaAction.REGISTER
    (ref,) = desired_schema.references
    assert ref.planned and ref.version is None
    assert desired_schema.schema.references[0].version == 2  # provisional, for local checks


def test_reference_to_a_rolled_back_subject_is_the_older_version() -> None:
    action, desired_schema = _site_refs((GEO, GEO2), GEO, site_ref_version=2)
    assert action is SchemaAction.REGISTER
    assert desired_schema.references[0] == desired_schema.references[0].__class__(
        REF.name, REF.subject, 1, planned=False
    )


def test_pinned_reference_is_kept() -> None:
    pinned = DesiredReference(REF.name, REF.subject, 7)
    d = desired(spec("aurum.site", SITE, references=(pinned,)))
    (change,) = diff(d, live()).subjects
    assert change.desired is not None and change.desired.references[0].version == 7


@pytest.mark.parametrize(
    ("specs", "message"),
    [
        ((spec("aurum.site", SITE, references=(REF,)),), "neither the contracts nor the registry"),
        (
            (
                spec("aurum.site", SITE, references=(REF,)),
                spec("aurum.geo", lifecycle=Lifecycle.ABSENT),
            ),
            "which the contracts want absent",
        ),
        (
            (
                spec("aurum.a", SITE, references=(DesiredReference("x.B", "aurum.b"),)),
                spec("aurum.b", SITE, references=(DesiredReference("x.A", "aurum.a"),)),
            ),
            "cycle",
        ),
    ],
)
def test_unresolvable_references(specs: tuple, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(PlanError, match=message):
        diff(desired(*specs), live())


def test_a_state_applied_to_an_empty_registry_diffs_empty() -> None:
    d = desired(
        spec("aurum.geo", GEO, compatibility=CompatibilityLevel.FULL),
        spec("aurum.site", SITE, references=(REF,), mode=Mode.READWRITE),
    )
    assert diff(d, live_from(d)).is_empty
