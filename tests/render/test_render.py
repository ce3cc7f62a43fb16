"""Renderer details the golden files do not isolate: lines, escaping, colour, entry points."""

from __future__ import annotations

import io

import pytest

from aurum_sr.errors import PlanFileError
from aurum_sr.plan.document import to_document
from aurum_sr.render import render, render_drift
from aurum_sr.render.github import annotation, field_line
from tests.render.scenarios import DRIFTS, PLANS

SCHEMA = """{
  "type": "record", "name": "Order",
  "fields": [
    {"name": "id", "type": "long"},
    {"name": "line", "type": {"type": "record", "name": "Line", "fields": [
      {"name": "amount", "type": "double"}
    ]}},
    {"name": "amount", "type": "double"}
  ]
}
"""


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("Order.id", 4),
        ("Order.line.amount", 6),
        ("Order.line[].amount", 6),
        ("aurum.test.Order.id", 4),
        ("Order.amount", 8),  # not the nested Line.amount above it
        ("Order.line.Line.amount", 6),
        ("Order.id.amount", 1),  # id has no fields
        ("Order.missing", 1),
        ("", 1),
    ],
)
def test_field_line(path: str, line: int) -> None:
    assert field_line(SCHEMA, path) == line


def test_annotation_escapes_properties_and_data() -> None:
    text = annotation("error", "50%\nsecond", title="a: b, c", file="x,y.avsc", line=3)
    assert text == "::error file=x%2Cy.avsc,line=3,title=a%3A b%2C c::50%25%0Asecond"


def test_human_is_plain_without_colour_and_coloured_with_it() -> None:
    plain, coloured = io.StringIO(), io.StringIO()
    render(PLANS["breaking_blocked"](), "human", plain, color=False)
    render(PLANS["breaking_blocked"](), "human", coloured, color=True)
    assert "\x1b[" not in plain.getvalue()
    assert "\x1b[" in coloured.getvalue()
    assert (
        plain.getvalue()
        .rstrip()
        .endswith("Plan: 0 to create, 0 to update, 0 to delete, 1 blocked.")
    )


def test_render_reads_a_saved_document() -> None:
    plan = PLANS["compatible_new_version"]()
    from_plan, from_doc = io.StringIO(), io.StringIO()
    render(plan, "markdown", from_plan)
    render(to_document(plan), "markdown", from_doc)
    assert from_plan.getvalue() == from_doc.getvalue()
    tampered = to_document(plan)
    tampered["registry"] = "elsewhere"
    with pytest.raises(PlanFileError):
        render(tampered, "human", io.StringIO())


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="yaml"):
        render(PLANS["no_changes"](), "yaml", io.StringIO())
    with pytest.raises(ValueError, match="yaml"):
        render_drift(DRIFTS["drift_in_sync"](), "yaml", io.StringIO())


def test_breaking_annotation_points_at_the_field_line() -> None:
    out = io.StringIO()
    render(PLANS["breaking_blocked"](), "github", out)
    first = out.getvalue().splitlines()[0]
    assert first.startswith("::error file=schemas/aurum/orders-value.avsc,line=4,")
