"""Bytes of Markdown (the pull-request comment) for plans of many subjects.

Each plan: every subject gets a compatible new version (one optional field added to a record of
20 fields), and one subject in fifty an incompatible one (blocked). Prints, per plan size, the
bytes of the Markdown in full (no budget), in compact mode, and with the default budget; the
GitHub comment limit is 65,536 characters.

Run: .venv/bin/python benchmarks/markdown_size.py [SUBJECTS ...]   (default 10 100 400 2000)
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aurum_sr.diff import diff  # noqa: E402
from aurum_sr.model import CompatibilityLevel  # noqa: E402
from aurum_sr.plan import Plan, PlanPolicy, build_plan  # noqa: E402
from aurum_sr.render import render  # noqa: E402
from tests.plan.factories import desired, field, live_from, record, spec  # noqa: E402

try:  # absent before compact mode and the budget existed: only the one output is measured
    from aurum_sr.render.view import PlanView
except ImportError:  # pragma: no cover
    PlanView = None  # type: ignore[assignment,misc]


def make_plan(count: int) -> Plan:
    fields = [field(f"f{j}", "long") for j in range(20)]
    before = desired(
        *(
            spec(f"aurum.s{i:05d}-value", record(f"R{i}", *fields), owner=f"team{i % 7}@x")
            for i in range(count)
        ),
    )
    after = []
    for i, s in enumerate(before.subjects.values()):
        blocked = i % 50 == 49  # incompatible: a new field without a default
        extra = field("x", "int") if blocked else field("x", ["null", "int"], default=None)
        after.append(
            spec(
                s.subject,
                record(f"R{i}", *fields, extra),
                owner=s.owner,
                compatibility=CompatibilityLevel.BACKWARD,
            )
        )
    state = desired(*after)
    live = live_from(before)
    return build_plan(state, live, diff(state, live), policy=PlanPolicy())


def _bytes(plan: Plan, view: object | None) -> tuple[int, float]:
    out = io.StringIO()
    start = time.perf_counter()
    if view is None:
        render(plan, "markdown", out)
    else:
        render(plan, "markdown", out, view=view)  # type: ignore[call-arg]
    return len(out.getvalue().encode("utf-8")), time.perf_counter() - start


def main(counts: list[int]) -> None:
    for count in counts:
        plan = make_plan(count)
        default, took = _bytes(plan, None)
        if PlanView is None:
            print(f"{count:>5} subjects: markdown {default:>9,} bytes ({took * 1000:.0f} ms)")
            continue
        full, _ = _bytes(plan, PlanView(markdown_budget=None))
        compact, _ = _bytes(plan, PlanView(compact=True, markdown_budget=None))
        print(
            f"{count:>5} subjects: full {full:>9,} bytes · compact {compact:>9,} bytes · "
            f"default budget {default:>7,} bytes ({took * 1000:.0f} ms)"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10, 100, 400, 2000])
