"""How fast codegen's models are built and used. Prints numbers; asserts nothing.

.venv/bin/python benchmarks/codegen_models.py
"""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from pathlib import Path

import fastavro

from aurum_sr.codegen import model_for_state
from aurum_sr.model import DesiredState, SourceLocation, SubjectSpec

REPO = Path(__file__).resolve().parents[1]
SUBJECT = "aurum.scenario.request.v1-value"
SCHEMA = REPO / "schemas" / "scenario" / "request.avsc"
N = 20_000


def main() -> None:
    text = SCHEMA.read_text()
    state = DesiredState(
        root=str(REPO),
        contracts_path="contracts/contracts.yml",
        format_version=1,
        subjects={
            SUBJECT: SubjectSpec(
                SUBJECT,
                SourceLocation("contracts/contracts.yml"),
                schema_file=str(SCHEMA),
                schema_str=text,
            )
        },
    )
    started = time.perf_counter()
    model = model_for_state(state, SUBJECT)
    built = time.perf_counter() - started
    print(f"build model (cold, incl. avro parse + exec): {built * 1000:.1f} ms")

    payload = {
        "scenario_id": "scenario-123",
        "tenant_id": "tenant-abc",
        "requested_by": "api",
        "asof_date": None,
        "curve_def_ids": ["c1", "c2"],
        "assumptions": [
            {"assumption_id": f"a{i}", "type": "POLICY", "payload": "{}"} for i in range(3)
        ],
        "submitted_ts": dt.datetime(2024, 5, 1, 12, 0, 0, 123456),
    }
    started = time.perf_counter()
    for _ in range(N):
        model.model_validate(payload).model_dump(mode="python")
    per = (time.perf_counter() - started) / N
    print(f"validate + model_dump: {per * 1e6:.1f} us/record ({1 / per:,.0f} records/s)")

    parsed = fastavro.parse_schema(json.loads(text))
    buffer = io.BytesIO()
    started = time.perf_counter()
    for _ in range(N):
        fastavro.schemaless_writer(buffer, parsed, model.model_validate(payload).model_dump())
    per = (time.perf_counter() - started) / N
    print(f"validate + model_dump + fastavro write: {per * 1e6:.1f} us/record")


if __name__ == "__main__":
    main()
