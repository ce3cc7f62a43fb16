"""Owned prefixes: a prefix is owned exactly when every live subject under it is imported."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aurum_sr.adopt.draft import _owned

names = st.lists(st.text("ab.-", min_size=1, max_size=5), max_size=12, unique=True)


@given(names, st.data())
def test_a_prefix_is_owned_when_nothing_under_it_is_left_out(
    live: list[str], data: st.DataObject
) -> None:
    present = {n: None for n in data.draw(st.lists(st.sampled_from(live or ["x"])))}
    prefixes = data.draw(st.lists(st.text("ab.", min_size=1, max_size=3), max_size=4))
    notes: list[str] = []
    owned = _owned(prefixes, present, live, notes)
    wanted = sorted(set(prefixes)) or sorted(
        {s.split(".", 1)[0] + "." for s in present if "." in s.strip(".")}
    )
    expected = [p for p in wanted if all(n in present for n in live if n.startswith(p))]
    assert list(owned) == expected
    assert len(notes) == len(wanted) - len(expected)


def test_the_note_counts_what_is_left_out_under_the_prefix() -> None:
    live = ["a.x", "a.y", "ab.z", "b.q"]
    notes: list[str] = []
    assert _owned(["a.", "b."], {"a.x": 1, "b.q": 1}, live, notes) == ("b.",)
    assert notes == [
        "prefix 'a.' is not owned: 1 live subject(s) under it are not imported (e.g. a.y), "
        "and an owned prefix would report them as drift"
    ]
