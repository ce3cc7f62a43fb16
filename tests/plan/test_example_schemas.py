"""The planner on the repository's own example schemas (GeoLocation referenced by two subjects)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from aurum_sr.diff import diff
from aurum_sr.model import CompatibilityLevel, DesiredReference, DesiredState
from aurum_sr.plan import PlanPolicy, RegisterSchema, build_plan
from aurum_sr.render import render
from tests.plan.factories import FIXED_TIME, desired, live, live_from, spec

ROOT = Path(__file__).resolve().parents[2]
GEO = DesiredReference("aurum.common.GeoLocation", "aurum.common.GeoLocation")


def _example(geo_text: str | None = None) -> DesiredState:
    def text(path: str) -> str:
        return (ROOT / path).read_text(encoding="utf-8")

    return desired(
        spec(
            "aurum.common.GeoLocation",
            geo_text or text("schemas/common/geo_location.avsc"),
            compatibility=CompatibilityLevel.FULL_TRANSITIVE,
        ),
        spec(
            "aurum.noaa.weather.v1-value",
            text("schemas/noaa/weather_observation.avsc"),
            references=(GEO,),
            compatibility=CompatibilityLevel.BACKWARD_TRANSITIVE,
        ),
        spec(
            "aurum.iso.lmp.v1-value",
            text("schemas/iso/lmp.avsc"),
            references=(GEO,),
            compatibility=CompatibilityLevel.FULL,
        ),
    )


def test_example_plans_against_an_empty_registry_then_converges() -> None:
    state = _example()
    plan = build_plan(
        state, live(), diff(state, live()), policy=PlanPolicy(), created_at=FIXED_TIME
    )
    registers = [s for s in plan.steps if isinstance(s, RegisterSchema)]
    assert registers[0].subject == "aurum.common.GeoLocation"
    assert all(r.planned for s in registers[1:] for r in s.references)
    assert not plan.blocked
    out = io.StringIO()
    render(plan, "human", out)
    assert out.getvalue().endswith("Plan: 3 to create, 0 to update, 0 to delete, 0 blocked.\n")
    assert diff(state, live_from(state)).is_empty


def test_reformatted_example_is_no_change() -> None:
    state = _example()
    geo = json.loads((ROOT / "schemas/common/geo_location.avsc").read_text(encoding="utf-8"))
    reformatted = json.dumps(dict(reversed(list(geo.items()))), indent=7)
    assert diff(_example(reformatted), live_from(state)).is_empty
