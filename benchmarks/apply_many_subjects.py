"""Time plan → apply → plan → apply-again over HTTP against the in-process registry server.

Run: .venv/bin/python benchmarks/apply_many_subjects.py [SUBJECTS]
Prints wall time and request counts for each phase (the server runs in this process on
127.0.0.1, so the numbers are the client's and the engine's cost, not a network's).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aurum_sr import pipeline  # noqa: E402
from aurum_sr.config import SchemaRegistryConfig  # noqa: E402
from aurum_sr.plan import PlanPolicy  # noqa: E402
from aurum_sr.registry.http import HttpRegistry  # noqa: E402
from aurum_sr.testing import RegistryServer  # noqa: E402
from tests.plan.factories import desired, field, record, spec  # noqa: E402


def main(count: int) -> None:
    state = desired(
        *(
            spec(f"aurum.s{i}-value", record(f"R{i}", *(field(f"f{j}", "long") for j in range(20))))
            for i in range(count)
        )
    )
    with RegistryServer() as server:
        registry = HttpRegistry(SchemaRegistryConfig(base_url=server.url))
        start, before = time.perf_counter(), server.request_count
        plan = pipeline.make_plan(state, registry, policy=PlanPolicy())
        print(
            f"{count} subjects, plan (empty registry): {_ms(start)} ms, "
            f"{server.request_count - before} requests"
        )
        start, before = time.perf_counter(), server.request_count
        result = pipeline.apply(plan, registry)
        print(
            f"{count} subjects, apply ({len(result.changed)} writes): {_ms(start)} ms, "
            f"{server.request_count - before} requests"
        )
        start, before = time.perf_counter(), server.request_count
        again = pipeline.make_plan(state, registry, policy=PlanPolicy())
        print(
            f"{count} subjects, plan again (changes: {again.has_changes}): {_ms(start)} ms, "
            f"{server.request_count - before} requests"
        )
        start, before = time.perf_counter(), server.request_count
        second = pipeline.apply(plan, registry)
        print(
            f"{count} subjects, same plan applied again ({len(second.changed)} writes): "
            f"{_ms(start)} ms, {server.request_count - before} requests"
        )
        registry.close()


def _ms(start: float) -> str:
    return f"{(time.perf_counter() - start) * 1000:.0f}"


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
