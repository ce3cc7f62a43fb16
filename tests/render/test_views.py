"""Compact output, schema diffs and the Markdown size budget: golden files for the shapes a
person reads, and the budget's promises checked over many budgets."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aurum_sr.plan.model import Plan, SubjectAction
from aurum_sr.render import PlanView, render
from aurum_sr.render.markdown import plan_markdown
from aurum_sr.render.text import needs_review
from tests.render.goldens import check_golden
from tests.render.scenarios import PLANS, many_changes

MANY = many_changes()


def _render(plan: Plan, fmt: str, view: PlanView) -> str:
    stream = io.StringIO()
    render(plan, fmt, stream, color=False, view=view)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("name", "plan", "fmt", "view"),
    [
        ("compact_many.txt", MANY, "human", PlanView(compact=True)),
        ("compact_many.md", MANY, "markdown", PlanView(compact=True)),
        ("over_budget_many.md", MANY, "markdown", PlanView(markdown_budget=6_000)),
        ("over_budget_rows.md", MANY, "markdown", PlanView(markdown_budget=3_500)),
        ("diff_breaking_blocked.txt", PLANS["breaking_blocked"](), "human", PlanView(diff=True)),
        ("diff_rollback.txt", PLANS["rollback"](), "human", PlanView(diff=True)),
    ],
)
def test_view_golden(name: str, plan: Plan, fmt: str, view: PlanView) -> None:
    check_golden(name, _render(plan, fmt, view))


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def test_the_full_plan_is_shown_when_it_fits() -> None:
    whole = plan_markdown(MANY, PlanView(markdown_budget=None))
    assert plan_markdown(MANY, PlanView(markdown_budget=_size(whole))) == whole
    assert "Shortened" not in whole and "Schema diff" in whole


def test_compact_shows_one_line_for_what_needs_no_review() -> None:
    text = _render(MANY, "human", PlanView(compact=True))
    quiet = [s for s in MANY.subjects if not needs_review(s)]
    assert len(quiet) == 30
    for s in quiet:  # one line each, no detail block
        assert len(re.findall(rf"\b{re.escape(s.subject)}\b", text)) == 1
    assert "verdict: INCOMPATIBLE" in text  # the blocked subject keeps its detail
    assert "key bytes" in text or "partition" in text  # the warned key subject keeps its own


def test_the_schema_diff_shows_only_on_demand_in_human_output() -> None:
    plan = PLANS["breaking_blocked"]()
    assert "@@" not in _render(plan, "human", PlanView())
    assert '+      "name": "currency",' in _render(plan, "human", PlanView(diff=True))


@settings(max_examples=40, deadline=None)
@given(budget=st.integers(min_value=0, max_value=30_000))
def test_the_budget_is_kept_and_blocked_subjects_are_never_left_out(budget: int) -> None:
    text = plan_markdown(MANY, PlanView(markdown_budget=budget))
    blocked = [s for s in MANY.subjects if s.action is SubjectAction.BLOCKED]
    assert blocked
    for s in blocked:
        assert f"breaking change(s) in <code>{s.subject}</code>" in text
        assert f"| `!` | `{s.subject}` |" in text
    if _size(text) > budget:  # only when shortened as far as it goes
        assert "detail only for blocked subjects" in text
        assert "Schema diff" not in text and "<summary>Steps" not in text
    shown = len(re.findall(r"^\| `[+~]` ", text, re.MULTILINE))
    counted = re.search(r"… and (\d+) more compatible change\(s\)", text)
    quiet = sum(1 for s in MANY.subjects if not needs_review(s))
    review = sum(
        1 for s in MANY.subjects if needs_review(s) and s.action is not SubjectAction.BLOCKED
    )
    assert shown + (int(counted.group(1)) if counted else 0) == quiet + review


def test_a_bigger_budget_never_shows_less() -> None:
    budgets = range(2_000, 40_000, 1_000)
    sizes = [_size(plan_markdown(MANY, PlanView(markdown_budget=b))) for b in budgets]
    assert sizes == sorted(sizes)


def test_a_schema_diff_is_escaped_for_each_format() -> None:
    from aurum_sr.diff import diff
    from aurum_sr.plan import PlanPolicy, build_plan
    from tests.plan.factories import desired, field, live, record, spec, subject_state

    hostile = "right\u202eleft ``` <!-- \x1b[2J"
    old = record("Order", field("id", "long"))
    new = record("Order", field("id", "long", doc=hostile))
    d = desired(spec("aurum.orders-value", new))
    lv = live(subject_state("aurum.orders-value", old))
    plan = build_plan(d, lv, diff(d, lv), policy=PlanPolicy())
    assert any("\u202e" in line for line in plan.subjects[0].schema_diff)  # the data is raw
    human = _render(plan, "human", PlanView(diff=True))
    markdown = _render(plan, "markdown", PlanView())
    for text in (human, markdown):
        assert "\u202e" not in text and "\x1b" not in text
        assert "right\\u202eleft" in text
    fence = next(line for line in markdown.splitlines() if line.endswith("diff"))
    assert fence == "````diff"  # longer than the ``` inside the doc
