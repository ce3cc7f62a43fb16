"""The example contracts as a DesiredState, built directly from the .avsc files.

Until ``aurum_sr.desired.load_desired`` is on this branch, tests build the state here; the table
mirrors contracts/contracts.yml (subjects, schema files, references).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aurum_sr.model import (
    DesiredReference,
    DesiredState,
    Lifecycle,
    SourceLocation,
    SubjectSpec,
)

REPO = Path(__file__).resolve().parents[2]
GEO = "aurum.common.GeoLocation"

EXAMPLE_SUBJECTS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    GEO: ("schemas/common/geo_location.avsc", ()),
    "aurum.eia.series.v1-key": ("schemas/eia/series_key.avsc", ()),
    "aurum.eia.series.v1-value": ("schemas/eia/series_observation.avsc", ()),
    "aurum.fred.series.v1-value": ("schemas/fred/series_observation.avsc", ()),
    "aurum.noaa.weather.v1-value": ("schemas/noaa/weather_observation.avsc", (GEO,)),
    "aurum.iso.lmp.v1-value": ("schemas/iso/lmp.avsc", (GEO,)),
    "aurum.scenario.request.v1-key": ("schemas/scenario/request_key.avsc", ()),
    "aurum.scenario.request.v1-value": ("schemas/scenario/request.avsc", ()),
}


def spec(
    subject: str, schema_str: str, references: tuple[str, ...] = (), schema_file: str = "x.avsc"
) -> SubjectSpec:
    return SubjectSpec(
        subject=subject,
        location=SourceLocation("contracts/contracts.yml", 1),
        schema_file=schema_file,
        schema_str=schema_str,
        references=tuple(DesiredReference(name, name) for name in references),
    )


def state_of(*specs: SubjectSpec, root: Path = REPO) -> DesiredState:
    return DesiredState(
        root=str(root),
        contracts_path="contracts/contracts.yml",
        format_version=1,
        subjects={s.subject: s for s in specs},
    )


def example_state() -> DesiredState:
    specs = [
        spec(subject, (REPO / path).read_text(), refs, path)
        for subject, (path, refs) in EXAMPLE_SUBJECTS.items()
    ]
    absent = SubjectSpec(
        subject="aurum.legacy.prices.v0-value",
        location=SourceLocation("contracts/contracts.yml", 90),
        lifecycle=Lifecycle.ABSENT,
    )
    return state_of(*specs, absent)


def single(schema: Any, subject: str = "test-value") -> DesiredState:
    """A state with one subject whose schema is ``schema`` (JSON data, not text)."""
    return state_of(spec(subject, json.dumps(schema)))
