"""JSON text: the indenting writer matches the standard library's, and the bounded reader's
depth limit holds exactly at the limit, whatever the shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aurum_sr.formats import bounded
from aurum_sr.formats.json_text import pretty_json

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=30,
)


@given(json_values)
def test_pretty_json_is_the_standard_indented_json(value: object) -> None:
    assert pretty_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


@given(json_values.filter(lambda v: isinstance(v, (dict, list))), st.integers(1, 6))
def test_too_deep_is_exactly_deeper_than_the_limit(value: Any, limit: int) -> None:
    assert bounded._too_deep(value, limit) == (_depth(value) > limit)


@pytest.mark.parametrize("limit", [1, 3, 100])
def test_loads_accepts_the_limit_and_refuses_one_more(
    limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AURUM_SR_MAX_JSON_DEPTH", str(limit))
    at_limit = "[" * limit + "]" * limit
    assert bounded.loads(at_limit) is not None
    deeper = '{"a": ' + at_limit + "}"
    with pytest.raises(json.JSONDecodeError, match=f"nested more than {limit} deep"):
        bounded.loads(deeper, repeated_keys=True)


@given(st.dictionaries(st.text(max_size=3), st.integers(), min_size=1, max_size=4))
def test_a_repeated_key_keeps_its_last_value_where_repeats_are_accepted(
    pairs: dict[str, int],
) -> None:
    key = next(iter(pairs))
    text = "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in pairs.items())
    text += f", {json.dumps(key)}: 12345}}"
    assert bounded.loads(text, repeated_keys=True) == {**pairs, key: 12345}
    with pytest.raises(json.JSONDecodeError, match="appears twice"):
        bounded.loads(text)
