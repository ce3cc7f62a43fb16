"""The words of a plan: every reason code has a type, every type has words."""

from __future__ import annotations

import typing
from dataclasses import fields
from datetime import date

import pytest

from aurum_sr.model import CompatibilityLevel as L
from aurum_sr.model import Mode, SourceLocation
from aurum_sr.plan import reasons as r
from aurum_sr.plan.steps import DeleteSubject, DeleteVersion
from aurum_sr.render import words

UNIONS = {
    "summary": (r.Summary, words.summary),
    "note": (r.Note, words.note),
    "subject_warning": (r.SubjectWarning, words.subject_warning),
    "blocked_reason": (r.BlockReason, words.blocked_reason),
    "plan_warning": (r.PlanWarning, words.plan_warning),
    "delete_reason": (r.DeleteReason, words.delete_reason),
    "accepted": (r.BreakAccepted, words.accepted_break),
}


def _members() -> list[type]:
    return [cls for union, _ in UNIONS.values() for cls in typing.get_args(union) or (union,)]


def _code_of(cls: type) -> r.ReasonCode:
    (code,) = [f.default for f in fields(cls) if f.name == "code"]
    assert isinstance(code, r.ReasonCode)
    return code


def test_every_code_belongs_to_exactly_one_reason_type() -> None:
    codes = [_code_of(cls) for cls in _members()]
    assert sorted(codes) == sorted(r.ReasonCode)
    assert len(set(codes)) == len(codes)


# The sentences the golden plans do not reach; the goldens pin the rest in every format.
CASES: list[tuple[str, object, str]] = [
    ("summary", r.RegisterVersion(4, None), "register v4 (latest is v?)"),
    ("summary", r.UpdateSettings(None), "update settings (schema unchanged)"),
    ("summary", r.UpdateSettings(3), "update settings (schema unchanged, v3)"),
    ("summary", r.PurgeSubject(), "permanently delete (already soft-deleted)"),
    (
        "note",
        r.CompatibilityChange(None, L.BACKWARD, L.NONE, r.LevelChangeOrder.LOOSEN_FIRST),
        "compatibility: inherited BACKWARD -> NONE (loosen, first)",
    ),
    (
        "note",
        r.ModeChange(None, Mode.READWRITE, Mode.READONLY),
        "mode: inherited READWRITE -> READONLY",
    ),
    (
        "note",
        r.RollbackTargetIsOlder(1, (2, 3)),
        "the contracts hold the content of v1, but v2, v3 came later; registering it again "
        "would only return v1 and leave latest where it is",
    ),
    (
        "subject_warning",
        r.HistoryBreaksNewLevel(L.FULL, None, "A.x", "x is gone."),
        "warning: under FULL the latest schema is not compatible with an older version "
        "(A.x: x is gone.); the registry does not re-check existing versions, but later "
        "registrations will be checked against them",
    ),
    ("blocked_reason", r.Incompatible(L.FULL, 2), "incompatible under FULL: 2 breaking change(s)"),
    (
        "plan_warning",
        r.RemoteCheckFailed("a-value", "Subject 'a-value' not found."),
        "remote check failed for a-value: Subject 'a-value' not found.",
    ),
    (
        "plan_warning",
        r.ApprovalUnmatched(
            "a-value",
            "jane",
            SourceLocation("c.yml", 3, 9),
            r.ApprovalMiss.NOTHING_REGISTERED,
            None,
            4,
        ),
        "the approval of a break of a-value by jane (c.yml:3:9) accepts nothing: this plan "
        "registers no new version of a-value; remove it from the contracts",
    ),
    (
        "plan_warning",
        r.ApprovalExpired("a-value", "jane", SourceLocation("c.yml", 3, 9), date(2026, 1, 2)),
        "the approval of a break of a-value by jane (c.yml:3:9) expired on 2026-01-02: it "
        "accepts nothing. Remove it, or extend `until` after a new review",
    ),
    (
        "note",
        r.LevelLiftedForBreak(L.FULL_TRANSITIVE, L.FULL),
        "compatibility: NONE for the accepted registration only, then FULL again (the registry "
        "refuses a version incompatible under FULL_TRANSITIVE)",
    ),
    ("delete_reason", r.AbsentAndPermanent(), "lifecycle: absent, --permanent"),
    ("delete_reason", r.PrunedUnmanaged(), "unmanaged, --prune"),
]


@pytest.mark.parametrize(("kind", "reason", "expected"), CASES)
def test_words(kind: str, reason: object, expected: str) -> None:
    _, say = UNIONS[kind]
    assert say(reason) == expected  # type: ignore[operator]


@pytest.mark.parametrize("order", list(r.LevelChangeOrder))
def test_every_level_change_order_has_words(order: r.LevelChangeOrder) -> None:
    line = words.note(r.CompatibilityChange(L.FULL, L.BACKWARD, L.NONE, order))
    assert line.startswith("compatibility: FULL -> NONE (") and line.endswith(")")
    assert order.value.split("_")[0] in line


@pytest.mark.parametrize("allowed", list(r.AllowedBy))
def test_every_allowance_has_words(allowed: r.AllowedBy) -> None:
    assert words.allowed_by(allowed) in {
        "the contract's compatibility level is NONE",
        "allowed with --allow-incompatible",
        "accepted in the contracts",
    }


def test_delete_steps_say_why() -> None:
    assert words.step(DeleteVersion("a-value", 3, permanent=False, reason=r.RollbackTo(2))) == (
        "soft-delete a-value v3 (rollback to v2)"
    )
    assert words.step(DeleteSubject("a-value", permanent=True, reason=r.AbsentAndPermanent())) == (
        "permanently delete subject a-value (lifecycle: absent, --permanent)"
    )


@pytest.mark.parametrize("order", list(r.LevelChangeOrder))
def test_pinning_an_inherited_level_is_a_pin_not_a_change(order: r.LevelChangeOrder) -> None:
    line = words.note(r.CompatibilityChange(None, L.BACKWARD, L.BACKWARD, order))
    assert line == "compatibility: pin BACKWARD (inherited today; nothing else changes)"
    assert "tighten" not in line and "loosen" not in line and "->" not in line


def test_pinning_an_inherited_mode_is_a_pin() -> None:
    line = words.note(r.ModeChange(None, Mode.READWRITE, Mode.READWRITE))
    assert line == "mode: pin READWRITE (inherited today; nothing else changes)"


def test_a_real_level_change_still_says_which_way() -> None:
    line = words.note(r.CompatibilityChange(None, L.BACKWARD, L.FULL, r.LevelChangeOrder.TIGHTEN))
    assert line == "compatibility: inherited BACKWARD -> FULL (tighten)"
