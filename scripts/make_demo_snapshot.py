"""Write ``registry/snapshot.json``: the example repository's "production" registry.

It holds OLDER versions of some example subjects, so that ``aurum-sr plan`` on the example
contracts has something to show:

* ``aurum.common.GeoLocation`` v1 lacks ``elevation_m`` (the contracts add it: compatible);
* ``aurum.eia.series.v1-value`` v1 (no ``source``) and v2 (no ``attributes``), at BACKWARD while
  the contracts ask for BACKWARD_TRANSITIVE;
* ``aurum.eia.series.v1-key`` and ``aurum.fred.series.v1-value`` equal the files and their
  settings (no change);
* ``aurum.noaa.weather.v1-value`` v1 lacks ``quality_flags`` (added with a default: compatible);
* ``aurum.legacy.prices.v0-value`` exists (the contracts mark it ``absent``);
* the scenario subjects and ``aurum.iso.lmp.v1-value`` are missing (to be created).

The global level is BACKWARD. The output is deterministic: run it again and nothing changes.

    python scripts/make_demo_snapshot.py [--out registry/snapshot.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from aurum_sr.model import CompatibilityLevel, Schema, SchemaReference
from aurum_sr.registry.snapshot import SnapshotRegistry

ROOT = Path(__file__).resolve().parent.parent
GEO = "aurum.common.GeoLocation"


def load(path: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / path).read_text(encoding="utf-8"))
    return data


def without(data: dict[str, Any], *fields: str) -> dict[str, Any]:
    copy = dict(data)
    copy["fields"] = [f for f in data["fields"] if f["name"] not in fields]
    return copy


def schema(data: dict[str, Any], *refs: SchemaReference) -> Schema:
    # Registries store compact JSON; field and key order are kept as written.
    return Schema(json.dumps(data, separators=(",", ":"), ensure_ascii=False), references=refs)


def build(out: Path) -> None:
    out.unlink(missing_ok=True)
    reg = SnapshotRegistry(out, create=True)
    reg.set_compatibility(CompatibilityLevel.BACKWARD)

    geo = load("schemas/common/geo_location.avsc")
    reg.set_compatibility(CompatibilityLevel.FULL_TRANSITIVE, GEO)
    geo_v1 = reg.register(GEO, schema(without(geo, "elevation_m")))

    reg.set_compatibility(CompatibilityLevel.FULL, "aurum.eia.series.v1-key")
    reg.register("aurum.eia.series.v1-key", schema(load("schemas/eia/series_key.avsc")))

    eia = load("schemas/eia/series_observation.avsc")
    reg.set_compatibility(CompatibilityLevel.BACKWARD, "aurum.eia.series.v1-value")
    reg.register("aurum.eia.series.v1-value", schema(without(eia, "attributes", "source")))
    reg.register("aurum.eia.series.v1-value", schema(without(eia, "attributes")))

    # Subject-level BACKWARD, as the contracts' defaults ask: FRED shows no change at all.
    reg.set_compatibility(CompatibilityLevel.BACKWARD, "aurum.fred.series.v1-value")
    reg.register("aurum.fred.series.v1-value", schema(load("schemas/fred/series_observation.avsc")))

    noaa = load("schemas/noaa/weather_observation.avsc")
    reg.set_compatibility(CompatibilityLevel.BACKWARD_TRANSITIVE, "aurum.noaa.weather.v1-value")
    reg.register(
        "aurum.noaa.weather.v1-value",
        schema(without(noaa, "quality_flags"), SchemaReference(GEO, GEO, geo_v1.version)),
    )

    legacy = {
        "type": "record",
        "name": "LegacyPrice",
        "namespace": "aurum.legacy",
        "doc": "Retired price feed.",
        "fields": [
            {"name": "node", "type": "string"},
            {"name": "price", "type": "double"},
            {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        ],
    }
    reg.register("aurum.legacy.prices.v0-value", schema(legacy))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "registry" / "snapshot.json")
    args = parser.parse_args()
    build(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
