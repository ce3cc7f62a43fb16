"""Drift classification: one class per kind of difference."""

from __future__ import annotations

import pytest

from aurum_sr.diff import DriftKind, drift
from aurum_sr.model import CompatibilityLevel, Lifecycle, Mode
from tests.plan.factories import desired, field, live, live_from, record, spec, subject_state
from tests.render import scenarios

S = "aurum.orders-value"
V1 = record("Order", field("id", "long"))
V2 = record("Order", field("id", "long"), field("note", ["null", "string"], default=None))


@pytest.mark.parametrize(
    ("scenario", "kinds"),
    [
        ("drift_in_sync", []),
        ("drift_version_outside_git", [DriftKind.VERSION_OUTSIDE_GIT]),
        ("drift_compatibility_changed", [DriftKind.COMPATIBILITY_CHANGED]),
        ("drift_mode_changed", [DriftKind.MODE_CHANGED]),
        ("drift_subject_deleted", [DriftKind.SUBJECT_DELETED]),
        ("drift_unmanaged_subject", [DriftKind.UNMANAGED_SUBJECT]),
        ("drift_registry_behind_git", [DriftKind.REGISTRY_BEHIND_GIT]),
    ],
)
def test_each_class(scenario: str, kinds: list[DriftKind]) -> None:
    report = scenarios.DRIFTS[scenario]()
    assert [f.kind for f in report.findings] == kinds
    assert report.drifted is bool(kinds)


def test_missing_subject_and_absent_subject_still_live() -> None:
    d = desired(spec(S, V1), spec("aurum.old-value", lifecycle=Lifecycle.ABSENT))
    report = drift(d, live(subject_state("aurum.old-value", V1)))
    assert [(f.subject, f.kind, f.actual) for f in report.findings] == [
        ("aurum.old-value", DriftKind.REGISTRY_BEHIND_GIT, "present"),
        (S, DriftKind.SUBJECT_DELETED, "missing"),
    ]


def test_unmanaged_outside_owned_prefixes_is_not_drift() -> None:
    d = desired(spec(S, V1))
    lv = live(*live_from(d).subjects.values(), other_subjects=("someone-else-value",))
    assert not drift(d, lv).drifted


def test_inherited_setting_reported_as_inherited() -> None:
    d = desired(spec(S, V2, compatibility=CompatibilityLevel.FULL, mode=Mode.READWRITE))
    report = drift(d, live(subject_state(S, V2)))
    assert {(f.kind, f.actual) for f in report.findings} == {
        (DriftKind.COMPATIBILITY_CHANGED, "inherited"),
        (DriftKind.MODE_CHANGED, "inherited"),
    }


def test_version_outside_git_offers_adoption_next_to_rollback() -> None:
    from aurum_sr.diff.drift import DriftFinding, DriftKind
    from aurum_sr.render.words import drift_remedies

    finding = DriftFinding(
        DriftKind.VERSION_OUTSIDE_GIT,
        "aurum.orders-value",
        "v3 registered outside git; the contracts hold v2",
        expected="v2",
        actual="v3",
        schema_file="schemas/orders.avsc",
    )
    adopt, rollback = drift_remedies(finding, "http://r:8081")
    assert adopt.startswith("adopt: write v3's schema into schemas/orders.avsc")
    assert "http://r:8081/subjects/aurum.orders-value/versions/3/schema" in adopt
    assert "import --merge" in adopt
    assert rollback.startswith("roll back:")
