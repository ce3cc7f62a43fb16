"""Folding long bodies: never over the limit, whole when it fits, every <details> closed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aurum_sr.github.body import fold, marker, size

LINE = st.one_of(
    st.text(max_size=120),
    st.sampled_from(["<details><summary>x</summary>", "</details>", "| a | b |", ""]),
)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(LINE, max_size=400), limit=st.integers(min_value=700, max_value=20_000))
def test_never_over_the_limit_and_balanced(lines: list[str], limit: int) -> None:
    markdown = "\n".join(lines)
    body = fold(
        markdown, head="## h\n\n**s**", tag=marker("plan", "k"), full_at="https://x", limit=limit
    )
    assert size(body) <= limit
    if size(f"{marker('plan', 'k')}\n{markdown.rstrip()}\n\nFull text: https://x\n") <= limit:
        assert markdown.rstrip() in body
    else:
        assert "Too long for one comment" in body
        opened = sum(line.count("<details>") for line in body.splitlines())
        closed = sum(line.count("</details>") for line in body.splitlines())
        assert closed >= opened


def test_multibyte_text_is_counted_in_bytes() -> None:
    markdown = "\n".join("é" * 100 for _ in range(100))  # 10,000 characters, 20,000 bytes
    body = fold(markdown, head="h", tag="<!-- t -->", full_at=None, limit=15_000)
    assert size(body) <= 15_000 and "Too long" in body


@pytest.mark.parametrize("key", ["", "a b", "x" * 65, "-->"])
def test_keys_cannot_break_the_marker(key: str) -> None:
    with pytest.raises(ValueError, match="must be 1-64"):
        marker("plan", key)
