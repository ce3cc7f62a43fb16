"""What a change set needs read beyond the latest versions: whole histories and modes."""

from __future__ import annotations

import pytest

from aurum_sr.diff import diff
from aurum_sr.diff.needs import histories_needed, modes_needed
from aurum_sr.model import DesiredReference, DesiredState, Lifecycle, LiveState, Mode
from tests.plan.factories import desired, field, live, record, spec, subject_state

V1 = record("Order", field("id"))
V2 = record("Order", field("id"), field("note", ["null", "string"], default=None))

UNCHANGED = spec("aurum.same-value", V1)
CHANGED = spec("aurum.changed-value", V2)
REFERRED = spec("aurum.ref-value", V1)
REFERRING = spec(
    "aurum.changed-value", V2, references=(DesiredReference("Ref", "aurum.ref-value", None),)
)
LIVE = live(
    subject_state("aurum.same-value", V1),
    subject_state("aurum.changed-value", V1),
    subject_state("aurum.ref-value", V1),
)


@pytest.mark.parametrize(
    ("state", "current", "permanent", "expected"),
    [
        pytest.param(desired(UNCHANGED), LIVE, False, set(), id="no change: nothing"),
        pytest.param(
            desired(UNCHANGED, CHANGED), LIVE, False, {"aurum.changed-value"}, id="the changed one"
        ),
        pytest.param(
            desired(UNCHANGED, REFERRING, REFERRED),
            LIVE,
            False,
            {"aurum.changed-value", "aurum.ref-value"},
            id="and what it references",
        ),
        pytest.param(
            desired(UNCHANGED, spec("aurum.changed-value", lifecycle=Lifecycle.ABSENT)),
            LIVE,
            False,
            {"aurum.same-value", "aurum.changed-value"},
            id="a delete: every managed subject",
        ),
    ],
)
def test_histories_needed(
    state: DesiredState, current: LiveState, permanent: bool, expected: set[str]
) -> None:
    changes = diff(state, current)
    assert histories_needed(state, current, changes, permanent=permanent) == expected


@pytest.mark.parametrize(
    ("state", "prune", "expected"),
    [
        pytest.param(desired(UNCHANGED), False, set(), id="no change: no mode"),
        pytest.param(desired(UNCHANGED, CHANGED), False, {"aurum.changed-value"}, id="written"),
        pytest.param(
            desired(UNCHANGED, spec("aurum.changed-value", V2, mode=Mode.READWRITE)),
            False,
            set(),
            id="managed modes were read already",
        ),
        pytest.param(
            desired(UNCHANGED), True, {"aurum.changed-value", "aurum.ref-value"}, id="pruned"
        ),
    ],
)
def test_modes_needed(state: DesiredState, prune: bool, expected: set[str]) -> None:
    assert modes_needed(state, diff(state, LIVE, prune=prune)) == expected
