"""Fail when test coverage falls below its floor, overall or in a package that must stay higher.

Reads the ``.coverage`` data a ``pytest --cov`` run left (``make test`` makes it) and prints one
line per area: its line-and-branch coverage and its floor. Exit 1 when any area is below.

    python scripts/coverage_floors.py

The floors sit a little under what the suite measures today, so ordinary churn passes and a
change that leaves a real part untested does not. Raise a floor when coverage has risen for good;
lower one only with a reason in the commit message.
"""

from __future__ import annotations

import io
import sys

import coverage

# area (a folder under the repository root, or "aurum_sr" for everything) -> floor in percent
FLOORS: dict[str, float] = {
    "aurum_sr": 92.0,
    # Pure code: every branch here decides what a user is told or what a registry is sent.
    "aurum_sr/diff": 97.0,
    "aurum_sr/plan": 93.0,
    "aurum_sr/render": 93.0,
}


def measure(cov: coverage.Coverage, area: str) -> float:
    """Line-and-branch coverage of ``area`` in percent (as ``coverage report`` totals it)."""
    include = None if area == "aurum_sr" else [f"{area}/*"]
    return cov.report(include=include, file=io.StringIO())


def main() -> int:
    cov = coverage.Coverage()
    cov.load()
    below = []
    for area, floor in FLOORS.items():
        measured = measure(cov, area)
        verdict = "ok" if measured >= floor else "BELOW FLOOR"
        print(f"coverage {area:<16} {measured:6.2f}%  (floor {floor:.0f}%)  {verdict}")
        if measured < floor:
            below.append(area)
    if below:
        print(
            f"coverage: {', '.join(below)} below the floor; add tests for the lines "
            "`coverage report --skip-covered` lists (or justify lowering the floor)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
