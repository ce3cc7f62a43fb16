"""Time diff + plan + render for many subjects (no changes, and one new version each).

Run: .venv/bin/python benchmarks/plan_many_subjects.py [SUBJECTS]
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aurum_sr.diff import diff  # noqa: E402
from aurum_sr.plan import PlanPolicy, build_plan  # noqa: E402
from aurum_sr.plan.document import dumps, loads  # noqa: E402
from aurum_sr.render import render  # noqa: E402
from tests.plan.factories import desired, field, live_from, record, spec  # noqa: E402


def main(count: int) -> None:
    base = [
        spec(f"aurum.s{i}-value", record(f"R{i}", *(field(f"f{j}", "long") for j in range(20))))
        for i in range(count)
    ]
    state = desired(*base)
    applied = live_from(state)
    changed = desired(
        *(
            spec(
                s.subject,
                (s.schema_str or "").replace(
                    '"f19", "type": "long"}',
                    '"f19", "type": "long"}, {"name": "x", "type": "int", "default": 0}',
                ),
            )
            for s in base
        )
    )
    for label, d in (("no changes", state), ("1 new version each", changed)):
        start = time.perf_counter()
        changes = diff(d, applied)
        t_diff = time.perf_counter() - start
        plan = build_plan(d, applied, changes, policy=PlanPolicy())
        t_plan = time.perf_counter() - start - t_diff
        text = dumps(plan)
        loads(text)
        out = io.StringIO()
        render(plan, "human", out)
        t_all = time.perf_counter() - start
        print(
            f"{count} subjects, {label}: diff {t_diff * 1000:.0f} ms, plan {t_plan * 1000:.0f} ms, "
            f"total with JSON round trip and human render {t_all * 1000:.0f} ms, "
            f"{len(plan.steps)} steps"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
