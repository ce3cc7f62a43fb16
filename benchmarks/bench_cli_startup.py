"""Wall time of `aurum-sr --help` and `aurum-sr validate` on the example contracts.

Each command runs in a fresh subprocess (so imports are paid every time, as a user pays them);
the script prints the median and the fastest of several runs next to the target.

    .venv/bin/python benchmarks/bench_cli_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _command() -> list[str]:
    script = Path(sys.executable).with_name("aurum-sr")
    if script.exists():
        return [str(script)]
    found = shutil.which("aurum-sr")
    return [found] if found else [sys.executable, "-m", "aurum_sr"]


def _time(argv: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(argv, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} exited {result.returncode}:\n{result.stderr!r}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    base = _command()
    _time([*base, "--help"], 1)  # warm the file-system cache and .pyc files
    print(f"{'command':<28} {'median':>8} {'fastest':>8} {'target':>8}   ({runs} runs)")
    for label, args, target in (
        ("aurum-sr --help", ["--help"], 0.3),
        ("aurum-sr validate", ["validate", "--root", str(ROOT)], 1.0),
    ):
        times = _time([*base, *args], runs)
        median = statistics.median(times)
        verdict = "ok" if median <= target else "SLOW"
        print(f"{label:<28} {median:>7.3f}s {min(times):>7.3f}s {target:>7.1f}s   {verdict}")


if __name__ == "__main__":
    main()
