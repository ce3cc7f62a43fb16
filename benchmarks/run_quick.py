"""`make bench`: the key numbers in well under two minutes on a 2-core machine.

1. `aurum-sr --help` and `aurum-sr validate` on the example contracts (startup, fresh processes);
2. a no-change `aurum-sr plan` of 1,000 subjects × 5 versions against the in-process registry
   server with 5 ms per request, bulk listing on, next to the naive baseline (one request at a
   time, no cache) reading the same registry — the baseline alone takes ~50 s;
3. the same plan with 10% of the subjects changed under BACKWARD_TRANSITIVE (0 ms), to show that
   only the changed subjects are checked, against their whole history;
4. the ratios to the registry's limit (:mod:`limit`): a no-change plan against the bare minimal
   read, and an apply creating 1,000 subjects against their bare registrations.

The full matrix (5k/10k subjects, bulk off, 0/5 ms) is `benchmarks/scale.py`; see
docs/performance.md for the commands and the measured numbers.

    .venv/bin/python benchmarks/run_quick.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import limit  # noqa: E402
import scale  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def startup() -> None:
    base = scale.cli_command()
    scale.measure([*base, "--help"])  # warm the file-system cache and .pyc files
    for label, args, target in (
        ("aurum-sr --help", ["--help"], 0.3),
        ("aurum-sr validate (examples)", ["validate", "--root", str(ROOT)], 1.0),
    ):
        runs = [scale.measure([*base, *args]) for _ in range(5)]
        failed = [r for r in runs if r.returncode != 0]
        if failed:
            raise SystemExit(f"{label} exited {failed[0].returncode}: {failed[0].stderr}")
        median = statistics.median(r.wall for r in runs)
        verdict = "ok" if median <= target else "MISSED"
        print(f"{label:<30} median {median:6.3f} s (target <= {target} s) {verdict}")


def main() -> None:
    started = time.perf_counter()
    print("== startup (5 runs each)")
    startup()
    print("\n== no-change plan, 1,000 subjects x 5 versions, 5 ms per request, bulk listing")
    rows = scale.main(["--subjects", "1000", "--latency-ms", "5"])
    row = rows[0]
    if row.plan is not None and row.baseline is not None:
        ratio = row.baseline.wall / row.plan.wall
        print(
            f"targets: plan <= 2 s: {'ok' if row.plan.wall <= 2 else 'MISSED'} "
            f"({row.plan.wall:.2f} s); >= 5x the baseline: {'ok' if ratio >= 5 else 'MISSED'} "
            f"({ratio:.1f}x); requests <= subjects + 10: "
            f"{'ok' if (row.requests or 0) <= row.subjects + 10 else 'MISSED'} ({row.requests})"
        )
    print("\n== 10% changed under BACKWARD_TRANSITIVE, 1,000 subjects, 0 ms")
    scale.main(
        [
            "--subjects",
            "1000",
            "--latency-ms",
            "0",
            "--changed",
            "0.1",
            "--level",
            "BACKWARD_TRANSITIVE",
            "--no-baseline",
        ]
    )
    print("\n== against the registry's limit (benchmarks/limit.py), 1,000 subjects, 5 ms")
    for row in limit.main(["compare", "--subjects", "1000", "--repeat", "1"]):
        target = 1.1 if row.get("aurum_read") is not None else 1.15
        part = (
            row["aurum_read"] if row.get("aurum_read") is not None else row["aurum_registry_part"]
        )
        what = "read" if row.get("aurum_read") is not None else "apply steps"
        ratio = part / row["limit"]
        print(
            f"target: {row['what']}, {what} <= {target}x the limit: "
            f"{'ok' if ratio <= target else 'MISSED'} ({ratio:.2f}x; whole process "
            f"{row['aurum_process'] / row['limit']:.2f}x)"
        )
    print(f"\n(run_quick took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
