"""Golden files of complete rendered plans and drift reports.

Rewrite them with ``UPDATE_GOLDEN=1 pytest tests/render`` and review the diff before committing.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from aurum_sr.render import render, render_drift
from aurum_sr.render.formats import DRIFT_FORMATS, PLAN_FORMATS
from tests.render.scenarios import DRIFTS, PLANS

pytestmark = pytest.mark.usefixtures("pinned_version")

GOLDEN = Path(__file__).parent / "golden"
FORMATS = {
    "human": "txt",
    "json": "json",
    "markdown": "md",
    "github": "github.txt",
    "junit": "junit.xml",
}


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing; run with UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize("fmt", sorted(f.value for f in PLAN_FORMATS))
@pytest.mark.parametrize("scenario", sorted(PLANS))
def test_plan_golden(scenario: str, fmt: str) -> None:
    stream = io.StringIO()
    render(PLANS[scenario](), fmt, stream, color=False)
    _check(f"{scenario}.{FORMATS[fmt]}", stream.getvalue())


@pytest.mark.parametrize("fmt", sorted(f.value for f in DRIFT_FORMATS))
@pytest.mark.parametrize("scenario", sorted(DRIFTS))
def test_drift_golden(scenario: str, fmt: str) -> None:
    stream = io.StringIO()
    render_drift(DRIFTS[scenario](), fmt, stream, color=False)
    _check(f"{scenario}.{FORMATS[fmt]}", stream.getvalue())
