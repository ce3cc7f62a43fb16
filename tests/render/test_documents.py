"""Golden files of the validate, check, apply and status documents, in every format each has,
and the registration report."""

from __future__ import annotations

import io
import json

import pytest

from aurum_sr.plan.document import to_document
from aurum_sr.render.apply import progress, registration_report, render_apply, saved_plan_intro
from aurum_sr.render.check import render_check
from aurum_sr.render.formats import (
    APPLY_FORMATS,
    CHECK_FORMATS,
    STATUS_FORMATS,
    VALIDATE_FORMATS,
    OutputFormat,
)
from aurum_sr.render.status import render_status
from aurum_sr.render.validate import render_validation
from tests.render.documents import APPLIES, CHECKS, STATUSES, VALIDATIONS
from tests.render.goldens import check_golden

pytestmark = pytest.mark.usefixtures("pinned_version")

SUFFIX = {OutputFormat.HUMAN: "txt", OutputFormat.JSON: "json", OutputFormat.JUNIT: "junit.xml"}


@pytest.mark.parametrize("fmt", VALIDATE_FORMATS)
@pytest.mark.parametrize("name", sorted(VALIDATIONS))
def test_validate_golden(name: str, fmt: OutputFormat) -> None:
    case = VALIDATIONS[name]()
    out = io.StringIO()
    render_validation(case.valid, case.subjects, case.diagnostics, fmt, out)
    check_golden(f"{name}.{SUFFIX[fmt]}", out.getvalue())


@pytest.mark.parametrize("fmt", CHECK_FORMATS)
@pytest.mark.parametrize("name", sorted(CHECKS))
def test_check_golden(name: str, fmt: OutputFormat) -> None:
    case = CHECKS[name]()
    out = io.StringIO()
    render_check(case.result, case.files, case.new, fmt, out)
    check_golden(f"{name}.{SUFFIX[fmt]}", out.getvalue())


@pytest.mark.parametrize("fmt", APPLY_FORMATS)
@pytest.mark.parametrize("name", sorted(APPLIES))
def test_apply_golden(name: str, fmt: OutputFormat) -> None:
    """Human output is everything apply writes after the approval: progress, then outcome."""
    case = APPLIES[name]()
    out = io.StringIO()
    if fmt is OutputFormat.HUMAN:
        saved_plan_intro(case.plan, "plan.json", out)
        show = progress(len(case.plan.steps), out)
        for outcome in case.result.outcomes:
            if outcome.status.value != "not started":
                show(outcome)
    render_apply(case.plan, case.result, fmt, out, report="report.md")
    text = out.getvalue()
    if fmt is OutputFormat.JSON:
        # The digest is the plan document's, which its own golden files pin down.
        digest = to_document(case.plan)["digest"]
        assert json.loads(text)["plan"]["digest"] == digest
        text = text.replace(digest, "<digest of the plan document>")
    check_golden(f"{name}.{SUFFIX[fmt]}", text)


@pytest.mark.parametrize("name", sorted(APPLIES))
def test_registration_report_golden(name: str) -> None:
    case = APPLIES[name]()
    text = registration_report(case.plan, case.result, applied_at="2026-01-02T03:04:05+00:00")
    check_golden(f"{name}.report.md", text)


@pytest.mark.parametrize("fmt", STATUS_FORMATS)
@pytest.mark.parametrize("name", sorted(STATUSES))
def test_status_golden(name: str, fmt: OutputFormat) -> None:
    out = io.StringIO()
    render_status(STATUSES[name](), fmt, out)
    check_golden(f"{name}.{SUFFIX[fmt]}", out.getvalue())


def test_progress_counts_finished_steps_when_they_end_out_of_order() -> None:
    """Concurrent steps end in any order: the bracket counts what has finished, and the step
    keeps its number from the plan."""
    case = APPLIES["apply_complete"]()
    out = io.StringIO()
    show = progress(len(case.plan.steps), out)
    ended = sorted(case.result.outcomes, key=lambda o: (o.index != 2, -o.index))
    for outcome in ended:
        show(outcome)
    check_golden("apply_progress_out_of_order.txt", out.getvalue())
    counts = [line.split("]")[0] for line in out.getvalue().splitlines()]
    assert counts == ["[1/3", "[2/3", "[3/3"]
