"""Typed reasons survive the plan document unchanged, whatever their parameters."""

from __future__ import annotations

import typing
from dataclasses import replace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from aurum_sr.plan import reasons as r
from aurum_sr.plan.document import dumps, loads
from aurum_sr.plan.model import Plan
from aurum_sr.render import words
from tests.render.scenarios import rollback

BASE = rollback()


def _any(union: object) -> st.SearchStrategy[Any]:
    """Any member of a reason union, with any parameters its types allow."""
    return st.one_of(*(st.builds(cls) for cls in typing.get_args(union)))


@given(
    summary=_any(r.Summary),
    notes=st.lists(_any(r.Note), max_size=3),
    warnings=st.lists(_any(r.SubjectWarning), max_size=2),
    blocked=st.lists(_any(r.BlockReason), max_size=2),
    plan_warnings=st.lists(_any(r.PlanWarning), max_size=2),
)
def test_every_reason_round_trips_through_the_document_and_has_words(
    summary: r.Summary,
    notes: list[r.Note],
    warnings: list[r.SubjectWarning],
    blocked: list[r.BlockReason],
    plan_warnings: list[r.PlanWarning],
) -> None:
    subject = replace(
        BASE.subjects[0],
        summary=summary,
        notes=tuple(notes),
        warnings=tuple(warnings),
        blocked_reasons=tuple(blocked),
    )
    plan: Plan = replace(BASE, subjects=(subject,), warnings=tuple(plan_warnings))
    again = loads(dumps(plan))
    assert again == plan
    assert [type(n) for n in again.subjects[0].notes] == [type(n) for n in notes]
    texts = [
        words.summary(summary),
        *map(words.note, notes),
        *map(words.subject_warning, warnings),
        *map(words.blocked_reason, blocked),
        *map(words.plan_warning, plan_warnings),
    ]
    assert all(text.strip() for text in texts)
