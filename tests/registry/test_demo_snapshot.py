"""registry/snapshot.json: the demo's "production" registry is current and holds what the
demo needs (older versions to plan against)."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

from aurum_sr.canonical import same_schema
from aurum_sr.model import CompatibilityLevel, Schema
from aurum_sr.registry.snapshot import SnapshotRegistry

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "registry" / "snapshot.json"


def test_committed_snapshot_is_what_the_script_writes(tmp_path: Path) -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "make_demo_snapshot.py"))
    script["build"](tmp_path / "s.json")
    assert (tmp_path / "s.json").read_text() == SNAPSHOT.read_text()


def test_snapshot_contents() -> None:
    reg = SnapshotRegistry(SNAPSHOT)
    assert reg.get_compatibility() is CompatibilityLevel.BACKWARD
    assert reg.list_subjects() == [
        "aurum.common.GeoLocation",
        "aurum.eia.series.v1-key",
        "aurum.eia.series.v1-value",
        "aurum.fred.series.v1-value",
        "aurum.legacy.prices.v0-value",
        "aurum.noaa.weather.v1-value",
    ]
    fred = reg.get_version("aurum.fred.series.v1-value", "latest")
    current = (ROOT / "schemas" / "fred" / "series_observation.avsc").read_text()
    assert same_schema(fred.schema, Schema(current))
    assert reg.list_versions("aurum.eia.series.v1-value") == [1, 2]
    geo = json.loads(reg.get_version("aurum.common.GeoLocation", 1).schema.schema_str)
    assert "elevation_m" not in [f["name"] for f in geo["fields"]]
    noaa = reg.get_version("aurum.noaa.weather.v1-value", 1)
    assert noaa.schema.references[0].subject == "aurum.common.GeoLocation"


def test_example_contracts_against_the_snapshot_show_the_demo_changes() -> None:
    from aurum_sr.desired import load_desired
    from aurum_sr.diff import diff

    desired = load_desired(str(ROOT)).state
    live = SnapshotRegistry(SNAPSHOT).read_state(
        list(desired.subjects), list_prefixes=desired.owned_prefixes
    )
    actions = {c.subject: c.action.value for c in diff(desired, live).subjects}
    assert actions == {
        "aurum.common.GeoLocation": "register",
        "aurum.eia.series.v1-key": "unchanged",
        "aurum.eia.series.v1-value": "register",
        "aurum.fred.series.v1-value": "unchanged",
        "aurum.iso.lmp.v1-value": "create",
        "aurum.legacy.prices.v0-value": "delete",
        "aurum.noaa.weather.v1-value": "register",
        "aurum.scenario.request.v1-key": "create",
        "aurum.scenario.request.v1-value": "create",
    }
