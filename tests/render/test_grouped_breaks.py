"""Under a transitive level a break found against several older versions is one break, shown
once with the versions it breaks against, and its fix right under it."""

from __future__ import annotations

import io

import pytest

from aurum_sr.render import render
from tests.render.scenarios import PLANS


@pytest.mark.parametrize("fmt", ["human", "markdown"])
def test_a_transitive_break_is_shown_once_with_its_versions(fmt: str) -> None:
    plan = PLANS["breaking_transitive"]()
    verdict = plan.subjects[0].verdict
    assert verdict is not None and len(verdict.breaking_changes) == 2  # one per old version
    out = io.StringIO()
    render(plan, fmt, out)
    text = out.getvalue()
    assert text.count("new field `Order.currency` has no default") == 1
    assert "against v1, v2]" in text
    assert "1 breaking change(s)" in text and "2 breaking change(s)" not in text
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "has no default" in line)
    assert "fix: give `currency` a default" in lines[at + 1]
