"""Compatibility checks per second on one core.

    .venv/bin/python benchmarks/bench_compat.py [--seconds 2]

Two shapes: a flat 20-field record and a 300-field nested schema (nested records, arrays, maps,
unions, enums). Three workloads each:

Each workload runs at BACKWARD (one direction) and FULL (both), over compatible evolutions (each
version adds optional fields) and incompatible ones (each version changes a field's type, so
every check also builds the explanation):

* cached   — the same (old, new) pair checked again and again (a plan re-checking a subject);
* distinct — every check a new pair of already-parsed schemas (each distinct schema is parsed
             once; the pair cache is cold, so the checker and the change list run every time);
* cold     — nothing cached: parse both schemas and check (the seed's published ~10 ms simple /
             ~50 ms complex per check are this workload).

Targets: ≥ 5,000 checks/s for the simple record and ≥ 500/s for the complex one.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

from aurum_sr.compat import check, clear_caches
from aurum_sr.formats.avro.parsed import parsed
from aurum_sr.model import CompatibilityLevel, Schema


def simple(variant: int, breaking: bool = False) -> dict[str, Any]:
    """A flat 20-field record. Versions add optional fields (compatible under FULL), or, when
    ``breaking``, each changes the type of a different field."""
    types: list[Any] = ["long", "string", "int", "double", ["null", "string"]]
    fields: list[dict[str, Any]] = [
        {"name": f"f{i}", "type": types[i % len(types)]} for i in range(20)
    ]
    if breaking:
        fields[variant]["type"] = "boolean"
    else:
        fields += [
            {"name": f"extra{j}", "type": ["null", "string"], "default": None}
            for j in range(variant)
        ]
    return {"type": "record", "name": "Simple", "namespace": "bench", "fields": fields}


def complex_schema(variant: int, breaking: bool = False) -> dict[str, Any]:
    """About 300 fields in nested records, arrays, maps, unions and enums; versions as above."""

    def leaf_fields(prefix: str, n: int) -> list[dict[str, Any]]:
        kinds: list[Any] = ["long", "string", ["null", "double"], "boolean", ["null", "string"]]
        return [
            {
                "name": f"{prefix}{i}",
                "type": kinds[i % len(kinds)],
                **({"default": None} if isinstance(kinds[i % len(kinds)], list) else {}),
            }
            for i in range(n)
        ]

    top: list[dict[str, Any]] = leaf_fields("t", 20)
    for r in range(7):
        status = {
            "type": "enum",
            "name": f"Status{r}",
            "symbols": ["NEW", "OPEN", "CLOSED", "UNKNOWN"],
            "default": "UNKNOWN",
        }
        line = {"type": "record", "name": f"Line{r}", "fields": leaf_fields("l", 15)}
        part = {
            "type": "record",
            "name": f"Part{r}",
            "fields": [
                *leaf_fields("p", 10),
                {"name": "status", "type": status},
                {"name": "lines", "type": {"type": "array", "items": line}},
                {"name": "attrs", "type": {"type": "map", "values": ["null", "string", "long"]}},
                {
                    "name": "maybe",
                    "type": [
                        "null",
                        {"type": "record", "name": f"Extra{r}", "fields": leaf_fields("e", 12)},
                    ],
                    "default": None,
                },
            ],
        }
        if breaking and r == variant % 7:
            line["fields"][variant % 15]["type"] = "int"
        top.append({"name": f"part{r}", "type": part})
    if not breaking:
        top += [
            {"name": f"v{j}", "type": ["null", "string"], "default": None} for j in range(variant)
        ]
    return {"type": "record", "name": "Complex", "namespace": "bench", "fields": top}


def count_fields(node: Any) -> int:
    if isinstance(node, list):
        return sum(count_fields(n) for n in node)
    if not isinstance(node, dict):
        return 0
    own = len(node.get("fields", []))
    inner = [f["type"] for f in node.get("fields", [])]
    inner += [node[k] for k in ("items", "values") if k in node]
    return own + sum(count_fields(n) for n in inner)


def rate(seconds: float, body: Callable[[], int]) -> float:
    """Checks per second: run ``body`` (returning how many checks it did) for ``seconds``."""
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        done += body()
    return done / (time.perf_counter() - start)


def run(name: str, make: Callable[..., dict[str, Any]], seconds: float, target: float) -> None:
    fields = count_fields(make(0))
    print(f"{name} ({fields} fields), target >= {target:,.0f} checks/s")
    for level in (CompatibilityLevel.BACKWARD, CompatibilityLevel.FULL):
        for breaking in (False, True):
            schemas = [Schema(json.dumps(make(v, breaking))) for v in range(8)]
            pairs = [(a, b) for a in schemas for b in schemas if a is not b]
            verdicts = {check(new, [old], level).is_compatible for old, new in pairs}
            label = f"{level.value:<8} {'incompatible' if breaking else 'compatible'} pairs"
            assert verdicts == {not breaking}, f"{label}: unexpected verdicts {verdicts}"
            for s in schemas:
                parsed(s)  # parse once per distinct schema

            def cached(old: Schema = schemas[0], new: Schema = schemas[1], lv: Any = level) -> int:
                for _ in range(100):
                    check(new, [old], lv)
                return 100

            def distinct(pairs: Any = pairs, lv: Any = level) -> int:
                clear_caches(keep_parsed=True)  # every pair below is new to the checker
                for old, new in pairs:
                    check(new, [old], lv)
                return len(pairs)

            def cold(old: Schema = schemas[0], new: Schema = schemas[1], lv: Any = level) -> int:
                clear_caches()  # parse both schemas again, then check
                check(new, [old], lv)
                return 1

            for workload, body in (("cached", cached), ("distinct", distinct), ("cold", cold)):
                per_second = rate(seconds, body)
                print(
                    f"  {label:<32} {workload:<9} {per_second:>9,.0f} checks/s"
                    f"  ({1e3 / per_second:.3f} ms/check)"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = parser.parse_args()
    run("simple record", simple, args.seconds, 5_000)
    run("complex nested schema", complex_schema, args.seconds, 500)


if __name__ == "__main__":
    main()
