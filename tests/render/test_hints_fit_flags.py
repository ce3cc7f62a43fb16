"""A hint names only what the user has not done yet: no "Deletes need --allow-delete" when the
plan was made with it (``apply --allow-delete``)."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from aurum_sr.render import render
from tests.render.scenarios import PLANS

HINT = "Deletes need `aurum-sr apply --allow-delete`."


@pytest.mark.parametrize("fmt", ["human", "markdown"])
def test_delete_hint_only_without_the_flag(fmt: str) -> None:
    made = PLANS["deletion"]()
    plan = replace(made, policy=replace(made.policy, allow_delete=False))
    assert plan.needs_allow_delete
    without = io.StringIO()
    render(plan, fmt, without)
    assert HINT in without.getvalue()
    allowed = replace(plan, policy=replace(plan.policy, allow_delete=True))
    given = io.StringIO()
    render(allowed, fmt, given)
    assert HINT not in given.getvalue()
