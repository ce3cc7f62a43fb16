"""Reading strategies: latest first, whole histories only where the caller's result needs them."""

from __future__ import annotations

from typing import Any

from aurum_sr.model import LiveState, Mode, Schema
from aurum_sr.registry.reading import (
    complete_histories,
    read_latest,
    read_until_complete,
    with_modes,
)
from tests.apply.helpers import memory_registry
from tests.plan.factories import desired, field, record, spec

V1 = record("Order", field("id"))
V2 = record("Order", field("id"), field("note", ["null", "string"], default=None))
STATE = desired(spec("aurum.a-value", V2), spec("aurum.b-value", V2))


class Reads:
    """Records each read_state call: the subjects asked for, and whether latest-only."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[tuple[list[str], bool]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def read_state(self, subjects: Any, **kwargs: Any) -> Any:
        self.calls.append((list(subjects), bool(kwargs.get("latest_only"))))
        return self.inner.read_state(self.calls[-1][0], **kwargs)


def registry() -> Reads:
    inner = memory_registry()
    for subject in ("aurum.a-value", "aurum.b-value"):
        inner.register(subject, Schema(V1))
        inner.register(subject, Schema(V2))
    return Reads(inner)


def test_latest_only_holds_one_version_each() -> None:
    live = read_latest(STATE, registry())  # type: ignore[arg-type]
    assert [len(s.versions) for s in live.subjects.values()] == [1, 1]
    assert not any(s.history_complete for s in live.subjects.values())


def test_reads_again_until_nothing_new_is_needed_and_returns_what_needs_made() -> None:
    reads = registry()
    asked: list[set[str]] = []

    def needs(live: LiveState) -> tuple[int, set[str]]:
        complete = {s for s, state in live.subjects.items() if state.history_complete}
        asked.append(complete)
        # a-value first; once it is read in full, b-value (and a subject nobody manages)
        wanted = {"aurum.a-value"} | ({"aurum.b-value", "other-value"} if complete else set())
        return len(complete), wanted

    live, made, complete = read_until_complete(STATE, reads, needs)  # type: ignore[arg-type]
    assert reads.calls == [
        (["aurum.a-value", "aurum.b-value"], True),
        (["aurum.a-value"], False),
        (["aurum.b-value"], False),
    ]
    assert asked == [set(), {"aurum.a-value"}, {"aurum.a-value", "aurum.b-value"}]
    assert made == 2 and complete == {"aurum.a-value", "aurum.b-value"}
    assert [len(s.versions) for s in live.subjects.values()] == [2, 2]


def test_a_result_that_needs_nothing_reads_once() -> None:
    reads = registry()
    latest = read_latest(STATE, reads)  # type: ignore[arg-type]
    live, made, complete = read_until_complete(
        STATE,
        reads,  # type: ignore[arg-type]
        lambda live: ("nothing", set()),
        latest=latest,
    )
    assert live is latest and made == "nothing" and complete == set()
    assert len(reads.calls) == 1


def test_complete_histories_empties_what_was_read_and_is_gone_and_skips_the_rest() -> None:
    reads = registry()
    latest = read_latest(STATE, reads)  # type: ignore[arg-type]
    reads.inner.delete_subject("aurum.b-value")
    reads.inner.delete_subject("aurum.b-value", permanent=True)
    merged = complete_histories(
        latest,
        {"aurum.a-value", "aurum.b-value", "aurum.gone-value"},
        reads,  # type: ignore[arg-type]
        STATE,
    )
    assert sorted(merged.subjects) == ["aurum.a-value", "aurum.b-value"]
    assert len(merged.subjects["aurum.a-value"].versions) == 2
    assert merged.subjects["aurum.b-value"].versions == ()  # read first: kept, now empty


def test_with_modes_reads_each_named_subject_once() -> None:
    reads = registry()
    reads.inner.set_mode(Mode.READONLY, "aurum.a-value")
    live = with_modes(read_latest(STATE, reads), ["aurum.a-value", "aurum.new-value"], reads)  # type: ignore[arg-type]
    assert live.subjects["aurum.a-value"].mode is Mode.READONLY
    assert live.subjects["aurum.new-value"].mode is None
    assert live.subjects["aurum.b-value"].mode is None
